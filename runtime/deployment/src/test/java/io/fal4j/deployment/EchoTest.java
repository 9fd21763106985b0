package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EchoTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(EchoApp.class, Input.class, Output.class));

    public record Input(String prompt, int seed) {
    }

    public record Output(String prompt, int seed) {
    }

    @FalApp(name = "echo")
    public static class EchoApp implements App {
        @Endpoint("/echo")
        public Output echo(Input input) {
            return new Output(input.prompt(), input.seed());
        }
    }

    @Test
    void echoesTheInput() throws Exception {
        Thread.sleep(500);
        given().get("/health").then().log().all();
        given().contentType("application/json").body("{\"prompt\":\"hi\",\"seed\":3}").post("/echo")
                .then().log().all().statusCode(200).body("seed", equalTo(3));
    }
}
