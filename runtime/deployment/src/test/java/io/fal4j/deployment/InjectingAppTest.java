package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An app that injects a bean only the runtime boot creates (Vert.x) is set up once that bean exists:
 * it is not started early, and its setup() sees what it injected.
 */
class InjectingAppTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, VertxApp.class, Input.class, Output.class));

    public record Input(String prompt) {
    }

    public record Output(String prompt, boolean injected) {
    }

    @FalApp
    public static class VertxApp implements App {
        @Inject
        Vertx vertx;
        private boolean injected;

        @Override
        public void setup() {
            injected = vertx != null && vertx.getOrCreateContext() != null;
        }

        @Endpoint("/")
        public Output run(Input input) {
            return new Output(input.prompt(), injected);
        }
    }

    @Test
    void setsUpWithTheInjectedBean() {
        Health.await("READY");
        given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\"}").post("/").then().statusCode(200)
                .body("prompt", equalTo("a fox")).body("injected", equalTo(true));
    }
}
