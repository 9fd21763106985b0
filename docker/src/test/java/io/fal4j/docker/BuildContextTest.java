package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {

    @TempDir
    Path dir;

    private void write(String path, String content) throws IOException {
        Files.createDirectories(dir.resolve(path).getParent());
        Files.writeString(dir.resolve(path), content);
    }

    private List<String> paths(IgnoreRules rules) throws IOException {
        return BuildContext.scan(dir, rules).files().stream().map(ContextEntry::path).toList();
    }

    @Test
    void listsFilesWithModeAndHashAndKeepsLinksAsLinks() throws IOException {
        write("app/main.py", "print('hi')\n");
        Files.setPosixFilePermissions(dir.resolve("app/main.py"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(dir.resolve("passwd"), Path.of("/etc/passwd"));
        BuildContext context = BuildContext.scan(dir, IgnoreRules.none());
        List<ContextEntry> files = context.files();
        assertEquals(List.of("app/main.py", "passwd"), files.stream().map(ContextEntry::path).toList());
        ContextEntry main = files.get(0);
        assertEquals("0750", main.octalMode());
                assertEquals(BuildContext.sha256(dir.resolve("app/main.py")), main.sha256());
        ContextEntry link = files.get(1);
        assertEquals(ContextEntry.Type.SYMLINK, link.type());
        assertEquals("/etc/passwd", link.sha256(), "a link is recorded, not followed out of the context");
        assertEquals(0, link.size());
    }

    @Test
    void leavesOutIgnoredFilesAndEntersExcludedDirectoriesOnlyForNamedReincludes() throws IOException {
        write("docs/keep.md", "k");
        write("docs/drop.md", "d");
        write("src/a.md", "a");
        write("src/b.txt", "b");
        assertEquals(List.of("docs/keep.md", "src/b.txt"), paths(IgnoreRules.parse("*/*.md\ndocs\n!docs/keep.md\n")));
        assertEquals(List.of("src/b.txt"), paths(IgnoreRules.parse("docs\nsrc/*.md\n!**/keep.md\n")),
                "a re-include that does not start with the directory does not reach into it, as in Docker");
    }

    @Test
    void theDigestFollowsContentModeAndNames() throws IOException {
        write("a.txt", "one");
        String first = BuildContext.scan(dir, IgnoreRules.none()).digest();
        assertEquals(first, BuildContext.scan(dir, IgnoreRules.none()).digest());
        write("a.txt", "two");
        String edited = BuildContext.scan(dir, IgnoreRules.none()).digest();
        assertNotEquals(first, edited);
        Files.setPosixFilePermissions(dir.resolve("a.txt"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertNotEquals(edited, BuildContext.scan(dir, IgnoreRules.none()).digest());
        write("ignored.log", "x");
        String withLog = BuildContext.scan(dir, IgnoreRules.parse("*.log")).digest();
        write("ignored.log", "changed");
        assertEquals(withLog, BuildContext.scan(dir, IgnoreRules.parse("*.log")).digest(), "ignored files do not count");
    }

    @Test
    void expandsGlobsWithinSegments() throws IOException {
        write("app/a.py", "a");
        write("app/sub/b.py", "b");
        BuildContext context = BuildContext.scan(dir, IgnoreRules.none());
        assertEquals(List.of("app/a.py"), context.matching("app/*.py"));
        assertEquals(List.of("app/a.py", "app/sub/b.py"), context.matching("app/**.py"));
        assertEquals(List.of("app"), context.matching("/app/"));
        assertEquals(List.of(), context.matching("nope*"));
    }

    @Test
    void refusesAContextThatIsNotADirectory() throws IOException {
        write("file", "x");
        assertThrows(IOException.class, () -> BuildContext.scan(dir.resolve("file"), IgnoreRules.none()));
    }
}
