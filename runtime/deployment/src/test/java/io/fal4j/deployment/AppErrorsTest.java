package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.fal4j.api.App;
import io.fal4j.api.AppException;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.FieldException;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Errors the app raises reach the client as {"detail": ...} with the right status, never with a stack trace. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppErrorsTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, FailingApp.class, Request.class))
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
            .assertLogRecords(records -> {
                if (records.stream().noneMatch(r -> r.getThrown() != null
                        && "secret internal state".equals(r.getThrown().getMessage()))) {
                    throw new AssertionError("the unexpected failure was not logged with its stack trace");
                }
            });

    public record Request(String kind) {
    }

    @FalApp
    public static class FailingApp implements App {
        @Endpoint("/")
        public Request run(Request order) {
            switch (order.kind()) {
                case "app" -> throw new AppException(400, "The prompt was flagged");
                case "teapot" -> throw new AppException(418, "I'm a teapot");
                case "field" -> throw new FieldException("kind", "must be a known kind");
                case "nested" -> throw new FieldException(List.of("images", 2, "url"), "is not reachable");
                case "bug" -> throw new IllegalStateException("secret internal state");
                case "oom" -> throw new RuntimeException("CUDA out of memory. Tried to allocate 2.00 GiB");
                case "cuda" -> throw new RuntimeException("wrapped", new RuntimeException("CUDA error: an illegal "
                        + "memory access was encountered"));
                default -> {
                    return order;
                }
            }
        }
    }

    private static io.restassured.response.ValidatableResponse post(String kind) {
        return given().contentType(ContentType.JSON).body("{\"kind\":\"" + kind + "\"}").post("/").then()
                .contentType(ContentType.JSON);
    }

    @Test
    void appExceptionsCarryTheirStatusAndMessage() {
        Health.await("READY");
        post("app").statusCode(400).body("detail", equalTo("The prompt was flagged"));
        post("teapot").statusCode(418).body("detail", equalTo("I'm a teapot"));
    }

    @Test
    void fieldExceptionsAreValidationErrors() {
        Health.await("READY");
        post("field").statusCode(422).body("detail[0].loc", equalTo(List.of("body", "kind")))
                .body("detail[0].msg", equalTo("must be a known kind")).body("detail[0].type", equalTo("value_error"));
        post("nested").statusCode(422).body("detail[0].loc", equalTo(List.of("body", "images", 2, "url")));
    }

    @Test
    void unexpectedFailuresAre500WithoutDetailsAndTheRunnerStaysReady() {
        Health.await("READY");
        post("bug").statusCode(500).body("detail", equalTo("Internal Server Error"))
                .body(not(containsString("secret"))).body(not(containsString("IllegalState")));
        given().get("/health").then().statusCode(200);
    }

    @Test
    @Order(Integer.MAX_VALUE) // leaves the runner UNHEALTHY
    void gpuOutOfMemoryIs503AndGpuFaultsMakeTheRunnerUnhealthy() {
        Health.await("READY");
        post("oom").statusCode(503).body("detail", equalTo("The GPU ran out of memory; retry later"));
        given().get("/health").then().statusCode(200);
        post("cuda").statusCode(503).body("detail", equalTo("GPU error; the runner is being replaced"));
        given().get("/health").then().statusCode(503).body("state", equalTo("UNHEALTHY"));
        given().get("/q/health/live").then().statusCode(503);
        post("fine").statusCode(503);
    }
}
