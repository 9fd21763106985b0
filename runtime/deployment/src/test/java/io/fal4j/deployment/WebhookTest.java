package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fal4j.api.App;
import io.fal4j.api.AppException;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks: fal's body, retried after a failed delivery, signed so that the receiver can verify it
 * with the published key; and fal's proxy convention ({@code x-fal-target-url}) for clients.
 */
class WebhookTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, Queued.class, HookedApp.class, Word.class))
            .overrideConfigKey("fal4j.queue.dir", Queued.journalDir())
            .overrideConfigKey("fal4j.queue.webhook.allow-private", "true")
            .overrideConfigKey("fal4j.queue.webhook.backoff", "100MS")
            .overrideConfigKey("fal4j.queue.webhook.attempts", "3");

    public record Word(String word) {
    }

    @FalApp(name = "hooked")
    public static class HookedApp implements App {
        @Endpoint("/")
        public Word echo(Word input) {
            if (input.word().equals("teapot")) {
                throw new AppException(418, "I am a teapot");
            }
            return input;
        }
    }

    /** One delivery as the receiver saw it. */
    record Delivery(Map<String, String> headers, byte[] body) {
    }

    static HttpServer receiver;
    static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();
    static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            DELIVERIES.add(new Delivery(headers, body));
            int status = FAILURES_LEFT.getAndDecrement() > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    private static String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void deliversASignedWebhookAgainAfterAFailure() throws Exception {
        Health.await("READY");
        DELIVERIES.clear();
        FAILURES_LEFT.set(1);
        String id = given().contentType(ContentType.JSON).queryParam("fal_webhook", hook()).body("{\"word\":\"hi\"}")
                .post("/local/hooked").then().statusCode(200).extract().path("request_id");
        awaitDeliveries(2);
        Delivery delivery = DELIVERIES.get(1);
        assertTrue(java.util.Arrays.equals(DELIVERIES.get(0).body(), delivery.body()), "a retry sends the same body");
        JsonPath body = new JsonPath(new String(delivery.body(), StandardCharsets.UTF_8));
        assertEquals(id, body.getString("request_id"));
        assertEquals(id, body.getString("gateway_request_id"));
        assertEquals("OK", body.getString("status"));
        assertEquals("hi", body.getString("payload.word"));
        assertEquals(null, body.getString("error"));
        assertTrue(verifies(delivery), "the signature verifies with the published key");

        Delivery forged = new Delivery(delivery.headers(), "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        assertTrue(!verifies(forged), "a changed body fails verification");
    }

    @Test
    void reportsAnAppErrorAsAnErrorWebhook() throws Exception {
        Health.await("READY");
        DELIVERIES.clear();
        FAILURES_LEFT.set(0);
        given().contentType(ContentType.JSON).queryParam("fal_webhook", hook()).body("{\"word\":\"teapot\"}")
                .post("/local/hooked").then().statusCode(200);
        awaitDeliveries(1);
        JsonPath body = new JsonPath(new String(DELIVERIES.get(0).body(), StandardCharsets.UTF_8));
        assertEquals("ERROR", body.getString("status"));
        assertEquals("Invalid status code: 418", body.getString("error"));
        assertEquals("I am a teapot", body.getString("payload.detail"));
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        Health.await("READY");
        DELIVERIES.clear();
        FAILURES_LEFT.set(100);
        given().contentType(ContentType.JSON).queryParam("fal_webhook", hook()).body("{\"word\":\"lost\"}")
                .post("/local/hooked").then().statusCode(200);
        awaitDeliveries(3);
        Thread.sleep(1000);
        assertEquals(3, DELIVERIES.size(), "attempts stop at the configured limit");
    }

    @Test
    void routesRequestsByFalsTargetUrlHeader() {
        Health.await("READY");
        String id = given().contentType(ContentType.JSON).header("x-fal-target-url", "https://queue.fal.run/local/hooked")
                .body("{\"word\":\"proxied\"}").post("/").then().statusCode(200).extract().path("request_id");
        for (int i = 0; i < 500 && !"COMPLETED".equals(given().header("x-fal-target-url",
                "https://queue.fal.run/local/hooked/requests/" + id + "/status").get("/api/fal/proxy").path("status")); i++) {
            Queued.pause();
        }
        given().header("x-fal-target-url", "https://queue.fal.run/local/hooked/requests/" + id).get("/api/fal/proxy")
                .then().statusCode(200).body("word", equalTo("proxied"));
        given().contentType(ContentType.JSON).header("x-fal-target-url", "https://fal.run/local/hooked")
                .body("{\"word\":\"direct\"}").post("/").then().statusCode(200).body("word", equalTo("direct"));
    }

    private static boolean verifies(Delivery delivery) throws Exception {
        String x = given().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys[0].x");
        byte[] raw = Base64.getUrlDecoder().decode(x);
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] encoded = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, encoded, 0, prefix.length);
        System.arraycopy(raw, 0, encoded, prefix.length, raw.length);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        String message = String.join("\n", delivery.headers().get("X-Fal-Webhook-Request-Id"),
                delivery.headers().get("X-Fal-Webhook-User-Id"), delivery.headers().get("X-Fal-Webhook-Timestamp"),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(delivery.body())));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(key);
        signature.update(message.getBytes(StandardCharsets.UTF_8));
        return signature.verify(HexFormat.of().parseHex(delivery.headers().get("X-Fal-Webhook-Signature")));
    }

    private static void awaitDeliveries(int count) {
        for (int i = 0; i < 1000 && DELIVERIES.size() < count; i++) {
            Queued.pause();
        }
        assertTrue(DELIVERIES.size() >= count, "expected " + count + " deliveries, got " + DELIVERIES.size());
    }
}
