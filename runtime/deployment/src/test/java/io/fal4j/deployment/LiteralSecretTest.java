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

/** A secret written as a literal value fails the build with advice, without echoing the value. */
class LiteralSecretTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SecretApp.class, Input.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    SecretApp.class.getName() + "#image(): Secret 'hf_token' must be a reference such as \"$HF_TOKEN\""));

    public record Input(String prompt) {
    }

    @FalApp
    public static class SecretApp implements App {
        @Override
        public ContainerImage image() {
            return ContainerImage.fromDockerfileStr("FROM debian:bookworm-slim").withSecret("hf_token", "hf_live_value");
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
