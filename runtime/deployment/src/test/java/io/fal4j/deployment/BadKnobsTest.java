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

/** Knobs out of range and bad names fail the build. */
class BadKnobsTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(KnobsApp.class, Input.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    "@FalApp(maxMultiplexing = 0) must be at least 1",
                    "@FalApp(requestTimeout = -5) must be at least 1",
                    "@FalApp(keepAlive = -1) must not be negative",
                    "@FalApp(minConcurrency = 5) exceeds maxConcurrency = 2",
                    "@FalApp(name = \"Text_To_Image\") must be lower-case letters",
                    "@FalApp(machineType) needs at least one machine type"));

    public record Input(String prompt) {
    }

    @FalApp(name = "Text_To_Image", machineType = {}, maxMultiplexing = 0, requestTimeout = -5, keepAlive = -1,
            minConcurrency = 5, maxConcurrency = 2)
    public static class KnobsApp implements App {
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
