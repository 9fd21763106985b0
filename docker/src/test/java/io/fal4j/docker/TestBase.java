package io.fal4j.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The base image the image tests build on, made offline from Debian's mirror with debootstrap
 * (the file system of {@code docker/images/debian-java17}), kept as a tarball on disk between runs
 * and imported into the test's own buildah storage.
 */
final class TestBase {

    static final String IMAGE = "localhost/fal4j-test/debian-java17:bookworm";

    private TestBase() {
    }

    /** Why the image tests cannot run here, or empty. */
    static String unavailable() {
        if (!onPath("buildah")) {
            return "buildah is not installed (apt-get install buildah)";
        }
        if (!onPath("debootstrap")) {
            return "debootstrap is not installed (apt-get install debootstrap)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "debootstrap and buildah's chroot isolation need root";
        }
        return "";
    }

    /** Makes the base image in the builder's storage, from the cached tarball (made first if missing). */
    static void importInto(BuildahBuilder builder) throws IOException, InterruptedException {
        if (builder.exists(IMAGE)) {
            return;
        }
        Path tarball = cacheDir().resolve("debian-bookworm-java17.tar");
        if (!Files.isRegularFile(tarball)) {
            bootstrap(tarball);
        }
        String container = Commands.check(Commands.run(builder.command("from", "--quiet", "scratch"), l -> { }),
                "buildah from scratch").output().strip();
        Commands.check(Commands.run(builder.command("add", container, tarball.toString(), "/"), l -> { }),
                "buildah add");
        Commands.check(Commands.run(builder.command("config", "--env",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", container), l -> { }),
                "buildah config");
        Commands.check(Commands.run(builder.command("commit", "--quiet", "--rm", container, IMAGE), l -> { }),
                "buildah commit");
    }

    private static void bootstrap(Path tarball) throws IOException, InterruptedException {
        Files.createDirectories(tarball.getParent());
        Path rootfs = Files.createTempDirectory(tarball.getParent(), "rootfs");
        String mirror = System.getenv().getOrDefault("FAL4J_DEBIAN_MIRROR", "http://deb.debian.org/debian");
        run(List.of("debootstrap", "--variant=minbase", "--include=ca-certificates,curl,openjdk-17-jre-headless",
                "bookworm", rootfs.toString(), mirror));
        Path partial = tarball.resolveSibling(tarball.getFileName() + ".partial");
        run(List.of("tar", "-C", rootfs.toString(), "--exclude=./proc/*", "--exclude=./sys/*", "--exclude=./dev/*",
                "-cf", partial.toString(), "."));
        Files.move(partial, tarball);
        run(List.of("rm", "-rf", rootfs.toString()));
    }

    private static Path cacheDir() {
        String configured = System.getenv("FAL4J_TEST_CACHE");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".cache", "fal4j-test");
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    /** Whether a command is on the PATH. */
    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
