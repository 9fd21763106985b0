import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Writes {@code fal4j-run.jar} into a packaged Quarkus app ({@code target/quarkus-app}): a jar with
 * nothing but a manifest, whose {@code Class-Path} names the app's jars in the order Quarkus's own
 * class loader searches them (the transformed classes, the generated ones, the app, its libraries by
 * name, then the boot libraries {@code quarkus-run.jar} names) and whose {@code Main-Class} is the
 * app's generated main. Started with it, the app's classes are loaded by the JDK's application class
 * loader instead of Quarkus's, and a class archive made by a run of it ({@code
 * -XX:ArchiveClassesAtExit}) then holds nearly all of them, lambdas included, and the JVM maps them
 * without reading their jars. Without such an archive the JDK's class path, which has no index,
 * loads classes more slowly than {@code quarkus-run.jar}: the launcher is for starts with the archive.
 *
 * <p>It refuses an app in which two jars hold the same class, where the order of the class path
 * would decide which one is loaded.
 *
 * <pre>java scripts/WriteLauncher.java target/quarkus-app</pre>
 */
public final class WriteLauncher {

    static final String LAUNCHER = "fal4j-run.jar";
    static final String MAIN = "io.quarkus.runner.GeneratedMain";

    private WriteLauncher() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java WriteLauncher.java <packaged app directory>");
            System.exit(2);
        }
        try {
            Path launcher = write(Path.of(args[0]));
            System.out.println("WriteLauncher: wrote " + launcher);
        } catch (IllegalArgumentException e) {
            System.err.println("WriteLauncher: " + e.getMessage());
            System.exit(1);
        }
    }

    static Path write(Path app) throws IOException {
        Path runJar = app.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(runJar)) {
            throw new IllegalArgumentException(app + " is not a packaged Quarkus app: it has no quarkus-run.jar");
        }
        Attributes run;
        try (JarFile jar = new JarFile(runJar.toFile())) {
            run = jar.getManifest().getMainAttributes();
        }
        List<String> classPath = new ArrayList<>();
        if (Files.isRegularFile(app.resolve("quarkus/transformed-bytecode.jar"))) {
            classPath.add("quarkus/transformed-bytecode.jar");
        }
        classPath.add("quarkus/generated-bytecode.jar");
        classPath.addAll(jars(app, "app"));
        classPath.addAll(jars(app, "lib/main"));
        String boot = run.getValue(Attributes.Name.CLASS_PATH);
        if (boot != null) {
            for (String entry : boot.trim().split("\\s+")) {
                if (!classPath.contains(entry)) {
                    classPath.add(entry);
                }
            }
        }
        checkMain(app.resolve("quarkus/generated-bytecode.jar"));
        checkNoClassTwice(app, classPath);

        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        main.put(Attributes.Name.MAIN_CLASS, MAIN);
        for (String name : List.of("Add-Opens", "Add-Exports", "Implementation-Title", "Implementation-Version")) {
            String value = run.getValue(name);
            if (value != null) {
                main.putValue(name, value);
            }
        }
        Path launcher = app.resolve(LAUNCHER);
        Path temporary = app.resolve(LAUNCHER + ".writing");
        try (OutputStream file = Files.newOutputStream(temporary); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.finish();
        }
        Files.move(temporary, launcher, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return launcher;
    }

    /** The jars of a directory of the app, as paths relative to the app, by name. */
    private static List<String> jars(Path app, String dir) throws IOException {
        if (!Files.isDirectory(app.resolve(dir))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(app.resolve(dir))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).sorted()
                    .map(name -> dir + "/" + name).toList();
        }
    }

    private static void checkMain(Path generated) throws IOException {
        if (!Files.isRegularFile(generated)) {
            throw new IllegalArgumentException("the app has no " + generated);
        }
        try (JarFile jar = new JarFile(generated.toFile())) {
            if (jar.getEntry(MAIN.replace('.', '/') + ".class") == null) {
                throw new IllegalArgumentException(generated + " has no " + MAIN);
            }
        }
    }

    /** Fails where two jars (other than the transformed classes, which replace others on purpose) hold one class. */
    private static void checkNoClassTwice(Path app, List<String> classPath) throws IOException {
        Map<String, String> owner = new HashMap<>();
        for (String entry : classPath) {
            if (entry.equals("quarkus/transformed-bytecode.jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(app.resolve(entry).toFile())) {
                for (ZipEntry each : Collections.list(jar.entries())) {
                    String name = each.getName();
                    if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                        continue;
                    }
                    String first = owner.putIfAbsent(name, entry);
                    if (first != null) {
                        throw new IllegalArgumentException(name + " is in both " + first + " and " + entry
                                + ": the class path's order would decide which one loads");
                    }
                }
            }
        }
    }
}
