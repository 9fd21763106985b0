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

/** Endpoint methods with the wrong shape fail the build, each named. */
class BadSignatureTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SignatureApp.class, Input.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    "SignatureApp#statics is not a valid @Endpoint: it must be public and not static",
                    "SignatureApp#nothing is not a valid @Endpoint: it must return an output object, not void",
                    "SignatureApp#number is not a valid @Endpoint: it must return an output object, not int",
                    "SignatureApp#three is not a valid @Endpoint: it must take one input object and optionally a RequestContext",
                    "SignatureApp#swapped is not a valid @Endpoint: it must take one input object",
                    "SignatureApp#primitive is not a valid @Endpoint: its input must be a record or bean class, not int",
                    "SignatureApp#hidden is not a valid @Endpoint: it must be public"));

    public record Input(String prompt) {
    }

    @FalApp
    public static class SignatureApp implements App {
        @Endpoint("/static")
        public static Input statics(Input input) {
            return input;
        }

        @Endpoint("/void")
        public void nothing(Input input) {
        }

        @Endpoint("/int")
        public int number(Input input) {
            return 1;
        }

        @Endpoint("/three")
        public Input three(Input input, RequestContext ctx, String extra) {
            return input;
        }

        @Endpoint("/swapped")
        public Input swapped(RequestContext ctx, Input input) {
            return input;
        }

        @Endpoint("/primitive")
        public Input primitive(int steps) {
            return null;
        }

        @Endpoint("/hidden")
        Input hidden(Input input) {
            return input;
        }
    }

    @Test
    void failsTheBuild() {
        fail("the build should have failed");
    }
}
