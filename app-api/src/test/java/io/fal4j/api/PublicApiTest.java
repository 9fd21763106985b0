package io.fal4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Uses the whole public API the way an app developer does, from plain Java. */
class PublicApiTest {

    @Description("Generates a greeting.")
    public record Input(
            @NotBlank @Description(value = "Who to greet.", examples = "world") String name,
            @Default("1") @Min(1) @Max(5) int times) {
    }

    public record Output(String greeting) {
    }

    @FalApp(name = "greeter", machineType = {"GPU-H100", "GPU-A100"}, numGpus = 1, keepAlive = 300,
            minConcurrency = 1, maxConcurrency = 4, concurrencyBuffer = 1, maxMultiplexing = 2,
            requestTimeout = 30, startupTimeout = 120, auth = FalApp.Auth.PUBLIC)
    public static final class GreeterApp implements App {
        private String greeting;
        private boolean tornDown;

        @Override
        public ContainerImage image() {
            return ContainerImage.fromDockerfileStr("""
                    FROM debian:bookworm-slim
                    RUN --mount=type=secret,id=token cat /run/secrets/token > /dev/null
                    """)
                    .withBuildArg("GREETING", "hello")
                    .withSecret("token", "$GREETER_TOKEN")
                    .withRegistry("localhost:5000", "ci", "${REGISTRY_PASSWORD}")
                    .withContextDir(Path.of("."))
                    .addDockerignore("*.tmp", "!keep.tmp")
                    .withCompression("zstd")
                    .withForceCompression(true);
        }

        @Override
        public void setup() {
            greeting = "hello";
        }

        @Override
        public void teardown() {
            tornDown = true;
        }

        @Endpoint("/")
        public Output greet(Input input, RequestContext ctx) {
            ctx.throwIfCancelled();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < input.times(); i++) {
                ctx.progress(i + 1, input.times());
                out.append(greeting).append(' ').append(input.name()).append('!');
            }
            ctx.log("greeted " + input.name());
            ctx.log(RequestContext.Level.WARNING, "greeting twice is a lot");
            if (input.name().equals("nobody")) {
                throw new FieldException("name", "must name somebody");
            }
            return new Output(out.toString());
        }
    }

    /** A context as a test of app code would write one. */
    static final class RecordingContext implements RequestContext {
        final List<String> lines = new ArrayList<>();
        boolean cancelled;

        @Override
        public String requestId() {
            return "req-1";
        }

        @Override
        public Instant deadline() {
            return Instant.now().plusSeconds(30);
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public void progress(int step, int total) {
            lines.add(step + "/" + total);
        }

        @Override
        public void log(Level level, String message) {
            lines.add(level + " " + message);
        }
    }

    @Test
    void appIsCallableAsPlainJava() throws Exception {
        GreeterApp app = new GreeterApp();
        app.setup();
        RecordingContext ctx = new RecordingContext();

        Output out = app.greet(new Input("world", 2), ctx);

        assertEquals("hello world!hello world!", out.greeting());
        assertEquals(List.of("1/2", "2/2", "INFO greeted world", "WARNING greeting twice is a lot"), ctx.lines);
        app.teardown();
        assertTrue(app.tornDown);
    }

    @Test
    void cancelledContextStopsTheWorkWith499() {
        RecordingContext ctx = new RecordingContext();
        ctx.cancelled = true;

        AppException e = assertThrows(AppException.class, () -> new GreeterApp().greet(new Input("x", 1), ctx));

        assertEquals(499, e.status());
    }

    @Test
    void fieldExceptionCarries422AndTheFieldPath() {
        GreeterApp app = new GreeterApp();
        app.setup();

        FieldException e = assertThrows(FieldException.class,
                () -> app.greet(new Input("nobody", 1), new RecordingContext()));

        assertEquals(422, e.status());
        assertEquals(List.of("name"), e.location());
        assertEquals("must name somebody", e.getMessage());
        assertEquals(List.of("images", 2, "url"), new FieldException(List.of("images", 2, "url"), "bad").location());
    }

    @Test
    void annotationsCarryTheKnobs() throws Exception {
        FalApp knobs = GreeterApp.class.getAnnotation(FalApp.class);
        assertEquals("greeter", knobs.name());
        assertArrayEquals(new String[] {"GPU-H100", "GPU-A100"}, knobs.machineType());
        assertEquals(1, knobs.numGpus());
        assertEquals(300, knobs.keepAlive());
        assertEquals(1, knobs.minConcurrency());
        assertEquals(4, knobs.maxConcurrency());
        assertEquals(1, knobs.concurrencyBuffer());
        assertEquals(2, knobs.maxMultiplexing());
        assertEquals(30, knobs.requestTimeout());
        assertEquals(120, knobs.startupTimeout());
        assertEquals(FalApp.Auth.PUBLIC, knobs.auth());

        Method greet = GreeterApp.class.getMethod("greet", Input.class, RequestContext.class);
        assertEquals("/", greet.getAnnotation(Endpoint.class).value());
        Description name = Input.class.getRecordComponents()[0].getAnnotation(Description.class);
        assertEquals("Who to greet.", name.value());
        assertArrayEquals(new String[] {"world"}, name.examples());
        assertEquals("1", Input.class.getRecordComponents()[1].getAnnotation(Default.class).value());
        assertEquals("Generates a greeting.", Input.class.getAnnotation(Description.class).value());
    }

    @FalApp
    public static final class PlainApp implements App {
        @Endpoint("/")
        public Output run(Input input) {
            return new Output(input.name());
        }
    }

    @Test
    void defaultsAreFals() throws Exception {
        FalApp knobs = PlainApp.class.getAnnotation(FalApp.class);
        assertEquals("", knobs.name());
        assertArrayEquals(new String[] {"CPU"}, knobs.machineType());
        assertEquals(60, knobs.keepAlive());
        assertEquals(0, knobs.minConcurrency());
        assertEquals(1, knobs.maxMultiplexing());
        assertEquals(600, knobs.startupTimeout());
        assertEquals(FalApp.Auth.PRIVATE, knobs.auth());

        PlainApp app = new PlainApp();
        app.setup();
        app.teardown();
        assertTrue(app.image().dockerfile().contains("openjdk-17-jre-headless"));
        assertTrue(app.image().dockerfile().contains("curl"));
        assertFalse(app.image().contextDir().isPresent());
    }

    @Test
    void imageSpecKeepsEveryOption() {
        ContainerImage image = new GreeterApp().image();

        assertEquals(Map.of("GREETING", "hello"), image.buildArgs());
        assertEquals(Map.of("token", "$GREETER_TOKEN"), image.secrets());
        assertEquals("ci", image.registries().get("localhost:5000").username());
        assertEquals("REGISTRY_PASSWORD", image.registries().get("localhost:5000").passwordVariable());
        assertEquals(Path.of("").toAbsolutePath(), image.contextDir().orElseThrow());
        assertEquals(List.of("*.tmp", "!keep.tmp"), image.dockerignore());
        assertFalse(image.dockerignorePath().isPresent());
        assertEquals(ContainerImage.Compression.ZSTD, image.compression());
        assertEquals("zstd", image.compression().id());
        assertTrue(image.forceCompression());
        assertEquals(image, new GreeterApp().image());
        assertEquals(image.hashCode(), new GreeterApp().image().hashCode());
    }

    @Test
    void appExceptionRejectsNonErrorStatuses() {
        assertEquals(503, new AppException(503, "busy").status());
        assertThrows(IllegalArgumentException.class, () -> new AppException(200, "fine"));
        assertThrows(IllegalArgumentException.class, () -> new AppException(600, "odd"));
        assertThrows(IllegalArgumentException.class, () -> new FieldException(List.of(), "no field"));
    }
}
