package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that hangs up cancels its request: the work sees cancelled() and the slot comes back. */
class ClientDisconnectTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, LoopApp.class, Steps.class));

    public record Steps(int steps) {
    }

    static final CountDownLatch STARTED = new CountDownLatch(1);
    static final CountDownLatch SAW_CANCEL = new CountDownLatch(1);

    @FalApp
    public static class LoopApp implements App {
        @Endpoint("/")
        public Steps loop(Steps input, RequestContext ctx) throws InterruptedException {
            STARTED.countDown();
            for (int step = 0; step < input.steps(); step++) {
                if (ctx.cancelled()) {
                    SAW_CANCEL.countDown();
                    return new Steps(step);
                }
                Thread.sleep(10);
            }
            return input;
        }
    }

    @Test
    void hangingUpCancelsTheWork() throws Exception {
        Health.await("READY");
        String body = "{\"steps\":100000}";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(STARTED.await(10, TimeUnit.SECONDS), "the work never started");
        }
        assertTrue(SAW_CANCEL.await(10, TimeUnit.SECONDS), "the work never saw cancelled()");
        // the slot is released, and the 499 counted, once the method has returned
        Health.until(() -> given().get("/health").<Integer>path("running") == 0,
                "the cancelled request's slot stayed taken");
        Health.until(() -> given().get("/metrics").asString().contains("status=\"499\""),
                "the cancelled request was not counted as 499");
    }
}
