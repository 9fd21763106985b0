package io.fal4j.docker;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fal4j deploy}: build and push, then run the image here until it is READY ({@code --target
 * local}) or write its Knative Service pinned to the pushed digest ({@code --target knative}).
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Builds and pushes an app project's image, then runs it locally (--target local) "
                + "or writes its Knative manifest (--target knative).")
final class DeployCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<app-dir>", description = "The app project (after ./mvnw package).")
    String appDir;

    @Mixin
    PushOptions push;

    @Option(names = "--target", description = "local (default) or knative.")
    String target = "local";

    @Option(names = "--machine-types", paramLabel = "F", description = "knative: a machine-type table replacing the built-in one.")
    Path machineTypes;

    @Option(names = "--port", description = "The local port (default 8080).")
    int port = 8080;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!target.equals("local") && !target.equals("knative")) {
            err.println("fal4j deploy: unknown --target " + target + ": local or knative");
            return 2;
        }
        Builder builder = Builders.fromEnvironment();
        try {
            PushOptions.Shipped shipped = push.ship(appDir, builder, out::println);
            out.println("pushed " + shipped.pushed().destination() + "@" + shipped.pushed().digest());
            if (target.equals("knative")) {
                String pinned = shipped.pushed().destination().replaceFirst(":[^:/]+$", "") + "@"
                        + shipped.pushed().digest();
                out.println("wrote " + ManifestsCommand.write(Path.of(appDir), pinned, machineTypes, null));
                return 0;
            }
            return ImageRun.serve(builder, shipped.image(), port, Duration.ofMinutes(10), out);
        } catch (IOException | DockerfileException | ImageBuild.CheckFailure e) {
            err.println("fal4j deploy: " + e.getMessage());
            return 1;
        }
    }
}
