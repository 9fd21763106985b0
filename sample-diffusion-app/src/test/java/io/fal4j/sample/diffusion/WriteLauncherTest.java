package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaging step that writes the class-path launcher, run as the build runs it, on a packaged app's layout. */
class WriteLauncherTest {

    private static final String MAIN = "io/quarkus/runner/GeneratedMain.class";

    @TempDir
    Path app;

    @Test
    void namesTheJarsInTheOrderQuarkusSearchesThem() throws Exception {
        packagedApp();

        Result result = run();
        assertEquals(0, result.exitCode, result.output);
        try (JarFile launcher = new JarFile(app.resolve("fal4j-run.jar").toFile())) {
            Attributes main = launcher.getManifest().getMainAttributes();
            assertEquals("quarkus/transformed-bytecode.jar quarkus/generated-bytecode.jar app/app.jar "
                    + "lib/main/a.jar lib/main/z.jar lib/boot/boot.jar", main.getValue(Attributes.Name.CLASS_PATH));
            assertEquals("io.quarkus.runner.GeneratedMain", main.getValue(Attributes.Name.MAIN_CLASS));
            assertEquals("java.base/java.lang", main.getValue("Add-Opens"), "quarkus-run.jar's opens are kept");
            assertEquals(List.of("META-INF/MANIFEST.MF"),
                    Collections.list(launcher.entries()).stream().map(ZipEntry::getName).toList());
        }
        assertEquals(0, run().exitCode, "a second run replaces the launcher");
    }

    @Test
    void refusesAClassInTwoJars() throws Exception {
        packagedApp();
        jar(app.resolve("lib/main/z.jar"), null, "a/A.class");

        Result result = run();
        assertEquals(1, result.exitCode, result.output);
        assertTrue(result.output.contains("a/A.class is in both lib/main/a.jar and lib/main/z.jar"), result.output);
        assertFalse(Files.exists(app.resolve("fal4j-run.jar")));
        assertFalse(Files.exists(app.resolve("fal4j-run.jar.writing")));
    }

    @Test
    void refusesADirectoryThatIsNoPackagedApp() throws Exception {
        Result result = run();
        assertEquals(1, result.exitCode, result.output);
        assertTrue(result.output.contains("has no quarkus-run.jar"), result.output);
    }

    /** quarkus-app's layout: the run jar naming a boot library, generated and transformed classes, the app, two libraries. */
    private void packagedApp() throws IOException {
        Manifest run = new Manifest();
        run.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        run.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/boot/boot.jar");
        run.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.quarkus.bootstrap.runner.QuarkusEntryPoint");
        run.getMainAttributes().putValue("Add-Opens", "java.base/java.lang");
        jar(app.resolve("quarkus-run.jar"), run);
        jar(app.resolve("quarkus/generated-bytecode.jar"), null, MAIN);
        jar(app.resolve("quarkus/transformed-bytecode.jar"), null, "a/A.class"); // replaces lib/main/a.jar's on purpose
        jar(app.resolve("app/app.jar"), null, "app/App.class");
        jar(app.resolve("lib/main/z.jar"), null, "z/Z.class");
        jar(app.resolve("lib/main/a.jar"), null, "a/A.class");
        jar(app.resolve("lib/boot/boot.jar"), null, "boot/Boot.class");
    }

    private static void jar(Path file, Manifest manifest, String... classes) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest)) {
            for (String name : classes) {
                jar.putNextEntry(new ZipEntry(name));
                jar.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
                jar.closeEntry();
            }
        }
    }

    record Result(int exitCode, String output) {
    }

    private Result run() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "scripts/WriteLauncher.java", app.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the run did not end");
        return new Result(process.exitValue(), output);
    }
}
