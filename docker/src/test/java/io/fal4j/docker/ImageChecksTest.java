package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ImageChecksTest {

    private static List<ImageChecks.Finding> check(String dockerfile) {
        return ImageChecks.ofDockerfile(Dockerfile.parse(dockerfile), Map.of());
    }

    @Test
    void everyBaseImageMustBePinned() {
        List<ImageChecks.Finding> findings = check("""
                FROM debian AS one
                FROM python:latest
                FROM registry.local:5000/team/base
                FROM debian:12.12-slim AS build
                FROM build
                FROM ghcr.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                FROM scratch
                """);
        assertEquals(List.of(1, 2, 3), findings.stream().map(ImageChecks.Finding::line).toList(), findings.toString());
        assertTrue(findings.stream().allMatch(ImageChecks.Finding::error));
        assertTrue(findings.get(2).message().contains("registry.local:5000/team/base"), "a registry port is no tag");
        assertEquals(List.of(), ImageChecks.ofDockerfile(Dockerfile.parse("ARG BASE=debian:12\nFROM $BASE\n"), Map.of()));
        assertEquals(1, ImageChecks.ofDockerfile(Dockerfile.parse("ARG BASE=debian:12\nFROM $BASE\n"),
                Map.of("BASE", "debian")).size(), "build args count");
    }

    @Test
    void unpinnedPackagesAreWarnings() {
        List<ImageChecks.Finding> findings = check("""
                FROM debian:12
                RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.* git \\
                    && pip install --no-cache-dir -r requirements.txt torch==2.7.1 diffusers "transformers>=4" ./local
                """);
        assertEquals(List.of("diffusers", "transformers>=4", "git"), findings.stream()
                .map(finding -> finding.message().replaceAll(".*installs '([^']+)'.*", "$1")).toList(), findings.toString());
        assertTrue(findings.stream().noneMatch(ImageChecks.Finding::error));
        assertTrue(findings.stream().allMatch(finding -> finding.line() == 2));
    }

    @Test
    void theImageNeedsCurlAndJava17() throws IOException {
        assertEquals(List.of(), ImageChecks.ofImage(new FakeBuilder(0, "openjdk version \"17.0.19\" 2026-04-21"), "i", 3));
        List<ImageChecks.Finding> old = ImageChecks.ofImage(new FakeBuilder(1, "java version \"1.8.0_392\""), "i", 3);
        assertEquals(2, old.size());
        assertTrue(old.get(0).message().contains("curl is missing"));
        assertTrue(old.get(1).message().contains("Java 8 is too old"), old.get(1).message());
        assertTrue(ImageChecks.ofImage(new FakeBuilder(0, "sh: java: not found"), "i", 3).get(0).message()
                .contains("no Java runtime"));
    }

    @Test
    void secretsComeFromTheEnvironmentAndAreMasked() throws IOException {
        IOException missing = assertThrows(IOException.class,
                () -> BuildSecrets.resolve(Map.of("hf_token", "HF_TOKEN"), Map.of()));
        assertTrue(missing.getMessage().contains("$HF_TOKEN"), missing.getMessage());
        java.nio.file.Path file;
        try (BuildSecrets secrets = BuildSecrets.resolve(Map.of("hf_token", "HF_TOKEN"), Map.of("HF_TOKEN", "hf_abc123"))) {
            file = secrets.files().get("hf_token");
            assertEquals("hf_abc123", Files.readString(file));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file)));
            assertEquals("token is **** here", secrets.mask("token is hf_abc123 here"));
        }
        assertTrue(!Files.exists(file), "the secret file is deleted after the build");
    }

    /** Answers curl with a status and java -version with a text. */
    private record FakeBuilder(int curlStatus, String javaVersion) implements Builder {

        @Override
        public boolean exists(String image) {
            return true;
        }

        @Override
        public void build(Build build, Consumer<String> progress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Execution run(String image, List<String> command) {
            return String.join(" ", command).contains("curl") ? new Execution(curlStatus, "")
                    : new Execution(javaVersion.contains("not found") ? 127 : 0, javaVersion);
        }

        @Override
        public List<String> layers(String image) {
            return List.of();
        }

        @Override
        public Map<String, String> labels(String image) {
            return Map.of();
        }

        @Override
        public void export(String image, java.nio.file.Path dir, boolean oci, String compression) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Running start(String image, Map<String, String> env, java.nio.file.Path log) {
            throw new UnsupportedOperationException();
        }
    }
}
