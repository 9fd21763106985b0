package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.fal4j.api.App;
import io.fal4j.api.Default;
import io.fal4j.api.Description;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.Image;
import io.fal4j.api.ImageSize;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /openapi.json documents each endpoint with full schemas: types, descriptions, defaults, constraints, examples. */
class OpenApiTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(ImageApp.class, Input.class, Output.class, Dimensions.class,
                    Scheduler.class, GeneratedImage.class));

    public enum Scheduler { DDIM, EULER }

    public record Dimensions(@Min(64) @Max(2048) int width, @Min(64) @Max(2048) int height) {
    }

    @Description("What to generate.")
    public record Input(
            @NotBlank @Description(value = "The prompt to generate an image from.", examples = "a fox") String prompt,
            @Default("4") @Min(1) @Max(50) @Description(value = "Denoising steps.", examples = "8")
            int numInferenceSteps,
            @Default("7.5") @DecimalMin("0") @DecimalMax(value = "20", inclusive = false) double guidanceScale,
            @Default("EULER") Scheduler scheduler,
            @Valid Dimensions imageSize,
            @Size(max = 4) List<@Pattern(regexp = "[a-z]+") String> tags,
            @Pattern(regexp = "[a-z]+") String style,
            Long seed) {
    }

    public record GeneratedImage(String url, int width, int height) {
    }

    public record Output(List<GeneratedImage> images, long seed, Map<String, Double> timings, Image preview,
            ImageSize size) {
    }

    @FalApp(name = "text-to-image")
    @Description("Turns text into images.")
    public static class ImageApp implements App {
        @Endpoint("/")
        @Description("Generates images from a prompt.")
        public Output generate(Input input) {
            return new Output(List.of(), 0, Map.of(), null, ImageSize.SQUARE);
        }
    }

    @Test
    void documentsTheEndpointAndItsSchemas() {
        var doc = given().get("/openapi.json").then().statusCode(200).extract().jsonPath();
        String input = "components.schemas.Input";
        String post = "paths.'/'.post";

        assertThat(doc.getString("openapi"), equalTo("3.1.0"));
        assertThat(doc.getString("info.title"), equalTo("text-to-image"));
        assertThat(doc.getString("info.description"), equalTo("Turns text into images."));
        assertThat(doc.getString(post + ".operationId"), equalTo("generate"));
        assertThat(doc.getString(post + ".description"),
                equalTo("Generates images from a prompt."));
        assertThat(doc.getString(post + ".requestBody.content.'application/json'.schema.$ref"),
                equalTo("#/components/schemas/Input"));
        assertThat(doc.getString(post + ".responses.'422'.content.'application/json'.schema.$ref"),
                equalTo("#/components/schemas/HTTPValidationError"));
        assertThat(doc.getString(post + ".responses.'429'.description"),
                containsString("Retry-After"));

        assertThat(doc.getString(input + ".description"), equalTo("What to generate."));
        assertThat(doc.getList(input + ".required"), equalTo(List.of("prompt")));
        assertThat(doc.getMap(input + ".properties.prompt"), equalTo(Map.of(
                "type", "string", "title", "Prompt", "description", "The prompt to generate an image from.",
                "examples", List.of("a fox"), "minLength", 1, "pattern", "\\S")));
        assertThat(doc.getMap(input + ".properties.num_inference_steps"), equalTo(Map.of(
                "type", "integer", "format", "int32", "title", "Num Inference Steps", "description", "Denoising steps.",
                "examples", List.of(8), "default", 4, "minimum", 1, "maximum", 50)));
        assertThat(doc.getMap(input + ".properties.guidance_scale"), equalTo(Map.of(
                "type", "number", "format", "double", "title", "Guidance Scale", "default", 7.5f, "minimum", 0,
                "exclusiveMaximum", 20)));
        assertThat(doc.getString(input + ".properties.scheduler.$ref"),
                equalTo("#/components/schemas/Scheduler"));
        assertThat(doc.getString(input + ".properties.scheduler.default"), equalTo("EULER"));
        assertThat(doc.getList("components.schemas.Scheduler.enum"),
                equalTo(List.of("DDIM", "EULER")));
        assertThat(doc.getString(input + ".properties.tags.type"), equalTo("array"));
        assertThat(doc.getInt(input + ".properties.tags.maxItems"), equalTo(4));
        assertThat(doc.getString(input + ".properties.style.pattern"), equalTo("[a-z]+"));
        assertThat(doc.getString(input + ".properties.seed.format"), equalTo("int64"));
        assertThat(doc.getList(input + ".required"), not(hasItem("seed")));

        assertThat(doc.getInt("components.schemas.Dimensions.properties.width.minimum"),
                equalTo(64));
        assertThat(doc.getList("components.schemas.Dimensions.required"),
                equalTo(List.of("width", "height")));
        assertThat(doc.getString("components.schemas.Output.properties.images.items.$ref"),
                equalTo("#/components/schemas/GeneratedImage"));
        assertThat(
                doc.getString("components.schemas.Output.properties.timings.additionalProperties.type"),
                equalTo("number"));
        assertThat(doc.getString("components.schemas.Output.properties.preview.$ref"),
                equalTo("#/components/schemas/Image"));
        assertThat(doc.getList("components.schemas.Image.required"), equalTo(List.of("url")));
        assertThat(doc.getString("components.schemas.Image.properties.width.type"), equalTo("integer"));
        assertThat(doc.getString("components.schemas.Image.properties.content_type.type"), equalTo("string"));
        assertThat(doc.getList("components.schemas.Output.properties.size.anyOf[0].enum"),
                hasItem("landscape_16_9"));
    }
}
