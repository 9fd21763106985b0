package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.File;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** By default an input URL cannot make the runner fetch from itself or any other internal address. */
class SsrfTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, FetchApp.class, Input.class, Output.class));

    public record Input(List<File> files) {
    }

    public record Output(int bytes) {
    }

    @FalApp
    public static class FetchApp implements App {
        @Endpoint("/")
        public Output fetch(Input input) {
            int total = 0;
            for (File file : input.files()) {
                total += file.bytes().length;
            }
            return new Output(total);
        }
    }

    @Test
    void refusesInternalAddressesNamingTheField() {
        Health.await("READY");
        for (String url : new String[] {"http://localhost:" + RestAssured.port + "/health", "http://127.0.0.1/x",
                "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/", "http://10.0.0.8/weights"}) {
            given().contentType(ContentType.JSON).body("{\"files\":[\"data:,ok\",\"" + url + "\"]}").post("/")
                    .then().statusCode(422)
                    .body("detail[0].loc", equalTo(List.of("body", "files", 1)))
                    .body("detail[0].msg", containsString("does not download from"));
        }
        given().contentType(ContentType.JSON).body("{\"files\":[\"data:,ok\"]}").post("/").then().statusCode(200)
                .body("bytes", equalTo(2));
    }
}
