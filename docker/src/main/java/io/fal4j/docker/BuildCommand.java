package io.fal4j.docker;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fal4j build}: the app's image, reusing the user's layers when its cache key is unchanged. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Builds the container image of an app project with buildah.")
final class BuildCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<app-dir>", description = "The app project (after ./mvnw package).")
    Path appDir;

    @Option(names = "--tag", paramLabel = "T", description = "The image's name (default: localhost/fal4j/<app>:latest).")
    String tag;

    @Option(names = "--no-cache", description = "Rebuild every step, even with an unchanged cache key.")
    boolean noCache;

    @Option(names = "--default-ignores", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Apply fal4j's default ignore rules (.git, .env, node_modules, ...); --no-default-ignores leaves them out.")
    boolean defaultIgnores;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageBuild build = new ImageBuild(Builders.fromEnvironment(), output.progress(out, err), System.getenv());
        ImageBuild.Result result;
        try {
            result = build.build(appDir, tag, noCache, defaultIgnores);
        } catch (IOException | DockerfileException | ImageBuild.CheckFailure e) {
            err.println("fal4j build: " + e.getMessage());
            return 1;
        }
        if (output.json()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("image", result.image());
            body.put("user_image", result.userImage());
            body.put("cache_key", result.cacheKey());
            body.put("reused", result.reused());
            body.put("warnings", result.warnings());
            body.put("layers", result.layers());
            CommandOutput.json(out, body);
        } else {
            out.println("built " + result.image() + " (" + result.layers().size() + " layers; user layers "
                    + (result.reused() ? "reused" : "built") + ")");
        }
        return 0;
    }
}
