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

/** An app without endpoints does not build. */
class NoEndpointTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(EmptyApp.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    EmptyApp.class.getName() + " declares no @Endpoint method"));

    @FalApp
    public static class EmptyApp implements App {
    }

    @Test
    void failsTheBuild() {
        fail("the build should have failed");
    }
}
