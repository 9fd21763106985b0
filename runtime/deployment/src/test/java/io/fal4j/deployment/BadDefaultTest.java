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

/** A @Default that does not fit its field fails the build, naming the field. */
class BadDefaultTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(DefaultApp.class, Input.class, Size.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    "DefaultApp#run: input Input: " + Input.class.getName() + ".steps: @Default(\"many\") is not a valid int",
                    "DefaultApp#run: input Input.size: " + Size.class.getName() + ".width: @Default(\"wide\") is not a valid int"));

    public record Size(@Default("wide") int width) {
    }

    public record Input(@Default("many") int steps, @Default("ok") String fine, Size size) {
    }

    @FalApp
    public static class DefaultApp implements App {
        @Endpoint("/")
        public Input run(Input input) {
            return input;
        }
    }

    @Test
    void failsTheBuild() {
        fail("the build should have failed");
    }
}
