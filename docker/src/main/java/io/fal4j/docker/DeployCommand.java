package io.fal4j.docker;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fal4j deploy}: build, push, then run the image here until it is READY (the local target). */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Builds and pushes an app project's image, then runs it locally (--target local).")
final class DeployCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<app-dir>", description = "The app project (after ./mvnw package).")
    String appDir;

    @Mixin
    PushOptions push;

    @Option(names = "--target", description = "local (default); Kubernetes/Knative manifests are not written yet.")
    String target = "local";

    @Option(names = "--port", description = "The local port (default 8080).")
    int port = 8080;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!target.equals("local")) {
            err.println("fal4j deploy: --target " + target + " is not supported yet; use local");
            return 2;
        }
        Builder builder = Builders.fromEnvironment();
        try {
            PushOptions.Shipped shipped = push.ship(appDir, builder, out::println);
            out.println("pushed " + shipped.pushed().destination() + "@" + shipped.pushed().digest());
            try (ImageRun run = ImageRun.start(builder, shipped.image(), port, Map.of())) {
                run.awaitReady(Duration.ofMinutes(10));
                out.println("READY at " + run.url("/"));
                out.flush();
                return run.await();
            }
        } catch (IOException | DockerfileException | ImageBuild.CheckFailure e) {
            err.println("fal4j deploy: " + e.getMessage());
            return 1;
        }
    }
}
