package io.fal4j.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build secrets for one build: each {@code $NAME} reference resolved from the environment into a
 * file only its owner can read, handed to the builder as a secret mount, deleted afterwards. The
 * values never reach a layer, a log line (they are masked in the builder's output) or the app's
 * metadata.
 */
final class BuildSecrets implements AutoCloseable {

    private static final String MASK = "****";

    private final Path dir;
    private final Map<String, Path> files;
    private final Map<String, String> values;

    private BuildSecrets(Path dir, Map<String, Path> files, Map<String, String> values) {
        this.dir = dir;
        this.files = files;
        this.values = values;
    }

    /**
     * Resolves every secret.
     *
     * @param secrets id to the name of the environment variable holding its value
     * @throws IOException naming the variable of a secret that is not set
     */
    static BuildSecrets resolve(Map<String, String> secrets, Map<String, String> environment) throws IOException {
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String value = environment.get(secret.getValue());
            if (value == null || value.isEmpty()) {
                throw new IOException("the build secret '" + secret.getKey() + "' reads $" + secret.getValue()
                        + ", which is not set in this environment");
            }
        }
        Path dir = Files.createTempDirectory("fal4j-secrets-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            Path file = dir.resolve(secret.getKey());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            String value = environment.get(secret.getValue());
            Files.writeString(file, value);
            files.put(secret.getKey(), file);
            values.put(secret.getKey(), value);
        }
        return new BuildSecrets(dir, Map.copyOf(files), values);
    }

    /** Id to the file holding the value, for the builder. */
    Map<String, Path> files() {
        return files;
    }

    /** A line of output with every secret value replaced by {@code ****}. */
    String mask(String line) {
        String masked = line;
        for (String value : values.values()) {
            masked = masked.replace(value, MASK);
        }
        return masked;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
