package io.fal4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkNativesTest {

    /**
     * Native methods the runner's boot calls after setup() starts: the validator, Vert.x, the journal.
     */
    private static final List<String> BOOT_NATIVES = List.of(
            "java.lang.StackTraceElement.initStackTraceElements",
            "java.lang.reflect.Executable.getParameters0",
            "java.lang.reflect.Field.getTypeAnnotationBytes0",
            "jdk.internal.reflect.ConstantPool.getLongAt0",
            "java.lang.Module.defineModule0",
            "jdk.internal.loader.BootLoader.getSystemPackageLocation",
            "java.util.TimeZone.getSystemTimeZoneID",
            "java.io.Console.ttyStatus",
            "sun.nio.fs.UnixNativeDispatcher.mkdir0",
            "sun.nio.ch.FileDispatcherImpl.write0",
            "sun.nio.ch.EPoll.create",
            "sun.nio.ch.EventFD.eventfd0",
            "sun.nio.ch.Net.socket0",
            "sun.nio.ch.Net.bind0",
            "java.net.NetworkInterface.getAll",
            "jdk.net.LinuxSocketOptions.quickAckSupported0",
            "sun.nio.ch.FileDispatcherImpl.lock0",
            "sun.nio.fs.UnixNativeDispatcher.rename0");

    /** Runs in a JVM of its own, whose JNI linking the test reads from the JVM's log. */
    public static final class Child {
        public static void main(String[] args) {
            if (args.length > 0 && args[0].equals("link")) {
                JdkNatives.link();
            }
        }
    }

    @Test
    void linksTheNativeMethodsTheBootCallsLater(@TempDir Path dir) throws Exception {
        String without = linkedIn(dir, "idle");
        String with = linkedIn(dir, "link");
        for (String method : BOOT_NATIVES) {
            assertFalse(without.contains(method + " "), method + " is linked by the JVM's own start");
            assertTrue(with.contains(method + " "), method + " is not linked by JdkNatives.link()");
        }
    }

    @Test
    void leavesNoFileBehind() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = linkFiles(tmp);
        JdkNatives.link();
        JdkNatives.link();
        assertEquals(before, linkFiles(tmp));
    }

    private static List<Path> linkFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("fal4j-")
                    && f.getFileName().toString().contains(".link")).sorted().toList();
        }
    }

    /** The native methods a child JVM linked, as its {@code jni+resolve} log names them. */
    private static String linkedIn(Path dir, String mode) throws Exception {
        Path log = dir.resolve(mode + ".log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:jni+resolve=debug:file=" + log, "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), mode)
                .redirectErrorStream(true).redirectOutput(dir.resolve(mode + ".out").toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not exit");
        assertEquals(0, child.exitValue(), Files.readString(dir.resolve(mode + ".out")));
        return Files.readString(log);
    }
}
