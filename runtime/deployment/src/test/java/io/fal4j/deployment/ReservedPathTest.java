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

/** Endpoint paths the runner serves itself, or that are not paths, fail the build. */
class ReservedPathTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(PathApp.class, Input.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    "PathApp#health: @Endpoint(\"/health\") is a path the runner serves itself",
                    "PathApp#quarkus: @Endpoint(\"/q/health\") is a path the runner serves itself",
                    "PathApp#files: @Endpoint(\"/files/x\") is a path the runner serves itself",
                    "PathApp#relative: @Endpoint(\"generate\") must start with /",
                    "PathApp#template: @Endpoint(\"/items/:id\") must start with /"));

    public record Input(String prompt) {
    }

    @FalApp
    public static class PathApp implements App {
        @Endpoint("/health")
        public Input health(Input input) {
            return input;
        }

        @Endpoint("/q/health")
        public Input quarkus(Input input) {
            return input;
        }

        @Endpoint("/files/x")
        public Input files(Input input) {
            return input;
        }

        @Endpoint("generate")
        public Input relative(Input input) {
            return input;
        }

        @Endpoint("/items/:id")
        public Input template(Input input) {
            return input;
        }
    }

    @Test
    void failsTheBuild() {
        fail("the build should have failed");
    }
}
