package io.fal4j.runtime;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.TimeZone;
import org.jboss.logging.Logger;

/**
 * Links the JDK's native methods that the rest of the runner's boot calls for the first time (the
 * validator's and the beans' reflection and annotations, Vert.x's selectors and sockets, the queue
 * journal's directory and file lock) before the app's {@code setup()} starts. (The JVM's meters, which
 * call the management beans' natives, are bound at the first scrape of the metrics: {@link JvmMeters}.)
 *
 * <p>The JVM links a native method on its first call with {@code dlsym}, and glibc's {@code dlsym}
 * waits for the loader lock that {@code dlopen} holds while it relocates a library and runs its
 * constructors (JDK 17 also loads every native library under one lock of its own). A setup that loads
 * a large native library (libtorch's {@code dlopen} takes 0.4-0.6 s) would otherwise stop the boot at
 * the first of those calls until the load is over, with a core left idle. Linked here, those calls run
 * beside the load. Each group is best effort: what fails here fails again, with its own error, where
 * the runner needs it.
 */
final class JdkNatives {

    private static final Logger LOG = Logger.getLogger(JdkNatives.class);

    private JdkNatives() {
    }

    /** An annotation with members of each constant kind, for the annotation parser to read. */
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Constants {
        int i();

        long l();

        float f();

        double d();

        String s();

        Class<?> c();
    }

    @Constants(i = 1, l = 2L, f = 3f, d = 4.0, s = "5", c = Object.class)
    private static final class Annotated {
        private int field;
    }

    static void link() {
        attempt("reflection and annotations", () -> {
            new Throwable().getStackTrace();
            Method method = JdkNatives.class.getDeclaredMethod("attempt", String.class, Step.class);
            method.getParameters();
            method.getAnnotatedReturnType();
            Annotated.class.getDeclaredField("field").getAnnotatedType();
            Array.getLength(new int[0]);
            Annotated.class.getAnnotation(Constants.class).hashCode(); // parsed into a proxy of a dynamic module
            String.class.getPackage();
            TimeZone.getDefault();
            System.console();
        });
        attempt("selectors and sockets", () -> {
            try (Selector selector = Selector.open()) {
                selector.wakeup();
                selector.selectNow();
            }
            try (ServerSocketChannel socket = ServerSocketChannel.open()) {
                socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                socket.getLocalAddress();
            }
            NetworkInterface.getNetworkInterfaces();
            Class.forName("jdk.net.ExtendedSocketOptions");
        });
        attempt("directories, file locks and renames", () -> {
            Path file = Files.createTempFile("fal4j-", ".link");
            Files.delete(Files.createDirectory(file.resolveSibling(file.getFileName() + ".dir")));
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock()) {
                channel.write(ByteBuffer.wrap(new byte[1]));
                file = Files.move(file, file.resolveSibling(file.getFileName() + ".moved"),
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.delete(file);
            }
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(String what, Step step) {
        try {
            step.run();
        } catch (Exception | LinkageError e) {
            LOG.debugf("Linking the native methods of %s ahead of the boot failed: %s", what, e);
        }
    }
}
