package io.fal4j.runtime.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fal4j.runtime.Fal4jConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Downloads against a real local HTTP server (private addresses allowed, except where the policy is the subject). */
class DownloadsTest {

    private final Vertx vertx = Vertx.vertx();
    private HttpServer origin;
    private String base;

    record Limits(MemorySize maxSize, Duration timeout, int maxRedirects, boolean allowPrivate)
            implements Fal4jConfig.Download {
    }

    @BeforeEach
    void startOrigin() throws Exception {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/small.txt", exchange -> {
            byte[] body = "small".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        origin.createContext("/big-declared", exchange -> {
            exchange.sendResponseHeaders(200, 10_000);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[10_000]);
            }
        });
        origin.createContext("/big-chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(new byte[1000]);
                }
            } catch (java.io.IOException clientHungUp) {
                // expected once the limit is hit
            }
        });
        origin.createContext("/redirect", exchange -> {
            int hops = Integer.parseInt(exchange.getRequestURI().getQuery());
            exchange.getResponseHeaders().set("Location", hops == 0 ? "/small.txt" : "/redirect?" + (hops - 1));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        origin.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        origin.createContext("/slow", exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        origin.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        origin.start();
        base = "http://127.0.0.1:" + origin.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        origin.stop(0);
        vertx.close();
    }

    private Downloads downloads(boolean allowPrivate) {
        return downloads(allowPrivate, Duration.ofSeconds(30));
    }

    private Downloads downloads(boolean allowPrivate, Duration timeout) {
        return new Downloads(vertx, limits(timeout, allowPrivate));
    }

    private static Limits limits(Duration timeout, boolean allowPrivate) {
        return new Limits(new MemorySize(BigInteger.valueOf(5000)), timeout, 3, allowPrivate);
    }

    private DownloadException refused(Downloads downloads, String url) {
        return assertThrows(DownloadException.class, () -> downloads.download(url, List.of("image_url")));
    }

    @Test
    void fetchesAndFollowsRedirects() throws Exception {
        try (Downloads downloads = downloads(true)) {
            assertArrayEquals("small".getBytes(StandardCharsets.US_ASCII), downloads.download(base + "/small.txt",
                    List.of()));
            assertArrayEquals("small".getBytes(StandardCharsets.US_ASCII), downloads.download(base + "/redirect?2",
                    List.of()));
            assertTrue(refused(downloads, base + "/redirect?5").getMessage().contains("more than 3 redirects"));
        }
    }

    @Test
    void capsTheSizeWhetherDeclaredOrStreamed() {
        try (Downloads downloads = downloads(true)) {
            String declared = refused(downloads, base + "/big-declared").getMessage();
            assertTrue(declared.contains("larger than the limit"), declared);
            String chunked = refused(downloads, base + "/big-chunked").getMessage();
            assertTrue(chunked.contains("larger than the limit"), chunked);
        }
    }

    @Test
    void failsOnErrorsAndTimeoutsNamingTheField() {
        try (Downloads downloads = downloads(true)) {
            DownloadException missing = refused(downloads, base + "/missing");
            assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
            assertEquals(List.of("image_url"), missing.location());
            String closed = refused(downloads, "http://127.0.0.1:1/closed").getMessage();
            assertTrue(closed.contains("cannot fetch"), closed);
        }
    }

    /**
     * Request threads take turns on one kept-alive connection to an origin that writes each answer,
     * head and body, at once: no thread may find a body gone or a connection closed under it.
     */
    @Test
    void threadsTakingTurnsOnAKeptAliveConnectionEachReadTheWholeBody() throws Exception {
        io.vertx.core.http.HttpServer quick = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/missing")) {
                request.response().setStatusCode(404).end("no such file");
            } else {
                request.response().end("small");
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        String quickBase = "http://127.0.0.1:" + quick.actualPort();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (Downloads downloads = downloads(true)) {
            for (int i = 0; i < 300; i++) {
                String path = i % 3 == 0 ? "/missing" : "/small.txt";
                byte[] body = threads.submit(() -> {
                    try {
                        return downloads.download(quickBase + path, List.of());
                    } catch (DownloadException e) {
                        return e.getMessage().getBytes(StandardCharsets.UTF_8);
                    }
                }).get();
                String expected = path.equals("/missing") ? "the server answered HTTP 404" : "small";
                assertEquals(expected, new String(body, StandardCharsets.UTF_8), "download " + i);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aDownloadPastItsTimeoutFails() {
        try (Downloads downloads = downloads(true, Duration.ofMillis(1500))) {
            String slow = refused(downloads, base + "/slow").getMessage();
            assertTrue(slow.contains("longer than 1500 ms"), slow);
        }
    }

    @Test
    void aHostWhoseFirstAddressRefusesIsFetchedFromTheNext() throws Exception {
        int port = origin.getAddress().getPort();
        // the origin listens on 127.0.0.1 only, so 127.0.0.2 refuses the connection
        AddressPolicy twoHomed = new AddressPolicy(true, host -> new InetAddress[] {
                InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")});
        try (Downloads downloads = new Downloads(vertx, limits(Duration.ofSeconds(30), true), twoHomed)) {
            assertArrayEquals("small".getBytes(StandardCharsets.US_ASCII),
                    downloads.download("http://two-homed.test:" + port + "/small.txt", List.of()));
        }
        AddressPolicy nowhere = new AddressPolicy(true, host -> new InetAddress[] {
                InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")});
        try (Downloads downloads = new Downloads(vertx, limits(Duration.ofSeconds(30), true), nowhere)) {
            String refused = refused(downloads, "http://nowhere.test:" + port + "/small.txt").getMessage();
            assertTrue(refused.contains("cannot fetch nowhere.test"), refused);
        }
    }

    @Test
    void refusesLoopbackAndPrivateHostsByDefault() {
        try (Downloads downloads = downloads(false)) {
            for (String url : new String[] {base + "/small.txt", "http://localhost/x", "http://169.254.169.254/latest",
                    "http://[::1]/x", "http://10.0.0.1/x"}) {
                assertTrue(refused(downloads, url).getMessage().contains("does not download from"), url);
            }
        }
    }

    @Test
    void aRedirectToAPrivateHostIsRefusedToo() {
        try (Downloads downloads = downloads(false)) {
            DownloadException e = refused(downloads, base + "/redirect?0");
            assertTrue(e.getMessage().contains("does not download from"), e.getMessage());
        }
    }

    @Test
    void decodesDataUris() throws Exception {
        try (Downloads downloads = downloads(false)) {
            assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), downloads.download("data:text/plain;base64,aGk=",
                    List.of()));
            assertArrayEquals("a b".getBytes(StandardCharsets.US_ASCII), downloads.download("data:,a%20b", List.of()));
            assertTrue(refused(downloads, "data:;base64,!!!").getMessage().contains("not valid base64"));
            assertTrue(refused(downloads, "data:;base64," + "A".repeat(10_000)).getMessage().contains("larger"));
            assertTrue(refused(downloads, "data:no-comma").getMessage().contains("no comma"));
        }
    }
}
