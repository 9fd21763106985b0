package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.Image;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedded CDN on a real filesystem that is full, then read-only (a 128 KiB tmpfs): the client
 * gets a clear 5xx with its request id, and no partial file is left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdnDiskFullTest {

    static final Path MOUNT = Path.of("target", "full-cdn").toAbsolutePath();
    static final String UNAVAILABLE = mount();

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, NoiseApp.class, Noise.class, Noisy.class))
            .overrideConfigKey("fal4j.files.cdn.dir", MOUNT.resolve("cdn").toString())
            .overrideConfigKey("fal4j.files.repositories", "cdn");

    /** Mounts the small filesystem once per JVM (this class is loaded twice); the reason it cannot, otherwise. */
    static synchronized String mount() {
        Object done = System.getProperties().get("fal4jtest.full-cdn");
        if (done != null) {
            return (String) done;
        }
        String reason = null;
        try {
            Files.createDirectories(MOUNT);
            if (run("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", MOUNT.toString()) != 0) {
                reason = "making a small tmpfs needs root and mount(8)";
            }
        } catch (Exception e) {
            reason = "making a small tmpfs needs root and mount(8): " + e;
        }
        System.getProperties().put("fal4jtest.full-cdn", reason == null ? "" : reason);
        return reason == null ? "" : reason;
    }

    static int run(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    }

    @AfterAll
    static void unmount() throws Exception {
        if (UNAVAILABLE.isEmpty()) {
            run("umount", MOUNT.toString());
        }
    }

    public record Noise(int size) {
    }

    public record Noisy(Image image) {
    }

    @FalApp
    public static class NoiseApp implements App {
        @Endpoint("/")
        public Noisy paint(Noise noise) {
            Random random = new Random(noise.size());
            BufferedImage canvas = new BufferedImage(noise.size(), noise.size(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < noise.size(); y++) {
                for (int x = 0; x < noise.size(); x++) {
                    canvas.setRGB(x, y, random.nextInt());
                }
            }
            return new Noisy(Image.fromBufferedImage(canvas));
        }
    }

    private static Response paint(int size) {
        return given().contentType(ContentType.JSON).header("x-fal-request-id", "req-" + size)
                .body("{\"size\":" + size + "}").post("/");
    }

    private static List<Path> filesInCdn() throws Exception {
        try (Stream<Path> files = Files.walk(MOUNT)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    @Order(1)
    void aFullDiskIsAClear500WithTheRequestIdAndNoPartialFile() throws Exception {
        assumeTrue(UNAVAILABLE.isEmpty(), UNAVAILABLE);
        Health.await("READY");
        paint(16).then().statusCode(200);
        List<Path> before = filesInCdn();
        assertEquals(1, before.size());

        paint(300).then().statusCode(500).header("x-fal-request-id", "req-300")
                .body("detail", equalTo("Could not store an output file; request req-300"));

        assertEquals(before, filesInCdn(), "a partial or temporary file was left behind");
        given().get("/health").then().statusCode(200);
    }

    @Test
    @Order(2)
    void aReadOnlyDiskIsAClear500Too() throws Exception {
        assumeTrue(UNAVAILABLE.isEmpty(), UNAVAILABLE);
        Health.await("READY");
        assertEquals(0, run("mount", "-o", "remount,ro", MOUNT.toString()));
        try {
            List<Path> before = filesInCdn();
            paint(17).then().statusCode(500).header("x-fal-request-id", "req-17")
                    .body("detail", equalTo("Could not store an output file; request req-17"));
            assertEquals(before, filesInCdn());
        } finally {
            run("mount", "-o", "remount,rw", MOUNT.toString());
        }
    }
}
