package io.fal4j.deployment;

import static org.junit.jupiter.api.Assertions.fail;

import io.fal4j.api.App;
import io.fal4j.api.ContainerImage;
import io.fal4j.api.Default;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two endpoints on one path fail the build, naming both methods. */
class DuplicatePathTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(PathApp.class, Input.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    "PathApp#first and " + PathApp.class.getName() + "#second are both @Endpoint(\"/generate\")"));

    public record Input(String prompt) {
    }

    @FalApp
    public static class PathApp implements App {
        @Endpoint("/generate")
        public Input first(Input input) {
            return input;
        }

        @Endpoint("/generate")
        public Input second(Input input) {
            return input;
        }
    }

    @Test
    void failsTheBuild() {
        fail("the build should have failed");
    }
}
