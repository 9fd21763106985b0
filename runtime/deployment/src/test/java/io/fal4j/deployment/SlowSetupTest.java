package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** setup() outlives startupTimeout: STARTING while it runs, then SETUP_FAILED, and the setup thread is interrupted. */
class SlowSetupTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, SlowApp.class, Input.class))
            .overrideConfigKey("fal4j.lifecycle.exit-on-setup-failure", "false");

    public record Input(String prompt) {
    }

    static final CountDownLatch INTERRUPTED = new CountDownLatch(1);

    // setup() starts while Quarkus is still booting: the timeout leaves a slow machine's boot time
    // and the STARTING checks well inside it.
    @FalApp(startupTimeout = 10)
    public static class SlowApp implements App {
        @Override
        public void setup() {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                INTERRUPTED.countDown();
            }
        }

        @Endpoint("/")
        public Input run(Input input) {
            return input;
        }
    }

    @Test
    void isStartingThenFailsAtTheTimeout() throws InterruptedException {
        given().get("/health").then().statusCode(503).body("state", equalTo("STARTING"));
        given().contentType(ContentType.JSON).body("{}").post("/").then().statusCode(503)
                .body("detail", equalTo("App not ready: STARTING"));
        given().get("/q/health/started").then().statusCode(503);
        given().get("/q/health/live").then().statusCode(200);

        Health.await("SETUP_FAILED", Duration.ofSeconds(25));
        given().get("/health").then().statusCode(503)
                .body("reason", containsString("did not finish within the startup timeout of 10s"));
        assertTrue(INTERRUPTED.await(5, TimeUnit.SECONDS), "the setup thread was not interrupted");
    }
}
