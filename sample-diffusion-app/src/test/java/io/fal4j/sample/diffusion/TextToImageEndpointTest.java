package io.fal4j.sample.diffusion;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packaged app's endpoint with the tiny model: PNGs of the requested size and count, seeds, validation. */
@QuarkusTest
class TextToImageEndpointTest {

    @BeforeEach
    void ready() throws InterruptedException {
        for (int i = 0; i < 600 && !"READY".equals(given().get("/health").path("state")); i++) {
            Thread.sleep(50);
        }
        given().get("/health").then().statusCode(200);
    }

    private static Response generate(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/");
    }

    private static ValidatableResponse rejects(String body, List<Object> loc) {
        return generate(body).then().statusCode(422).body("detail[0].loc", equalTo(loc));
    }

    @Test
    void returnsPngsOfTheRequestedSizeAndCount() throws Exception {
        Response response = generate("{\"prompt\":\"a watercolor fox\",\"image_size\":{\"width\":96,\"height\":64},"
                + "\"num_inference_steps\":3,\"num_images\":2,\"seed\":42,\"scheduler\":\"EULER\"}");
        response.then().statusCode(200).body("images", hasSize(2)).body("seed", equalTo(42))
                .body("prompt", equalTo("a watercolor fox"))
                .body("images[0].content_type", equalTo("image/png"))
                .body("images[0].width", equalTo(96)).body("images[0].height", equalTo(64))
                .body("timings", hasKey("unet")).body("timings", hasKey("vae_decode")).body("timings", hasKey("png"));
        for (int i = 0; i < 2; i++) {
            String url = response.path("images[" + i + "].url");
            byte[] png = given().get(url.substring(url.indexOf("/files/"))).then().statusCode(200)
                    .contentType("image/png").extract().asByteArray();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(96, image.getWidth());
            assertEquals(64, image.getHeight());
        }
        assertNotEquals((String) response.path("images[0].url"), response.path("images[1].url"));
    }

    @Test
    void servesSizesWhoseTensorsAreNoWholeNumberOfCacheLines() throws Exception {
        // 72x88: 9x11 latents, 1,584 bytes a copy; any staging rounded to 64 bytes would cut them short
        Response response = generate("{\"prompt\":\"a fox\",\"image_size\":{\"width\":72,\"height\":88},"
                + "\"num_inference_steps\":2,\"seed\":3}");
        response.then().statusCode(200).body("images[0].width", equalTo(72)).body("images[0].height", equalTo(88));
        String url = response.path("images[0].url");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(given().get(url.substring(url.indexOf("/files/")))
                .then().statusCode(200).extract().asByteArray()));
        assertEquals(72, image.getWidth());
        assertEquals(88, image.getHeight());
    }

    @Test
    void theSameSeedGivesIdenticalBytes() {
        String body = "{\"prompt\":\"a fox\",\"image_size\":\"square\",\"num_inference_steps\":2,\"seed\":7}";
        String first = generate(body).then().statusCode(200).extract().path("images[0].url");
        String second = generate(body).then().statusCode(200).extract().path("images[0].url");
        assertEquals(first, second, "content-addressed URLs differ, so the bytes do");
        String other = generate(body.replace("\"seed\":7", "\"seed\":8")).then().statusCode(200).extract()
                .path("images[0].url");
        assertNotEquals(first, other);
    }

    @Test
    void drawsAndReturnsASeedWhenNoneIsGiven() {
        generate("{\"prompt\":\"a fox\",\"image_size\":{\"width\":64,\"height\":64},\"num_inference_steps\":1}")
                .then().statusCode(200).body("seed", notNullValue()).body("images", hasSize(1));
    }

    @Test
    void outOfRangeInputIs422NamingTheField() {
        rejects("{\"prompt\":\"x\",\"num_inference_steps\":0}", List.of("body", "num_inference_steps"));
        rejects("{\"prompt\":\"x\",\"num_inference_steps\":51}", List.of("body", "num_inference_steps"));
        rejects("{\"prompt\":\"x\",\"guidance_scale\":20.5}", List.of("body", "guidance_scale"));
        rejects("{\"prompt\":\"x\",\"num_images\":5}", List.of("body", "num_images"));
        rejects("{\"prompt\":\"x\",\"seed\":-1}", List.of("body", "seed"));
        rejects("{\"prompt\":\"x\",\"scheduler\":\"DPM\"}", List.of("body", "scheduler")).body("detail[0].type",
                equalTo("enum"));
        rejects("{\"prompt\":\"x\",\"image_size\":\"huge\"}", List.of("body", "image_size"));
        rejects("{\"prompt\":\"x\",\"image_size\":{\"width\":100,\"height\":64}}",
                List.of("body", "image_size", "width"));
        rejects("{\"prompt\":\"x\",\"image_size\":{\"width\":64,\"height\":4096}}",
                List.of("body", "image_size", "height"));
        rejects("{\"negative_prompt\":\"x\"}", List.of("body", "prompt")).body("detail[0].type", equalTo("missing"));
        rejects("{\"prompt\":\" \"}", List.of("body", "prompt"));
    }

    @Test
    void documentsTheInputInOpenApi() {
        given().get("/openapi.json").then().statusCode(200)
                .body("info.title", equalTo("text-to-image"))
                .body("components.schemas.Input.properties.num_inference_steps.maximum", equalTo(50))
                .body("components.schemas.Input.properties.scheduler.default", equalTo("PNDM"))
                .body("components.schemas.Input.required", equalTo(List.of("prompt")));
    }
}
