package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ContextCommandTest {

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result fal4j(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Fal4jCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int status = command.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    private void write(String path, String content) throws IOException {
        Files.createDirectories(dir.resolve(path).getParent());
        Files.writeString(dir.resolve(path), content);
    }

    @Test
    void listsTheContextAndItsCacheKey() throws IOException {
        write("Dockerfile", "FROM debian:12\nCOPY app /app\n");
        write("app/main.py", "print(1)\n");
        write("app/cache.pyc", "junk");
        write(".env", "SECRET=1");
        Result result = fal4j("context", dir.toString());
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("0644  " + BuildContext.sha256(dir.resolve("app/main.py")) + "  app/main.py"),
                result.out());
        assertTrue(!result.out().contains(".pyc") && !result.out().contains(".env"), "defaults leave these out");
        Result all = fal4j("context", dir.toString(), "--no-default-ignores");
        assertTrue(all.out().contains(".env") && all.out().contains("app/cache.pyc"), all.out());
        assertTrue(result.out().contains("cache key sha256:"), result.out());

        JsonNode json = new ObjectMapper().readTree(fal4j("context", dir.toString(), "--json").out());
        assertEquals("app/main.py", json.path("files").get(1).path("path").asText());
        assertEquals(result.out().replaceAll("(?s).*cache key (\\S+).*", "$1").strip(), json.path("cache_key").asText());
    }

    @Test
    void failsWithTheDockerfileLineOfAMissingSource() throws IOException {
        write("Dockerfile", "FROM debian:12\n\nCOPY missing /x\n");
        Result result = fal4j("context", dir.toString());
        assertEquals(1, result.status());
        assertTrue(result.err().contains("Dockerfile line 3: COPY source 'missing'"), result.err());
    }

    @Test
    void explainsWhatChangedSinceTheLastBuild() throws IOException {
        write("Dockerfile", "FROM debian:12\nCOPY . /ctx\n");
        write("a.txt", "one");
        write("b.txt", "b");
        Scanned before = Scanned.of(dir, null, null);
        Path record = dir.resolveSibling(dir.getFileName() + "-record.json");
        before.key().save(record);
        write("a.txt", "two");
        write("c.txt", "new");
        Files.delete(dir.resolve("b.txt"));
        Scanned after = Scanned.of(dir, null, null);
        assertEquals(java.util.List.of("removed file b.txt", "changed file a.txt", "added file c.txt").stream().sorted()
                .toList(), after.key().changesSince(CacheKey.load(record)).stream().sorted().toList());
        assertEquals(java.util.List.of(), before.key().changesSince(CacheKey.load(record)));
    }

    @Test
    void theKeyCoversBuildArgsSecretNamesAndCompressionButNoSecretValues() throws IOException {
        ImageSpec base = new ImageSpec("app", "FROM a\n", Map.of("MODEL", "sd15"), Map.of("hf_token", "HF_TOKEN"),
                Map.of("ghcr.io", new ImageSpec.Registry("bot", "GHCR_TOKEN")), java.util.Optional.empty(), java.util.List.of(), java.util.Optional.empty(),
                "gzip", true);
        String key = CacheKey.of(base, null).value();
        assertEquals(key, CacheKey.of(base, null).value());
        ImageSpec otherArg = new ImageSpec("app", "FROM a\n", Map.of("MODEL", "sdxl"), base.secrets(),
                base.registries(), base.contextDir(), base.dockerignore(), base.dockerignorePath(), "gzip", true);
        ImageSpec zstd = new ImageSpec("app", "FROM a\n", base.buildArgs(), base.secrets(), base.registries(),
                base.contextDir(), base.dockerignore(), base.dockerignorePath(), "zstd", true);
        assertTrue(!key.equals(CacheKey.of(otherArg, null).value()));
        assertTrue(!key.equals(CacheKey.of(zstd, null).value()));
        assertEquals("present", CacheKey.of(base, null).inputs().get("secret hf_token"));
    }
}
