package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A request past requestTimeout gets 504, and the work sees cancelled() and stops. */
class RequestTimeoutTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, LoopApp.class, Steps.class));

    public record Steps(int steps) {
    }

    static final CountDownLatch SAW_CANCEL = new CountDownLatch(1);

    @FalApp(requestTimeout = 1)
    public static class LoopApp implements App {
        @Endpoint("/")
        public Steps loop(Steps input, RequestContext ctx) throws InterruptedException {
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

    @BeforeEach
    void ready() {
        Health.await("READY");
    }

    @Test
    void slowWorkGets504AndSeesCancellation() throws InterruptedException {
        given().contentType(ContentType.JSON).body("{\"steps\":100000}").post("/").then().statusCode(504)
                .body("detail", equalTo("Request timed out after 1s"));
        assertTrue(SAW_CANCEL.await(5, TimeUnit.SECONDS), "the work never saw cancelled()");
        given().get("/metrics").then().body(containsString("status=\"504\""));
    }

    @Test
    void fastWorkIsUnaffected() {
        given().contentType(ContentType.JSON).body("{\"steps\":2}").post("/").then().statusCode(200)
                .body("steps", equalTo(2));
    }
}
