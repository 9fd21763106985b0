package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import io.fal4j.api.Default;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every kind of bad input gets a 4xx with a detail, and the runner stays READY. */
class BadInputTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, Http.class, GenerateApp.class, Input.class,
                    Size.class, Scheduler.class))
            .overrideConfigKey("fal4j.limits.max-body-size", "1M");

    public enum Scheduler { DDIM, EULER, PNDM }

    public record Size(@Min(64) @Max(2048) int width, @Min(64) @Max(2048) int height) {
    }

    public record Input(
            @NotBlank String prompt,
            long seed,
            @Default("4") @Min(1) @Max(50) int numInferenceSteps,
            @Valid Size imageSize,
            @Default("DDIM") Scheduler scheduler,
            @Default("7.5") @DecimalMin("0") @DecimalMax("20") double guidanceScale,
            List<String> tags) {
    }

    @FalApp
    public static class GenerateApp implements App {
        @Endpoint("/")
        public Input generate(Input input) {
            return input;
        }
    }

    @BeforeEach
    void ready() {
        Health.await("READY");
    }

    @AfterEach
    void staysReady() {
        given().get("/health").then().statusCode(200).body("state", equalTo("READY"));
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/").then()
                .contentType(ContentType.JSON).body(not(containsString("Exception"))).body(not(containsString("\tat ")));
    }

    private static ValidatableResponse rejects(String body, List<Object> loc, String type) {
        return post(body).statusCode(422).body("detail", hasSize(1))
                .body("detail[0].loc", equalTo(loc)).body("detail[0].type", equalTo(type));
    }

    @Test
    void acceptsAValidBodyAndIgnoresUnknownFields() {
        post("{\"prompt\":\"a fox\",\"seed\":7,\"unknown\":{\"nested\":[1,2,{\"x\":null}]},\"image_size\":"
                + "{\"width\":512,\"height\":512,\"depth\":3}}")
                .statusCode(200).body("seed", equalTo(7)).body("scheduler", equalTo("DDIM"))
                .body("guidance_scale", equalTo(7.5f)).body("image_size.width", equalTo(512));
    }

    @Test
    void malformedJsonIsJsonInvalid() {
        post("{\"prompt\": \"x\",").statusCode(422).body("detail[0].type", equalTo("json_invalid"))
                .body("detail[0].loc[0]", equalTo("body")).body("detail[0].msg", equalTo("JSON decode error"));
        post("{\"prompt\": \"x\", \"seed\": 1} trailing").statusCode(422).body("detail[0].type", equalTo("json_invalid"));
    }

    @Test
    void emptyOrNullBodyIsMissing() {
        rejects("", List.of("body"), "missing").body("detail[0].msg", equalTo("Field required"));
        rejects("null", List.of("body"), "missing");
    }

    @Test
    void aBodyThatIsNotAnObjectIsRejected() {
        rejects("[]", List.of("body"), "model_attributes_type");
        rejects("\"text\"", List.of("body"), "model_attributes_type");
    }

    @Test
    void wrongJsonTypesNameTheField() {
        rejects("{\"prompt\":\"x\",\"seed\":\"abc\"}", List.of("body", "seed"), "int_parsing");
        rejects("{\"prompt\":\"x\",\"seed\":1.5}", List.of("body", "seed"), "int_from_float");
        rejects("{\"prompt\":\"x\",\"seed\":true}", List.of("body", "seed"), "int_type");
        rejects("{\"prompt\":5,\"seed\":1}", List.of("body", "prompt"), "string_type");
        rejects("{\"prompt\":\"x\",\"seed\":1,\"guidance_scale\":\"high\"}", List.of("body", "guidance_scale"),
                "float_parsing");
        rejects("{\"prompt\":\"x\",\"seed\":1,\"image_size\":\"big\"}", List.of("body", "image_size"),
                "model_attributes_type");
        rejects("{\"prompt\":\"x\",\"seed\":1,\"tags\":{\"a\":1}}", List.of("body", "tags"), "list_type");
        rejects("{\"prompt\":\"x\",\"seed\":1,\"tags\":[\"ok\",[1]]}", List.of("body", "tags", 1), "string_type");
        rejects("{\"prompt\":\"x\",\"seed\":null}", List.of("body", "seed"), "int_type");
        rejects("{\"prompt\":\"x\",\"seed\":1,\"scheduler\":\"FAST\"}", List.of("body", "scheduler"), "enum")
                .body("detail[0].msg", equalTo("Input should be 'DDIM', 'EULER' or 'PNDM'"));
    }

    @Test
    void missingRequiredFieldsAreAllReported() {
        post("{}").statusCode(422).body("detail", hasSize(2))
                .body("detail.loc", equalTo(List.of(List.of("body", "prompt"), List.of("body", "seed"))))
                .body("detail.type", equalTo(List.of("missing", "missing")));
        rejects("{\"seed\":1}", List.of("body", "prompt"), "missing");
        post("{\"prompt\":\"x\",\"seed\":1,\"image_size\":{\"width\":64}}").statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "image_size", "height")))
                .body("detail[0].type", equalTo("missing"));
        rejects("{\"prompt\":null,\"seed\":1}", List.of("body", "prompt"), "missing");
    }

    @Test
    void outOfRangeValuesNameTheFieldAndTheBound() {
        rejects("{\"prompt\":\"x\",\"seed\":1,\"num_inference_steps\":0}", List.of("body", "num_inference_steps"),
                "greater_than_equal").body("detail[0].ctx.ge", equalTo(1))
                .body("detail[0].msg", equalTo("Input should be greater than or equal to 1"));
        rejects("{\"prompt\":\"x\",\"seed\":1,\"num_inference_steps\":51}", List.of("body", "num_inference_steps"),
                "less_than_equal").body("detail[0].ctx.le", equalTo(50));
        rejects("{\"prompt\":\"x\",\"seed\":1,\"image_size\":{\"width\":10,\"height\":64}}",
                List.of("body", "image_size", "width"), "greater_than_equal");
        rejects("{\"prompt\":\"x\",\"seed\":1,\"guidance_scale\":20.5}", List.of("body", "guidance_scale"),
                "less_than_equal");
        rejects("{\"prompt\":\"   \",\"seed\":1}", List.of("body", "prompt"), "string_too_short");
        post("{\"prompt\":\"\",\"seed\":1,\"num_inference_steps\":99}").statusCode(422).body("detail", hasSize(2))
                .body("detail.loc", equalTo(List.of(List.of("body", "num_inference_steps"),
                        List.of("body", "prompt"))));
    }

    @Test
    void numbersBeyondTheirRangeAreRejected() {
        rejects("{\"prompt\":\"x\",\"seed\":123456789012345678901234567890}", List.of("body", "seed"),
                "int_parsing_size");
        rejects("{\"prompt\":\"x\",\"seed\":1,\"num_inference_steps\":3000000000}",
                List.of("body", "num_inference_steps"), "int_parsing_size");
        rejects("{\"prompt\":\"x\",\"seed\":1,\"guidance_scale\":1e999}", List.of("body", "guidance_scale"),
                "less_than_equal");
    }

    @Test
    void aNonJsonContentTypeIs415() {
        given().contentType(ContentType.TEXT).body("{\"prompt\":\"x\",\"seed\":1}").post("/").then().statusCode(415)
                .body("detail", containsString("send application/json"));
        given().contentType("application/x-www-form-urlencoded").formParam("prompt", "x").post("/").then()
                .statusCode(415);
        assertEquals(415, Http.post("/", "{}", "application/json; charset=latin1").statusCode());
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"prompt\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"seed\":1}";
        HttpResponse<String> response = Http.post("/", big, "application/json");
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("larger than the limit"), response.body());
    }

    @Test
    void a50MegabyteStringIs413WithOrWithoutContentLength() {
        byte[] body = ("{\"prompt\":\"" + "y".repeat(50 * 1024 * 1024) + "\",\"seed\":1}")
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(413, Http.post("/", body, "application/json").statusCode());
        HttpResponse<String> chunked = Http.post("/", HttpRequest.BodyPublishers.ofInputStream(
                () -> (InputStream) new ByteArrayInputStream(body)), "application/json");
        assertEquals(413, chunked.statusCode());
        assertTrue(chunked.body().contains("\"detail\""), chunked.body());
    }

    @Test
    void jsonNested100000LevelsDeepIsRejected() {
        String nesting = "[".repeat(100_000) + "]".repeat(100_000);
        HttpResponse<String> ignored = Http.post("/", "{\"prompt\":\"x\",\"seed\":1,\"extra\":" + nesting + "}",
                "application/json");
        assertEquals(422, ignored.statusCode());
        assertTrue(ignored.body().contains("json_invalid") && ignored.body().contains("nesting depth"), ignored.body());
        for (String typed : List.of("tags", "image_size")) {
            HttpResponse<String> response = Http.post("/", "{\"prompt\":\"x\",\"seed\":1,\"" + typed + "\":"
                    + nesting + "}", "application/json");
            assertEquals(422, response.statusCode(), typed);
            assertTrue(response.body().contains("[\"body\",\"" + typed + "\""), response.body());
        }
        HttpResponse<String> root = Http.post("/", nesting, "application/json");
        assertEquals(422, root.statusCode());
        assertTrue(root.body().contains("model_attributes_type"), root.body());
    }

    @Test
    void invalidUtf8IsJsonInvalid() {
        byte[] prefix = "{\"prompt\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "\",\"seed\":1}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(prefix, prefix.length + 2 + suffix.length);
        body[prefix.length] = (byte) 0xff;
        body[prefix.length + 1] = (byte) 0xfe;
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        HttpResponse<String> response = Http.post("/", body, "application/json");
        assertEquals(422, response.statusCode());
        assertTrue(response.body().contains("json_invalid"), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
    }
}
