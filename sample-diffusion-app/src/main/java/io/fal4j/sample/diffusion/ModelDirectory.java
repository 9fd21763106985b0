package io.fal4j.sample.diffusion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the model comes from: {@code FAL4J_MODEL_DIR} or the {@code sample.model-dir} property when
 * set (the image's exported weights, for example), otherwise the tiny model inside the app, unpacked
 * to a temporary directory because TorchScript loads from files.
 */
final class ModelDirectory implements AutoCloseable {

    /** The tiny model's files, packaged with the app. */
    static final String TINY = "tiny-sd";
    private static final List<String> TINY_FILES = List.of("config.json", "text_encoder.pt", "unet.pt",
            "vae_decoder.pt", "vocab.json", "merges.txt");

    private final Path path;
    private final boolean temporary;

    private ModelDirectory(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    static ModelDirectory resolve() throws IOException {
        Optional<String> configured = Optional.ofNullable(System.getenv("FAL4J_MODEL_DIR")).filter(s -> !s.isBlank())
                .or(() -> ConfigProvider.getConfig().getOptionalValue("sample.model-dir", String.class));
        if (configured.isPresent()) {
            Path dir = Path.of(configured.get());
            if (!Files.isRegularFile(dir.resolve("config.json"))) {
                throw new IOException("No config.json in the model directory " + dir.toAbsolutePath());
            }
            return new ModelDirectory(dir, false);
        }
        Path dir = Files.createTempDirectory(TINY);
        for (String file : TINY_FILES) {
            try (InputStream in = ModelDirectory.class.getClassLoader().getResourceAsStream(TINY + "/" + file)) {
                if (in == null) {
                    throw new IOException("The app is missing " + TINY + "/" + file);
                }
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new ModelDirectory(dir, true);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            try (Stream<Path> files = Files.list(path)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(path);
        }
    }
}
