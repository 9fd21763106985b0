package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.fal4j.api.App;
import io.fal4j.api.Default;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EchoEndpointTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, Http.class, EchoApp.class, Input.class, Output.class));

    public record Input(String prompt, @Default("4") int numInferenceSteps, @Default("[\"a\", \"b\"]") List<String> tags,
            Long seed) {
    }

    public record Output(String prompt, int numInferenceSteps, List<String> tags, Long seed, String requestId) {
    }

    @FalApp
    public static class EchoApp implements App {
        @Endpoint("/")
        public Output echo(Input input, RequestContext ctx) {
            return new Output(input.prompt(), input.numInferenceSteps(), input.tags(), input.seed(), ctx.requestId());
        }
    }

    @BeforeEach
    void ready() {
        Health.await("READY");
    }

    @Test
    void answersWithTheOutputInSnakeCase() {
        given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\",\"num_inference_steps\":9,\"seed\":7}")
                .post("/")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("prompt", equalTo("a fox"))
                .body("num_inference_steps", equalTo(9))
                .body("seed", equalTo(7));
    }

    @Test
    void fillsDefaultsAndLeavesOptionalFieldsNull() {
        given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\"}").post("/")
                .then().statusCode(200)
                .body("num_inference_steps", equalTo(4))
                .body("tags", equalTo(List.of("a", "b")))
                .body("seed", nullValue());
    }

    @Test
    void defaultListsAreNotSharedBetweenRequests() {
        given().contentType(ContentType.JSON).body("{}").post("/").then().statusCode(200).body("tags", hasSize(2));
        given().contentType(ContentType.JSON).body("{}").post("/").then().statusCode(200).body("tags", hasSize(2));
    }

    @Test
    void echoesTheClientsRequestIdAndGivesItToTheApp() {
        given().contentType(ContentType.JSON).header("x-fal-request-id", "req-42").body("{}").post("/")
                .then().statusCode(200).header("x-fal-request-id", "req-42").body("request_id", equalTo("req-42"));
    }

    @Test
    void generatesARequestIdWhenNoneOrAnInsaneOneIsSent() {
        String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
        given().contentType(ContentType.JSON).body("{}").post("/")
                .then().statusCode(200).header("x-fal-request-id", matchesPattern(uuid));
        given().contentType(ContentType.JSON).header("x-fal-request-id", "x".repeat(500)).body("{}").post("/")
                .then().statusCode(200).header("x-fal-request-id", matchesPattern(uuid));
    }

    @Test
    void acceptsJsonWithoutContentTypeAndWithCharset() {
        assertEquals(200, Http.post("/", "{\"prompt\":\"p\"}", null).statusCode());
        given().body("{\"prompt\":\"p\"}").contentType("application/json; charset=UTF-8").post("/")
                .then().statusCode(200);
        assertEquals(200, Http.post("/", "{\"prompt\":\"p\"}", "application/vnd.api+json").statusCode());
    }

    @Test
    void reportsReadyOnHealthAndTheMicroProfileChecks() {
        given().get("/health").then().statusCode(200).body("state", equalTo("READY"))
                .body("app", equalTo("echo-app")).body("slots", equalTo(1));
        for (String check : List.of("live", "ready", "started")) {
            given().get("/q/health/" + check).then().statusCode(200).body("status", equalTo("UP"));
        }
    }

    @Test
    void answersUnknownPathsWith404Detail() {
        given().post("/nope").then().statusCode(404).contentType(ContentType.JSON)
                .body("detail", equalTo("Path /nope not found"));
        given().get("/files/../../etc/passwd").then().statusCode(404);
    }

    @Test
    void answersOtherMethodsWith405() {
        given().get("/").then().statusCode(405).header("Allow", "POST").body("detail", equalTo("Method Not Allowed"));
    }

    @Test
    void exposesRequestMetricsOnBothMetricsPaths() {
        given().contentType(ContentType.JSON).body("{}").post("/").then().statusCode(200);
        given().get("/metrics").then().statusCode(200)
                .body(containsString("fal4j_requests_seconds_count{endpoint=\"/\",outcome=\"success\",status=\"200\"}"))
                .body(containsString("fal4j_app_state{app=\"echo-app\",state=\"READY\"} 1.0"))
                .body(containsString("fal4j_setup_duration_seconds{app=\"echo-app\"}"))
                .body(not(containsString("fal4j_setup_duration_seconds{app=\"echo-app\"} NaN")));
        given().get("/q/metrics").then().statusCode(200).body(containsString("fal4j_requests_seconds_count"));
    }
}
