package io.fal4j.it;

import io.fal4j.api.App;
import io.fal4j.api.Description;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * An echo app with the {@code /echo} shapes of the FastAPI peer, plus a {@code /slow} endpoint that
 * works in steps and honours cancellation. Environment variables steer setup and teardown so the
 * tests can drive every lifecycle path of the packaged app, and {@code ECHO_RUNS_FILE} records
 * each run of {@code /slow} by request id.
 */
@FalApp(name = "echo", maxMultiplexing = 64, requestTimeout = 30, startupTimeout = 60)
@Description("Echoes its input; the runtime benchmark's app.")
public class EchoApp implements App {

    @Override
    public void setup() throws Exception {
        long sleep = Long.parseLong(System.getenv().getOrDefault("ECHO_SETUP_SLEEP_MS", "0"));
        Thread.sleep(sleep);
        if (System.getenv("ECHO_SETUP_FAIL") != null) {
            throw new IllegalStateException("setup failed on purpose: " + System.getenv("ECHO_SETUP_FAIL"));
        }
    }

    @Override
    public void teardown() throws Exception {
        String marker = System.getenv("ECHO_TEARDOWN_MARKER");
        if (marker != null) {
            Files.writeString(Path.of(marker), "torn down");
        }
    }

    @Endpoint("/echo")
    @Description("Returns the image it would have generated.")
    public Output echo(Input input) {
        return new Output(new Image("http://127.0.0.1/none.png", "image/png", input.width(), input.height(), 0),
                input.seed());
    }

    @Endpoint("/png")
    @Description("Paints a solid image of the requested size and returns it through the CDN.")
    public Painted png(Input input) {
        BufferedImage canvas = new BufferedImage(input.width(), input.height(), BufferedImage.TYPE_INT_RGB);
        int rgb = (input.seed() * 37 & 0xff) << 16 | (input.seed() * 91 & 0xff) << 8 | 128;
        Arrays.fill(((DataBufferInt) canvas.getRaster().getDataBuffer()).getData(), rgb);
        return new Painted(io.fal4j.api.Image.fromBufferedImage(canvas), input.seed());
    }

    @Endpoint("/slow")
    @Description("Works for the given time in 10 ms steps, stopping when cancelled.")
    public Slept slow(Slow input, RequestContext ctx) throws Exception {
        String runs = System.getenv("ECHO_RUNS_FILE");
        if (runs != null) {
            Files.writeString(Path.of(runs), ctx.requestId() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        long start = System.nanoTime();
        int steps = Math.max(1, input.millis() / 10);
        for (int step = 0; step < steps; step++) {
            ctx.throwIfCancelled();
            Thread.sleep(10);
            ctx.progress(step + 1, steps);
        }
        long slept = (System.nanoTime() - start) / 1_000_000;
        ctx.log("slept " + slept + " ms");
        return new Slept(slept);
    }
}
