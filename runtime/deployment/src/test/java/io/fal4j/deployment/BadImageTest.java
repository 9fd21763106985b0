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

/** An image() the ContainerImage rules refuse fails the build with their message. */
class BadImageTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(ImageApp.class, Input.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    ImageApp.class.getName() + "#image(): The Dockerfile text is blank"));

    public record Input(String prompt) {
    }

    @FalApp
    public static class ImageApp implements App {
        @Override
        public ContainerImage image() {
            return ContainerImage.fromDockerfileStr("   ");
        }

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
