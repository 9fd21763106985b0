package io.fal4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ContainerImageTest {

    private static final String DOCKERFILE = "FROM debian:bookworm-slim\n";

    private static String rejection(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void rejectsBlankDockerfile() {
        assertTrue(rejection(() -> ContainerImage.fromDockerfileStr("  \n\t")).contains("is blank"));
        assertTrue(rejection(() -> ContainerImage.fromDockerfileStr(null)).contains("is blank"));
    }

    @Test
    void rejectsDockerfileWithoutFrom() {
        assertTrue(rejection(() -> ContainerImage.fromDockerfileStr("RUN echo hi\n")).contains("no FROM"));
    }

    @Test
    void acceptsFromAfterArgAndComments() {
        ContainerImage image = ContainerImage.fromDockerfileStr("# syntax=docker/dockerfile:1\nARG V=1\n  from debian:$V\n");
        assertTrue(image.dockerfile().contains("from debian"));
    }

    @Test
    void rejectsRegistryWithoutUsernameOrPassword() {
        ContainerImage image = ContainerImage.fromDockerfileStr(DOCKERFILE);
        assertTrue(rejection(() -> image.withRegistry("ghcr.io", "", "$T")).contains("needs a username"));
        assertTrue(rejection(() -> image.withRegistry("ghcr.io", null, "$T")).contains("needs a username"));
        assertTrue(rejection(() -> image.withRegistry("ghcr.io", "me", "")).contains("needs a password"));
        java.util.HashMap<String, ContainerImage.Registry> missing = new java.util.HashMap<>();
        missing.put("ghcr.io", null);
        assertTrue(rejection(() -> image.withRegistries(missing)).contains("has no username and password"));
    }

    @Test
    void rejectsLiteralSecretsWithoutEchoingThem() {
        ContainerImage image = ContainerImage.fromDockerfileStr(DOCKERFILE);
        String message = rejection(() -> image.withSecret("hf_token", "hf_abc123secret"));
        assertTrue(message.contains("$HF_TOKEN"), message);
        assertFalse(message.contains("hf_abc123secret"), message);

        String registry = rejection(() -> image.withRegistry("ghcr.io", "me", "ghp_literal"));
        assertFalse(registry.contains("ghp_literal"), registry);
    }

    @Test
    void acceptsBothReferenceSpellings() {
        ContainerImage image = ContainerImage.fromDockerfileStr(DOCKERFILE)
                .withSecret("a", "$A_1").withSecret("b", "${B}");
        assertEquals(Map.of("a", "$A_1", "b", "${B}"), image.secrets());
        assertEquals("B", ContainerImage.referencedName("${B}"));
        assertEquals("A_1", ContainerImage.referencedName("$A_1"));
        rejection(() -> ContainerImage.referencedName("${B"));
    }

    @Test
    void rejectsUnknownCompression() {
        ContainerImage image = ContainerImage.fromDockerfileStr(DOCKERFILE);
        String message = rejection(() -> image.withCompression("brotli"));
        assertTrue(message.contains("'brotli'") && message.contains("gzip or zstd"), message);
        assertEquals(ContainerImage.Compression.GZIP, image.compression());
        assertEquals(ContainerImage.Compression.ZSTD, image.withCompression(" ZSTD ").compression());
    }

    @Test
    void rejectsInvalidNames() {
        ContainerImage image = ContainerImage.fromDockerfileStr(DOCKERFILE);
        rejection(() -> image.withBuildArg("1BAD", "x"));
        rejection(() -> image.withBuildArg("HAS SPACE", "x"));
        rejection(() -> image.withSecret("bad id", "$X"));
        rejection(() -> image.withRegistry("https://ghcr.io", "me", "$X"));
        rejection(() -> image.withRegistry("ghcr.io/path", "me", "$X"));
        rejection(() -> image.addDockerignore("two\nlines"));
        assertThrows(NullPointerException.class, () -> image.withBuildArg("OK", null));
    }

    @Test
    void withMethodsReturnCopies() {
        ContainerImage base = ContainerImage.fromDockerfileStr(DOCKERFILE);
        ContainerImage changed = base.withBuildArg("A", "1").addDockerignore("x");

        assertEquals(Map.of(), base.buildArgs());
        assertEquals(List.of(), base.dockerignore());
        assertEquals(Map.of("A", "1"), changed.buildArgs());
        assertNotEquals(base, changed);
        assertThrows(UnsupportedOperationException.class, () -> changed.buildArgs().put("B", "2"));
        assertThrows(UnsupportedOperationException.class, () -> changed.dockerignore().add("y"));
    }

    @Test
    void keepsInsertionOrderOfArgsAndLaterPatternsLast() {
        ContainerImage image = ContainerImage.fromDockerfileStr(DOCKERFILE)
                .withBuildArg("Z", "1").withBuildArg("A", "2").withBuildArg("Z", "3")
                .withDockerignore(List.of("a")).addDockerignore("b", "!a");
        assertEquals(List.of("Z", "A"), List.copyOf(image.buildArgs().keySet()));
        assertEquals("3", image.buildArgs().get("Z"));
        assertEquals(List.of("a", "b", "!a"), image.dockerignore());
    }

    @Test
    void readsDockerfileFromDiskWithItsDirectoryAsContext(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Dockerfile");
        Files.writeString(file, DOCKERFILE);

        ContainerImage image = ContainerImage.fromDockerfile(file);

        assertEquals(DOCKERFILE, image.dockerfile());
        assertEquals(dir.toAbsolutePath().normalize(), image.contextDir().orElseThrow());
        assertTrue(rejection(() -> ContainerImage.fromDockerfile(dir.resolve("missing"))).contains("Cannot read"));
        Files.writeString(dir.resolve("Empty"), "\n");
        assertTrue(rejection(() -> ContainerImage.fromDockerfile(dir.resolve("Empty"))).contains("is blank"));
    }

    @Test
    void resolvesPathsWhenSet(@TempDir Path dir) {
        ContainerImage image = ContainerImage.fromDockerfileStr(DOCKERFILE)
                .withContextDir(dir.resolve("sub/..")).withDockerignorePath(Path.of("x/../.dockerignore"));
        assertEquals(dir.toAbsolutePath().normalize(), image.contextDir().orElseThrow());
        assertEquals(Path.of(".dockerignore").toAbsolutePath(), image.dockerignorePath().orElseThrow());
        assertTrue(rejection(() -> image.withContextDir(dir.resolve("nope"))).contains("is not a directory"));
    }

    @Test
    void toStringShowsNamesNotValues() {
        ContainerImage image = ContainerImage.fromDockerfileStr(DOCKERFILE).withBuildArg("A", "value-a")
                .withSecret("tok", "$TOKEN");
        assertTrue(image.toString().contains("secrets=[tok]"), image.toString());
        assertFalse(image.toString().contains("value-a"));
    }
}
