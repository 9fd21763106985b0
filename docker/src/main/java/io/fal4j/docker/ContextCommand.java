package io.fal4j.docker;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fal4j context}: every file that goes into an image's build context, with its mode and
 * SHA-256, and the image's cache key; with {@code --explain}, what changed since the last build.
 * The Dockerfile's COPY and ADD sources are checked against the context on the way.
 */
@Command(name = "context", mixinStandardHelpOptions = true,
        description = "Lists the build context of an app (a directory with target/fal4j-app.json) or of a "
                + "directory with a Dockerfile, and prints the cache key.")
final class ContextCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<dir>", description = "An app project, or a build context directory.")
    Path dir;

    @Option(names = "--dockerfile", paramLabel = "F", description = "The Dockerfile (default: <dir>/Dockerfile).")
    Path dockerfile;

    @Option(names = "--ignore-file", paramLabel = "F", description = "More ignore rules, over <dir>/.dockerignore.")
    Path ignoreFile;

    @Option(names = "--default-ignores", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Apply fal4j's default ignore rules (.git, .env, node_modules, ...); --no-default-ignores leaves them out.")
    boolean defaultIgnores;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--explain", description = "Say which inputs changed since the last build of this app.")
    boolean explain;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scanned scanned;
        try {
            scanned = Scanned.of(dir, dockerfile, ignoreFile, defaultIgnores);
        } catch (IOException | IllegalArgumentException | DockerfileException e) {
            err.println("fal4j context: " + e.getMessage());
            return 1;
        }
        List<String> changes = null;
        if (explain) {
            Path last = BuildRecords.lastBuild(scanned.spec().app());
            changes = Files.exists(last) ? scanned.key().changesSince(CacheKey.load(last)) : null;
        }
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("app", scanned.spec().app());
            body.put("context", scanned.context() == null ? null : scanned.context().root().toString());
            List<Map<String, Object>> files = new ArrayList<>();
            if (scanned.context() != null) {
                for (ContextEntry entry : scanned.context().files()) {
                    Map<String, Object> file = new LinkedHashMap<>();
                    file.put("path", entry.path());
                    file.put("type", entry.type().name().toLowerCase());
                    file.put("mode", entry.octalMode());
                    file.put("size", entry.size());
                    file.put(entry.type() == ContextEntry.Type.SYMLINK ? "target" : "sha256", entry.sha256());
                    files.add(file);
                }
            }
            body.put("files", files);
            body.put("cache_key", scanned.key().value());
            if (explain) {
                body.put("changes", changes);
            }
            CommandOutput.json(out, body);
            return 0;
        }
        long bytes = 0;
        int count = 0;
        if (scanned.context() != null) {
            for (ContextEntry entry : scanned.context().files()) {
                out.printf("%s  %-64s  %s%n", entry.octalMode(), entry.type() == ContextEntry.Type.SYMLINK
                        ? "-> " + entry.sha256() : entry.sha256(), entry.path());
                bytes += entry.size();
                count++;
            }
        }
        out.printf("%d files, %d bytes; cache key %s%n", count, bytes, scanned.key().value());
        if (explain) {
            if (changes == null) {
                out.println("no earlier build of " + scanned.spec().app() + " to compare with");
            } else if (changes.isEmpty()) {
                out.println("nothing changed since the last build: it will be reused");
            } else {
                changes.forEach(change -> out.println("  " + change));
            }
        }
        return 0;
    }
}
