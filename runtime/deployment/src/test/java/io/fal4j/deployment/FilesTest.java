package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import io.fal4j.api.Default;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.File;
import io.fal4j.api.Image;
import io.fal4j.api.ImageSize;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Output images go to the embedded CDN and are served from /files; input files bind from URLs. */
class FilesTest {

    static final Path CDN = emptyDir(Path.of("target", "files-test-cdn"));

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, PaintApp.class, Paint.class, Painted.class,
                    Upload.class, Uploaded.class))
            .overrideConfigKey("fal4j.files.cdn.dir", CDN.toString())
            .overrideConfigKey("fal4j.files.download.allow-private", "true");

    /** A fixed path: this class is loaded twice, by JUnit and by the app, and both must agree. */
    static Path emptyDir(Path dir) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            return dir.toAbsolutePath();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Paint(@Default("square") ImageSize imageSize, @Default("1") int count, @Default("false") boolean inline,
            @Default("120") int red) {
    }

    public record Painted(List<Image> images, File log, ImageSize imageSize) {
    }

    public record Upload(Image image, File document) {
    }

    public record Uploaded(int width, int height, int documentBytes, String documentType) {
    }

    @FalApp
    public static class PaintApp implements App {
        @Endpoint("/paint")
        public Painted paint(Paint paint) {
            List<Image> images = new ArrayList<>();
            for (int i = 0; i < paint.count(); i++) {
                BufferedImage canvas = new BufferedImage(paint.imageSize().width(), paint.imageSize().height(),
                        BufferedImage.TYPE_INT_RGB);
                canvas.setRGB(0, 0, paint.red() << 16 | i);
                Image image = Image.fromBufferedImage(canvas);
                images.add(paint.inline() ? image.withRepositories("in_memory") : image);
            }
            return new Painted(images, File.fromBytes(("painted " + paint.count()).getBytes(), "log.txt"),
                    paint.imageSize());
        }

        @Endpoint("/upload")
        public Uploaded upload(Upload upload) {
            BufferedImage image = upload.image().toBufferedImage();
            byte[] document = upload.document().bytes();
            return new Uploaded(image.getWidth(), image.getHeight(), document.length, upload.document().contentType());
        }
    }

    @BeforeEach
    void ready() {
        Health.await("READY");
    }

    private static Response paint(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/paint");
    }

    private static String path(String url) {
        return url.substring(url.indexOf("/files/"));
    }

    @Test
    void returnsImagesInFalsShapeWithCdnUrls() throws Exception {
        Response response = paint("{\"image_size\":\"landscape_4_3\",\"count\":2}");
        response.then().statusCode(200)
                .body("images[0].url", matchesPattern("http://localhost:" + RestAssured.port
                        + "/files/[0-9a-f]{64}\\.png"))
                .body("images[0].content_type", equalTo("image/png"))
                .body("images[0].file_name", equalTo("image.png"))
                .body("images[0].width", equalTo(1024)).body("images[0].height", equalTo(768))
                .body("log.content_type", equalTo("text/plain"))
                .body("image_size.width", equalTo(1024));
        String url = response.path("images[0].url");
        int size = response.path("images[0].file_size");

        byte[] png = given().get(path(url)).then().statusCode(200).contentType("image/png")
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("ETag", "\"" + url.substring(url.lastIndexOf('/') + 1, url.lastIndexOf('.')) + "\"")
                .extract().asByteArray();
        assertEquals(size, png.length);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(1024, decoded.getWidth());
        assertEquals(120 << 16, decoded.getRGB(0, 0) & 0xffffff);
        String second = response.path("images[1].url");
        assertTrue(!second.equals(url), "two different images share a URL");
        assertEquals("painted 2", given().get(path((String) response.path("log.url"))).asString());
    }

    @Test
    void theSameImageTwiceIsOneFile() throws Exception {
        paint("{\"red\":33}").then().statusCode(200);
        paint("{\"red\":33}").then().statusCode(200);
        String url = paint("{\"red\":33}").path("images[0].url");
        try (Stream<Path> files = Files.list(CDN)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith(
                    url.substring(url.lastIndexOf('/') + 1, url.lastIndexOf('.')))).count());
        }
    }

    @Test
    void servesRangesConditionalRequestsAndHead() {
        String url = path(paint("{\"red\":7}").path("images[0].url"));
        byte[] whole = given().get(url).asByteArray();
        byte[] part = given().header("Range", "bytes=1-3").get(url).then().statusCode(206)
                .header("Content-Range", "bytes 1-3/" + whole.length).extract().asByteArray();
        assertArrayEquals(new byte[] {whole[1], whole[2], whole[3]}, part);
        given().header("Range", "bytes=" + whole.length + "-").get(url).then().statusCode(416)
                .header("Content-Range", "bytes */" + whole.length);
        String etag = given().get(url).header("ETag");
        given().header("If-None-Match", etag).get(url).then().statusCode(304);
        given().head(url).then().statusCode(200).header("Content-Length", String.valueOf(whole.length));
        given().post(url).then().statusCode(405);
    }

    @Test
    void anythingButAStoredKeyIs404() {
        String url = path(paint("{\"red\":9}").path("images[0].url"));
        String key = url.substring("/files/".length());
        for (String probe : new String[] {"/files/", "/files/../../etc/passwd", "/files/%2e%2e%2fetc%2fpasswd",
                "/files/" + key.toUpperCase(), "/files/" + key + "/x", "/files/" + "0".repeat(64) + ".png",
                "/files/.upload-1.tmp", "/files/x/" + key}) {
            given().urlEncodingEnabled(false).get(probe).then().statusCode(404).contentType(ContentType.JSON);
        }
    }

    @Test
    void aFileCanTravelInTheResponseInstead() {
        String url = paint("{\"inline\":true,\"red\":5}").then().statusCode(200).extract().path("images[0].url");
        assertTrue(url.startsWith("data:image/png;base64,"), url);
        byte[] png = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
        assertEquals((byte) 0x89, png[0]);
    }

    @Test
    void inputFilesBindFromUrlsAndObjects() {
        String imageUrl = paint("{\"image_size\":{\"width\":64,\"height\":32}}").path("images[0].url");
        String text = "data:text/plain;base64," + Base64.getEncoder().encodeToString("hello".getBytes());
        given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + imageUrl + "\",\"document\":{\"url\":\"" + text + "\"}}").post("/upload")
                .then().statusCode(200).body("width", equalTo(64)).body("height", equalTo(32))
                .body("document_bytes", equalTo(5)).body("document_type", equalTo("text/plain"));
    }

    @Test
    void badInputUrlsAre422NamingTheField() {
        given().contentType(ContentType.JSON).body("{\"image\":\"ftp://x/y.png\",\"document\":\"data:,x\"}")
                .post("/upload").then().statusCode(422).body("detail[0].loc", equalTo(List.of("body", "image")))
                .body("detail[0].type", equalTo("url_parsing"));
        given().contentType(ContentType.JSON).body("{\"image\":42,\"document\":\"data:,x\"}").post("/upload")
                .then().statusCode(422).body("detail[0].type", equalTo("url_parsing"));
        String missing = "http://localhost:" + RestAssured.port + "/files/" + "a".repeat(64) + ".png";
        given().contentType(ContentType.JSON).body("{\"image\":\"" + missing + "\",\"document\":\"data:,x\"}")
                .post("/upload").then().statusCode(422).body("detail[0].loc", equalTo(List.of("body", "image")))
                .body("detail[0].type", equalTo("file_download"))
                .body("detail[0].msg", startsWith("Could not download the file: the server answered HTTP 404"));
    }

    @Test
    void unknownImageSizePresetsAre422() {
        paint("{\"image_size\":\"huge\"}").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "image_size")))
                .body("detail[0].type", equalTo("value_error"));
    }

    @Test
    void recordsUploadMetrics() {
        paint("{\"red\":11}").then().statusCode(200);
        given().get("/metrics").then().body(org.hamcrest.Matchers.containsString(
                "fal4j_uploads_seconds_count{outcome=\"success\",repository=\"cdn\"}"))
                .body(org.hamcrest.Matchers.containsString("fal4j_upload_bytes_sum{repository=\"cdn\"}"));
    }
}
