package io.fal4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Pushes an image with the chosen layer compression, then proves it: the image goes first into a
 * fresh local directory (so every layer is compressed anew; a builder's blob cache could otherwise
 * reuse a layer compressed the other way), from there to the registry with skopeo, and the pushed
 * manifest's layer media types are read back and checked. gzip goes as a Docker v2 schema 2 image
 * (which keeps the HEALTHCHECK); zstd needs an OCI image.
 */
public final class ImagePush {

    /**
     * A pushed image.
     *
     * @param destination where it went
     * @param digest the manifest's digest
     * @param mediaTypes the pushed layers' media types
     */
    public record Result(String destination, String digest, List<String> mediaTypes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder builder;
    private final Consumer<String> progress;

    public ImagePush(Builder builder, Consumer<String> progress) {
        this.builder = builder;
        this.progress = progress;
    }

    /**
     * Pushes {@code image} to {@code destination} ({@code host[:port]/name:tag}).
     *
     * @param auth credentials, or null
     * @param tlsVerify false for a registry on plain HTTP
     * @throws IOException when the push fails or the registry holds other media types than asked for
     */
    Result push(String image, String destination, String compression, RegistryAuth auth, boolean tlsVerify)
            throws IOException {
        String algorithm = compression.toLowerCase(Locale.ROOT);
        if (!algorithm.equals("gzip") && !algorithm.equals("zstd")) {
            throw new IOException("unknown compression '" + compression + "': gzip or zstd");
        }
        boolean zstd = algorithm.equals("zstd");
        Path layout = Files.createTempDirectory("fal4j-layout-");
        Path digestFile = layout.resolve("digest");
        try {
            progress.accept("compressing layers with " + algorithm);
            builder.export(image, layout.resolve("image"), zstd, algorithm);
            progress.accept("pushing to " + destination);
            List<String> copy = new ArrayList<>(List.of("skopeo", "copy", "--preserve-digests", "--digestfile",
                    digestFile.toString(), "--dest-tls-verify=" + tlsVerify));
            if (auth != null) {
                copy.addAll(List.of("--dest-authfile", auth.file().toString()));
            }
            copy.addAll(List.of("dir:" + layout.resolve("image"), "docker://" + destination));
            Commands.check(Commands.run(copy, line -> progress.accept("  " + (auth == null ? line : auth.mask(line)))),
                    "skopeo copy");
            List<String> inspect = new ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=" + tlsVerify));
            if (auth != null) {
                inspect.addAll(List.of("--authfile", auth.file().toString()));
            }
            inspect.add("docker://" + destination);
            JsonNode manifest = JSON.readTree(Commands.check(Commands.run(inspect, line -> { }), "skopeo inspect")
                    .output());
            List<String> mediaTypes = new ArrayList<>();
            manifest.path("layers").forEach(layer -> mediaTypes.add(layer.path("mediaType").asText()));
            String wanted = zstd ? "application/vnd.oci.image.layer.v1.tar+zstd"
                    : "application/vnd.docker.image.rootfs.diff.tar.gzip";
            List<String> wrong = mediaTypes.stream().filter(type -> !type.equals(wanted)).toList();
            if (mediaTypes.isEmpty() || !wrong.isEmpty()) {
                throw new IOException("the registry holds layers of " + destination + " as " + wrong + ", not " + wanted);
            }
            return new Result(destination, Files.readString(digestFile).strip(), mediaTypes);
        } finally {
            Commands.run(List.of("rm", "-rf", layout.toString()), line -> { });
        }
    }
}
