package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerfileTest {

    @TempDir
    Path dir;

    private BuildContext context(String... files) throws IOException {
        for (String file : files) {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, file);
        }
        return BuildContext.scan(dir, IgnoreRules.parse("ignored.txt\n"));
    }

    @Test
    void joinsContinuationsAndKeepsTheFirstLine() {
        Dockerfile file = Dockerfile.parse("""
                # syntax=docker/dockerfile:1
                ARG BASE=debian:12
                FROM $BASE AS build

                RUN apt-get update \\
                # a comment inside is dropped
                    && apt-get install -y curl
                COPY --chown=1000:1000 ["a b.txt", "/dst/"]
                """);
        List<Dockerfile.Instruction> instructions = file.instructions();
        assertEquals(List.of("ARG", "FROM", "RUN", "COPY"), instructions.stream().map(Dockerfile.Instruction::keyword).toList());
        assertEquals(5, instructions.get(2).line());
        assertEquals("apt-get update     && apt-get install -y curl", instructions.get(2).raw());
        Dockerfile.Instruction copy = instructions.get(3);
        assertTrue(copy.json());
        assertEquals(List.of("a b.txt", "/dst/"), copy.arguments());
        assertEquals(Map.of("chown", "1000:1000"), copy.flags());
    }

    @Test
    void theEscapeDirectiveChangesTheContinuationCharacter() {
        Dockerfile file = Dockerfile.parse("# escape=`\nFROM scratch\nCOPY a `\n  b /x\n");
        assertEquals('`', file.escape());
        assertEquals(List.of("a", "b", "/x"), file.instructions().get(1).arguments());
        DockerfileException bad = assertThrows(DockerfileException.class, () -> Dockerfile.parse("# escape=x\nFROM a\n"));
        assertEquals(1, bad.line());
    }

    @Test
    void expandsSourcesAgainstTheContext() throws IOException {
        BuildContext context = context("app/a.py", "app/b.py", "app/c.txt", "ignored.txt", "data/x.bin");
        Dockerfile file = Dockerfile.parse("""
                ARG DIR=data
                FROM scratch
                ARG DIR
                COPY app/*.py /app/
                COPY $DIR /data
                ADD https://example.com/file.tar.gz /tmp/
                COPY --from=builder /out /out
                COPY <<EOF /etc/motd
                hello
                EOF
                COPY . /all
                """);
        List<Dockerfile.Source> sources = file.contextSources(context, Map.of());
        assertEquals(List.of("app/a.py", "app/b.py"), sources.get(0).matches());
        assertEquals(List.of("data"), sources.get(1).matches());
        assertEquals(List.of("."), sources.get(2).matches());
        assertEquals(3, sources.size(), "remote, other-stage and heredoc sources read no context");
        assertEquals(List.of("data/x.bin"), file.contextSources(context, Map.of("DIR", "data/x.bin")).get(1).matches());
        DockerfileException global = assertThrows(DockerfileException.class, () -> Dockerfile.parse(
                "ARG F=app/a.py\nFROM scratch\nCOPY $F /x\n").contextSources(context, Map.of()));
        assertTrue(global.getMessage().contains("no source"), "a global ARG is not seen inside a stage: " + global.getMessage());
    }

    @Test
    void aSourceThatMatchesNothingOrLeavesTheContextNamesItsLine() throws IOException {
        BuildContext context = context("present.txt", "ignored.txt");
        DockerfileException missing = assertThrows(DockerfileException.class,
                () -> Dockerfile.parse("FROM scratch\n\nCOPY missing.txt /x\n").contextSources(context, Map.of()));
        assertEquals(3, missing.line());
        assertTrue(missing.getMessage().contains("'missing.txt' matches nothing"), missing.getMessage());
        DockerfileException ignored = assertThrows(DockerfileException.class,
                () -> Dockerfile.parse("FROM scratch\nCOPY ignored.txt /x\n").contextSources(context, Map.of()));
        assertTrue(ignored.getMessage().contains(".dockerignore"), ignored.getMessage());
        DockerfileException outside = assertThrows(DockerfileException.class,
                () -> Dockerfile.parse("FROM scratch\nCOPY ../secret /x\n").contextSources(context, Map.of()));
        assertEquals(2, outside.line());
        assertTrue(outside.getMessage().contains("outside the build context"), outside.getMessage());
        assertEquals(List.of("present.txt"), Dockerfile.parse("FROM scratch\nCOPY /present.txt /x\n")
                .contextSources(context, Map.of()).get(0).matches(), "an absolute source is relative to the context");
    }

    @Test
    void refusesWhatIsNotADockerfile() {
        assertEquals(1, assertThrows(DockerfileException.class, () -> Dockerfile.parse("RUN echo\n")).line());
        assertEquals(2, assertThrows(DockerfileException.class, () -> Dockerfile.parse("FROM a\nRUN\n")).line());
        assertEquals(2, assertThrows(DockerfileException.class,
                () -> Dockerfile.parse("FROM a\nRUN <<EOF\necho\n")).line());
        assertEquals(1, assertThrows(DockerfileException.class, () -> Dockerfile.parse("COPY a b\nFROM x\n")).line());
    }
}
