package io.fal4j.runtime.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The embedded CDN: files kept in a local directory under their content-addressed key
 * ({@code <sha256>.<ext>}) and served by the runner at {@code /files/<key>}. A file is written to a
 * temporary name and moved into place atomically, so readers never see a partial file, a failed
 * write leaves nothing behind, and concurrent stores of the same bytes end as one file.
 */
public final class LocalCdn implements FileRepository {

    /** What a key looks like; anything else is not ours. */
    static final Pattern KEY = Pattern.compile("[0-9a-f]{64}\\.[a-z0-9]{1,12}");

    private final Path dir;
    private final Optional<String> publicUrl;

    public LocalCdn(Path dir, Optional<String> publicUrl) {
        this.dir = dir.toAbsolutePath().normalize();
        this.publicUrl = publicUrl.map(url -> url.replaceAll("/+$", ""));
    }

    @Override
    public String name() {
        return "cdn";
    }

    @Override
    public String store(Payload payload, String baseUrl) throws StoreException {
        Path target = dir.resolve(payload.key());
        if (!Files.exists(target)) {
            write(payload, target);
        }
        return publicUrl.orElse(baseUrl) + "/files/" + payload.key();
    }

    private void write(Payload payload, Path target) throws StoreException {
        Path temporary = null;
        try {
            Files.createDirectories(dir);
            temporary = Files.createTempFile(dir, ".upload-", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                out.write(payload.data());
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException sameBytesStoredMeanwhile) {
                // Content-addressed: whoever won wrote the same bytes.
            }
        } catch (IOException e) {
            throw new StoreException("cannot write " + payload.key() + " to " + dir + ": " + e, false, e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** The stored file for a key, or empty when the key is malformed or unknown. */
    public Optional<Path> find(String key) {
        if (!KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        Path file = dir.resolve(key);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary != null) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // A leftover temporary name is never served: it does not match KEY.
            }
        }
    }
}
