package io.fal4j.docker;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fal4j run}: starts an app's image locally and waits until it is READY, then keeps it running. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs an image (or an app project's image, building it first) and waits for /health READY.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<image|app-dir>", description = "An image name, or an app project directory.")
    String target;

    @Option(names = "--port", description = "The port the app listens on (default 8080).")
    int port = 8080;

    @Option(names = "--startup-timeout", description = "How long to wait for READY, in seconds (default 600).")
    int startupTimeout = 600;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Builder builder = Builders.fromEnvironment();
        String image = target;
        try {
            if (Files.isDirectory(Path.of(target))) {
                image = new ImageBuild(builder, out::println, System.getenv()).build(Path.of(target), null, false).image();
            }
            return ImageRun.serve(builder, image, port, Duration.ofSeconds(startupTimeout), out);
        } catch (IOException | DockerfileException | ImageBuild.CheckFailure e) {
            err.println("fal4j run: " + e.getMessage());
            return 1;
        }
    }
}
