package io.fal4j.docker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs the external tools fal4j drives (buildah, docker, skopeo), line by line. */
final class Commands {

    private Commands() {
    }

    /** Runs a command to its end, passing each line it prints (standard error included) on. */
    static Builder.Execution run(List<String> command, Consumer<String> lines) throws IOException {
        return run(command, Map.of(), lines);
    }

    /** The same with extra environment variables. */
    static Builder.Execution run(List<String> command, Map<String, String> env, Consumer<String> lines)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null;) {
                output.append(line).append('\n');
                lines.accept(line);
            }
        }
        try {
            if (!process.waitFor(60, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command.subList(0, Math.min(2, command.size())))
                        + " took longer than an hour");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Builder.Execution(process.exitValue(), output.toString());
    }

    /** Fails with the command's output unless it succeeded. */
    static Builder.Execution check(Builder.Execution execution, String what) throws IOException {
        if (execution.status() != 0) {
            throw new IOException(what + " failed: " + execution.output().strip());
        }
        return execution;
    }
}
