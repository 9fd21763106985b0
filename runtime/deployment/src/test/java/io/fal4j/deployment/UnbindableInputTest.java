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

/** Input types Jackson cannot bind from a JSON object fail the build, naming the method and field. */
class UnbindableInputTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(BindApp.class, Input.class, Shape.class, Task.class, Bean.class))
            .assertException(failure -> Declarations.assertProblems(failure,
                    "BindApp#run: input Input.task: java.lang.Runnable cannot be bound from JSON",
                    "BindApp#run: input Input.shape: " + Shape.class.getName() + " is abstract",
                    "BindApp#run: input Input.byShape: map keys must be strings, numbers or enums",
                    "BindApp#run: input Input.beans[]: " + Bean.class.getName() + " has neither a no-argument constructor nor a @JsonCreator",
                    "BindApp#list is not a valid @Endpoint: its input must be a record or bean class, not java.util.List<java.lang.String>",
                    "BindApp#text: the input java.lang.String cannot be bound from a JSON object",
                    "BindApp#task: the input " + Task.class.getName() + " cannot be bound from a JSON object"));

    public interface Shape {
    }

    public enum Task { A }

    public static class Bean {
        public Bean(String required) {
        }
    }

    public record Input(String prompt, Runnable task, Shape shape, Map<Shape, String> byShape, List<Bean> beans) {
    }

    @FalApp
    public static class BindApp implements App {
        @Endpoint("/")
        public Input run(Input input) {
            return input;
        }

        @Endpoint("/list")
        public Input list(List<String> input) {
            return null;
        }

        @Endpoint("/text")
        public Input text(String input) {
            return null;
        }

        @Endpoint("/task")
        public Input task(Task input) {
            return null;
        }
    }

    @Test
    void failsTheBuild() {
        fail("the build should have failed");
    }
}
