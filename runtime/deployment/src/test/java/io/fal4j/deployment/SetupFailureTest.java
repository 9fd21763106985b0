package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** setup() throws: the runner reports SETUP_FAILED everywhere and serves nothing (the exit is tested on the packaged app). */
class SetupFailureTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, BrokenApp.class, Input.class))
            .overrideConfigKey("fal4j.lifecycle.exit-on-setup-failure", "false");

    public record Input(String prompt) {
    }

    @FalApp
    public static class BrokenApp implements App {
        @Override
        public void setup() {
            throw new IllegalStateException("weights not found at /models/sd15");
        }

        @Endpoint("/")
        public Input run(Input input) {
            return input;
        }
    }

    @Test
    void reportsSetupFailedWithTheReason() {
        Health.await("SETUP_FAILED");
        given().get("/health").then().statusCode(503)
                .body("reason", containsString("weights not found at /models/sd15"));
    }

    @Test
    void failsLivenessReadinessAndStartup() {
        Health.await("SETUP_FAILED");
        given().get("/q/health/live").then().statusCode(503).body("status", equalTo("DOWN"));
        given().get("/q/health/ready").then().statusCode(503);
        given().get("/q/health/started").then().statusCode(503);
    }

    @Test
    void refusesRequestsWith503() {
        Health.await("SETUP_FAILED");
        given().contentType(ContentType.JSON).body("{}").post("/").then().statusCode(503)
                .body("detail", equalTo("App not ready: SETUP_FAILED"));
    }
}
