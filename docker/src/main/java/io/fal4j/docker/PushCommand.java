package io.fal4j.docker;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code fal4j push}: an image (or an app project's, built first) to a registry, its layers' compression checked. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Pushes an image, or builds and pushes an app project's image, and prints its digest.")
final class PushCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<image|app-dir>", description = "An image name, or an app project directory.")
    String target;

    @Mixin
    PushOptions push;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ImagePush.Result result = push.ship(target, Builders.fromEnvironment(), output.progress(out, err)).pushed();
            if (output.json()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("destination", result.destination());
                body.put("digest", result.digest());
                body.put("media_types", result.mediaTypes());
                CommandOutput.json(out, body);
            } else {
                out.println("pushed " + result.destination() + "@" + result.digest());
            }
            return 0;
        } catch (IOException | DockerfileException | ImageBuild.CheckFailure e) {
            err.println("fal4j push: " + e.getMessage());
            return 1;
        }
    }
}
