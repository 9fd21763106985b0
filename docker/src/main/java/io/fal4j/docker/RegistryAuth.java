package io.fal4j.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials for private registries, for one build or push: an auth file in the containers'
 * format ({@code {"auths": {host: {"auth": base64(user:password)}}}}), readable by its owner only,
 * deleted afterwards. Passwords come from environment variables and are masked in all output.
 */
final class RegistryAuth implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<String> passwords;

    private RegistryAuth(Path file, List<String> passwords) {
        this.file = file;
        this.passwords = passwords;
    }

    /**
     * Writes the auth file, or returns null when there are no registries.
     *
     * @throws IOException naming the variable of a password that is not set
     */
    static RegistryAuth write(Map<String, ImageSpec.Registry> registries, Map<String, String> environment)
            throws IOException {
        if (registries.isEmpty()) {
            return null;
        }
        Map<String, Object> auths = new LinkedHashMap<>();
        List<String> passwords = new java.util.ArrayList<>();
        for (Map.Entry<String, ImageSpec.Registry> registry : registries.entrySet()) {
            String variable = registry.getValue().passwordVariable();
            String password = environment.get(variable);
            if (password == null || password.isEmpty()) {
                throw new IOException("the registry " + registry.getKey() + " needs its password in $" + variable
                        + ", which is not set in this environment");
            }
            passwords.add(password);
            String pair = registry.getValue().username() + ":" + password;
            auths.put(registry.getKey(), Map.of("auth",
                    Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
        }
        Path file = Files.createTempFile("fal4j-auth-", ".json", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        JSON.writeValue(file.toFile(), Map.of("auths", auths));
        return new RegistryAuth(file, List.copyOf(passwords));
    }

    Path file() {
        return file;
    }

    /** A line with every password replaced by {@code ****}. */
    String mask(String line) {
        String masked = line;
        for (String password : passwords) {
            masked = masked.replace(password, "****");
        }
        return masked;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
