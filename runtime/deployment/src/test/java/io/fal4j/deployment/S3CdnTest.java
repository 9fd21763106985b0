package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fal4j.api.App;
import io.fal4j.api.Default;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.Image;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The CDN on S3-compatible storage, against a real S3 server (S3Proxy) behind a proxy that injects
 * faults: presigned URLs, multipart uploads, one object for the same bytes, retries of a 503, and
 * the in_memory fallback when S3 is down or too slow.
 */
class S3CdnTest {

    static final String UNAVAILABLE = S3Server.unavailable();
    static final URI ENDPOINT = UNAVAILABLE == null ? S3Server.endpoint() : URI.create("http://127.0.0.1:9");

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, S3Server.class, S3Server.Fault.class,
                    NoiseApp.class, Noise.class, Noisy.class))
            .overrideConfigKey("fal4j.files.cdn.kind", "s3")
            .overrideConfigKey("fal4j.files.cdn.s3.bucket", S3Server.BUCKET)
            .overrideConfigKey("fal4j.files.cdn.s3.endpoint", ENDPOINT.toString())
            .overrideConfigKey("fal4j.files.cdn.s3.path-style", "true")
            .overrideConfigKey("fal4j.files.cdn.s3.access-key", S3Server.ACCESS_KEY)
            .overrideConfigKey("fal4j.files.cdn.s3.secret-key", S3Server.SECRET_KEY)
            .overrideConfigKey("fal4j.files.cdn.s3.prefix", "outputs/")
            .overrideConfigKey("fal4j.files.cdn.s3.multipart-threshold", "6M")
            .overrideConfigKey("fal4j.files.cdn.s3.part-size", "5M")
            .overrideConfigKey("fal4j.files.timeout", "5S")
            .overrideConfigKey("fal4j.files.backoff", "10MS");

    public record Noise(@Default("1") long seed, @Default("64") int size) {
    }

    public record Noisy(Image image) {
    }

    @FalApp
    public static class NoiseApp implements App {
        @Endpoint("/")
        public Noisy paint(Noise noise) {
            Random random = new Random(noise.seed());
            BufferedImage canvas = new BufferedImage(noise.size(), noise.size(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < noise.size(); y++) {
                for (int x = 0; x < noise.size(); x++) {
                    canvas.setRGB(x, y, random.nextInt());
                }
            }
            return new Noisy(Image.fromBufferedImage(canvas));
        }
    }

    @BeforeEach
    void ready() {
        assumeTrue(UNAVAILABLE == null, UNAVAILABLE);
        S3Server.fault(S3Server.Fault.NONE, 0);
        Health.await("READY");
    }

    private static Response paint(long seed, int size) {
        return given().contentType(ContentType.JSON).body("{\"seed\":" + seed + ",\"size\":" + size + "}").post("/");
    }

    private static List<S3Object> stored(String sha) {
        try (S3Client s3 = S3Server.client(ENDPOINT)) {
            return s3.listObjectsV2(list -> list.bucket(S3Server.BUCKET).prefix("outputs/" + sha)).contents();
        }
    }

    private static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    private static String sha(String url) {
        String key = url.substring(url.indexOf("/outputs/") + "/outputs/".length());
        return key.substring(0, key.indexOf('.'));
    }

    @Test
    void storesInTheBucketAndAnswersWithAPresignedUrl() throws Exception {
        Response response = paint(1, 64);
        String url = response.then().statusCode(200)
                .body("image.url", startsWith(ENDPOINT + "/" + S3Server.BUCKET + "/outputs/")).extract()
                .path("image.url");
        assertTrue(url.contains("X-Amz-Signature="), url);
        byte[] png = get(url);
        assertEquals(response.<Integer>path("image.file_size"), png.length);
        assertEquals(1, stored(sha(url)).size());
    }

    @Test
    void bigFilesGoUpInParts() throws Exception {
        Response response = paint(2, 1500);
        String url = response.then().statusCode(200).extract().path("image.url");
        int size = response.path("image.file_size");
        assertTrue(size > 6 << 20, "the image is too small to need parts: " + size);
        byte[] png = get(url);
        assertEquals(size, png.length);
        assertEquals(1, stored(sha(url)).size());
        try (S3Client s3 = S3Server.client(ENDPOINT)) {
            byte[] object = s3.getObjectAsBytes(get -> get.bucket(S3Server.BUCKET)
                    .key("outputs/" + sha(url) + ".png")).asByteArray();
            assertArrayEquals(png, object);
        }
    }

    @Test
    void concurrentUploadsOfTheSameBytesStoreOneObject() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<String>> urls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            urls.add(clients.submit(() -> paint(3, 64).then().statusCode(200).extract().<String>path("image.url")));
        }
        String sha = sha(urls.get(0).get());
        for (Future<String> url : urls) {
            assertEquals(sha, sha(url.get()));
        }
        clients.shutdown();
        assertEquals(1, stored(sha).size());
    }

    @Test
    void a503IsRetriedAndStoresOneObject() throws Exception {
        S3Server.fault(S3Server.Fault.FAIL_503, 1);
        String url = paint(4, 64).then().statusCode(200).extract().path("image.url");
        assertTrue(url.startsWith(ENDPOINT.toString()), url);
        assertEquals(0, S3Server.failuresLeft(), "the 503 was never served");
        assertEquals(1, stored(sha(url)).size());
        given().get("/metrics").then().body(org.hamcrest.Matchers.containsString(
                "fal4j_upload_failures_total{kind=\"transient\",repository=\"cdn\"}"));
    }

    @Test
    void unreachableStorageFallsBackToInlineData() {
        S3Server.fault(S3Server.Fault.REFUSE, 0);
        Response response = paint(5, 32);
        String url = response.then().statusCode(200).extract().path("image.url");
        assertTrue(url.startsWith("data:image/png;base64,"), url);
        assertEquals(response.<Integer>path("image.file_size"),
                Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)).length);
    }

    @Test
    void slowStorageTimesOutAndFallsBack() {
        S3Server.fault(S3Server.Fault.STALL, 0);
        String url = paint(6, 32).then().statusCode(200).extract().path("image.url");
        assertTrue(url.startsWith("data:image/png;base64,"), url);
        S3Server.fault(S3Server.Fault.NONE, 0);
        assertArrayEquals(new Object[0], stored("x").toArray());
    }
}
