package io.fal4j.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The identity of an image's user layers: a SHA-256 over the Dockerfile, the build arguments, the
 * secrets' and registries' names (never their values), the compression, and every context entry's
 * path, mode and content. The same key means the same image, so a build with an unchanged key
 * reuses it. The inputs are kept, each hashed, so that a later key can say what changed.
 */
public final class CacheKey {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TreeMap<String, String> inputs;
    private final String value;

    private CacheKey(TreeMap<String, String> inputs) {
        this.inputs = inputs;
        MessageDigest digest = BuildContext.sha256();
        inputs.forEach((name, hash) -> digest.update((name + "=" + hash + "\n").getBytes(StandardCharsets.UTF_8)));
        this.value = "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /** The key of an image spec over its scanned context. */
    public static CacheKey of(ImageSpec spec, BuildContext context) {
        TreeMap<String, String> inputs = new TreeMap<>();
        inputs.put("dockerfile", hash(spec.dockerfile()));
        spec.buildArgs().forEach((name, value) -> inputs.put("build-arg " + name, hash(value)));
        spec.secrets().keySet().forEach(id -> inputs.put("secret " + id, "present"));
        spec.registries().keySet().forEach(host -> inputs.put("registry " + host, "present"));
        inputs.put("compression", spec.compression());
        if (context != null) {
            for (ContextEntry entry : context.entries()) {
                inputs.put("file " + entry.path(), entry.type().name().toLowerCase() + " " + entry.octalMode() + " "
                        + entry.sha256());
            }
        }
        return new CacheKey(inputs);
    }

    /** {@code sha256:<hex>}. */
    public String value() {
        return value;
    }

    /** Each input's name and hash. */
    public Map<String, String> inputs() {
        return Collections.unmodifiableMap(inputs);
    }

    /** What differs from the inputs of an earlier key, one line per input: added, removed or changed. */
    public List<String> changesSince(Map<String, String> earlier) {
        List<String> changes = new ArrayList<>();
        Set<String> names = new TreeSet<>(earlier.keySet());
        names.addAll(inputs.keySet());
        for (String name : names) {
            String before = earlier.get(name);
            String now = inputs.get(name);
            if (before == null) {
                changes.add("added " + name);
            } else if (now == null) {
                changes.add("removed " + name);
            } else if (!before.equals(now)) {
                changes.add("changed " + name);
            }
        }
        return changes;
    }

    /** Writes the inputs, for a later {@link #changesSince}. */
    public void save(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), Map.of("key", value, "inputs", inputs));
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The inputs saved in a file by {@link #save}. */
    public static Map<String, String> load(Path file) throws IOException {
        Map<String, Object> saved = JSON.readValue(file.toFile(), new TypeReference<>() { });
        @SuppressWarnings("unchecked")
        Map<String, String> inputs = (Map<String, String>) saved.get("inputs");
        return inputs == null ? Map.of() : inputs;
    }

    private static String hash(String text) {
        return HexFormat.of().formatHex(BuildContext.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
