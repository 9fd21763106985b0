package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code fal4j.queue.enabled=false} there are no queue routes; direct calls work as before. */
class QueueDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, PlainApp.class, Value.class))
            .overrideConfigKey("fal4j.queue.enabled", "false");

    public record Value(int value) {
    }

    @FalApp(name = "plain")
    public static class PlainApp implements App {
        @Endpoint("/")
        public Value echo(Value input) {
            return input;
        }
    }

    @Test
    void servesNoQueueRoutes() {
        Health.await("READY");
        given().contentType(ContentType.JSON).body("{\"value\":1}").post("/local/plain").then().statusCode(404);
        given().get("/.well-known/jwks.json").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"value\":2}").post("/").then().statusCode(200)
                .body("value", equalTo(2));
        given().get("/health").then().body("queue_waiting", equalTo(null));
    }
}
