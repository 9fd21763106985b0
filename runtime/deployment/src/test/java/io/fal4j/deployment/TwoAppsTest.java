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

/** Two @FalApp classes in one project do not build: a runner serves one app. */
class TwoAppsTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(FirstApp.class, SecondApp.class, Input.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    "found 2 @FalApp classes", FirstApp.class.getName(), SecondApp.class.getName()));

    public record Input(String prompt) {
    }

    @FalApp
    public static class FirstApp implements App {
        @Endpoint("/")
        public Input run(Input input) {
            return input;
        }
    }

    @FalApp
    public static class SecondApp implements App {
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
