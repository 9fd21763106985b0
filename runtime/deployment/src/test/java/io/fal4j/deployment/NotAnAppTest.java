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

/** A @FalApp class that is not an App, or cannot be constructed, and endpoints elsewhere fail the build. */
class NotAnAppTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(LooseApp.class, Other.class, Input.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    LooseApp.class.getName() + ": a @FalApp class must implement io.fal4j.api.App",
                    LooseApp.class.getName() + ": a @FalApp class needs a public constructor without parameters",
                    Other.class.getName() + "#run: @Endpoint methods belong to the @FalApp class"));

    public record Input(String prompt) {
    }

    @FalApp
    public static class LooseApp {
        public LooseApp(String config) {
        }

        @Endpoint("/")
        public Input run(Input input) {
            return input;
        }
    }

    public static class Other {
        @Endpoint("/other")
        public Input run(Input input) {
            return input;
        }
    }

    @Test
    void failsTheBuild() {
        fail("the build should have failed");
    }
}
