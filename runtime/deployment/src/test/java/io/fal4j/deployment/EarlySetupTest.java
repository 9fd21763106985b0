package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.runtime.Application;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An app that injects nothing is created, and its setup() started, at static init, before the
 * application starts its runtime part (configuration, Vert.x, the HTTP layer); setup() runs once.
 */
class EarlySetupTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, PlainApp.class, RouterProbe.class, Input.class));

    public record Input(String prompt) {
    }

    static final AtomicLong CREATED = new AtomicLong();
    static final AtomicLong SETUP = new AtomicLong();
    static final AtomicInteger SETUPS = new AtomicInteger();
    static final AtomicBoolean CREATED_AT_STATIC_INIT = new AtomicBoolean();
    static final AtomicLong ROUTER = new AtomicLong();

    @FalApp
    public static class PlainApp implements App {
        public PlainApp() {
            CREATED.compareAndSet(0, System.nanoTime());
            CREATED_AT_STATIC_INIT.set(Application.currentApplication() == null); // set once start() begins
        }

        @Override
        public void setup() {
            SETUP.compareAndSet(0, System.nanoTime());
            SETUPS.incrementAndGet();
        }

        @Endpoint("/")
        public Input echo(Input input) {
            return input;
        }
    }

    @Singleton
    public static class RouterProbe {
        void routes(@Observes Router router) {
            ROUTER.compareAndSet(0, System.nanoTime());
        }
    }

    @Test
    void createsTheAppBeforeTheRouterAndServesIt() {
        Health.await("READY");
        assertTrue(CREATED.get() != 0 && ROUTER.get() != 0 && SETUP.get() != 0, "all three happened");
        assertTrue(CREATED.get() < ROUTER.get(), "the app was created before the router");
        assertEquals(1, SETUPS.get(), "setup() ran more than once");
        assertTrue(CREATED_AT_STATIC_INIT.get(), "the app was created once the application had started");
        given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\"}").post("/").then().statusCode(200)
                .body("prompt", equalTo("a fox"));
    }
}
