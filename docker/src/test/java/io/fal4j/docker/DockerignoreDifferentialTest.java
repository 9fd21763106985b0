package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fal4j's build context against a real builder's: for many generated trees and ignore files,
 * buildah builds {@code FROM scratch / COPY . /ctx} with the same {@code .dockerignore}, and the
 * files (and links) in the image, with their modes, must be exactly the files fal4j puts in the
 * context.
 */
class DockerignoreDifferentialTest {

    private static final int TREES = Integer.getInteger("differential.trees", 60);
    /**
     * Names the trees are made of. None holds {@code + ( ) | { }}: Docker's matcher takes them
     * literally, as fal4j does, but buildah 1.28's older copy of it passes them to the regex engine
     * as operators ({@code IgnoreRulesTest} covers Docker's behaviour).
     */
    private static final String[] NAMES = {"a", "b", "ab", "c.txt", "d.md", "e.log", ".hidden", "x y", "f.py",
        "README.md", "build", "node", "[x]", "g-h"};
    private static final String[] MODES = {"rw-r--r--", "rwxr-xr-x", "rw-------", "rwxrwxr-x"};
    private static Path work;
    private static String unavailable;

    @BeforeAll
    static void buildah() throws Exception {
        unavailable = "";
        try {
            new ProcessBuilder("buildah", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            unavailable = "buildah is not installed (apt-get install buildah)";
            return;
        }
        work = Files.createTempDirectory("fal4j-differential");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (work != null) {
            run(buildah("rm", "--all"), work);
            run(buildah("rmi", "--all", "--force"), work);
            run(List.of("rm", "-rf", work.toString()), work);
        }
    }

    @Test
    void theContextEqualsWhatBuildahCopies() throws Exception {
        assumeTrue(unavailable.isEmpty(), unavailable);
        Random random = new Random(Long.getLong("differential.seed", 20261128));
        for (int tree = 0; tree < TREES; tree++) {
            Path root = work.resolve("tree" + tree);
            Path context = root.resolve("ctx");
            generateTree(random, context, 0);
            Files.createSymbolicLink(context.resolve("link-out"), Path.of("/etc/hostname"));
            String ignore = generateIgnore(random, context);
            Files.writeString(context.resolve(".dockerignore"), ignore);
            Files.writeString(root.resolve("Dockerfile"), "FROM scratch\nCOPY . /ctx\n");

            TreeSet<String> ours = new TreeSet<>();
            BuildContext.scan(context, IgnoreRules.parse(ignore)).files()
                    .forEach(entry -> ours.add(entry.octalMode() + " " + entry.path()));
            TreeSet<String> theirs = copiedByBuildah(root, "t" + tree);
            assertEquals(theirs, ours, "tree " + tree + " with .dockerignore:\n" + ignore);
        }
    }

    private static TreeSet<String> copiedByBuildah(Path root, String tag) throws Exception {
        int built = run(buildah("bud", "--isolation", "chroot", "--quiet", "-f", root.resolve("Dockerfile").toString(),
                "-t", tag, root.resolve("ctx").toString()), root);
        assertEquals(0, built, "buildah bud failed: " + Files.readString(root.resolve("out.log")));
        run(buildah("from", "--name", tag + "-c", tag), root);
        run(buildah("mount", tag + "-c"), root);
        Path mounted = Path.of(Files.readString(root.resolve("out.log")).strip());
        TreeSet<String> files = new TreeSet<>();
        Path copied = mounted.resolve("ctx");
        Files.walkFileTree(copied, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                int mode = 0;
                for (PosixFilePermission permission : Files.readAttributes(file, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).permissions()) {
                    mode |= 1 << (8 - permission.ordinal());
                }
                files.add(String.format("%04o", mode) + " " + copied.relativize(file));
                return FileVisitResult.CONTINUE;
            }
        });
        run(buildah("umount", tag + "-c"), root);
        run(buildah("rm", tag + "-c"), root);
        return files;
    }

    private static void generateTree(Random random, Path dir, int depth) throws IOException {
        Files.createDirectories(dir);
        int entries = 2 + random.nextInt(4);
        for (int i = 0; i < entries; i++) {
            Path path = dir.resolve(NAMES[random.nextInt(NAMES.length)]);
            if (Files.exists(path)) {
                continue;
            }
            if (depth < 3 && random.nextInt(3) == 0) {
                generateTree(random, path, depth + 1);
            } else {
                Files.writeString(path, path.toString(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(MODES[random.nextInt(MODES.length)]));
            }
        }
    }

    /** Patterns built from the tree's own names, with wildcards, anchors, cleaning, re-includes and comments. */
    private static String generateIgnore(Random random, Path context) throws IOException {
        List<String> paths = new ArrayList<>();
        try (var walk = Files.walk(context)) {
            walk.filter(path -> !path.equals(context)).forEach(path -> paths.add(context.relativize(path).toString()));
        }
        StringBuilder ignore = new StringBuilder();
        int rules = 1 + random.nextInt(5);
        for (int i = 0; i < rules; i++) {
            String path = paths.get(random.nextInt(paths.size()));
            String pattern = switch (random.nextInt(10)) {
                case 0 -> path.replaceAll("[^/]+$", "*");
                case 1 -> "**/" + path.substring(path.lastIndexOf('/') + 1);
                case 2 -> path.contains(".") ? "**/*" + path.substring(path.lastIndexOf('.')) : path + "/**";
                case 3 -> "/" + path + "/";
                case 4 -> "./" + path;
                case 5 -> path.replaceFirst("[a-z]", "?");
                case 6 -> path.replaceFirst("[a-c]", "[a-c]");
                case 7 -> "*/" + path.substring(path.lastIndexOf('/') + 1);
                default -> path;
            };
            if (pattern.contains("[x]")) {
                pattern = pattern.replace("[x]", "\\[x\\]");
            }
            ignore.append(random.nextInt(4) == 0 ? "!" : "").append(pattern).append('\n');
            if (random.nextInt(6) == 0) {
                ignore.append("# a comment\n\n");
            }
        }
        return ignore.toString();
    }

    private static List<String> buildah(String... arguments) {
        List<String> command = new ArrayList<>(List.of("buildah", "--storage-driver", "vfs",
                "--root", work.resolve("storage").toString(), "--runroot", work.resolve("run").toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static int run(List<String> command, Path dir) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
