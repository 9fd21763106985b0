package io.fal4j.runtime;

import io.fal4j.api.App;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * One run of the app's {@code setup()}, on a thread of its own. For an app that injects nothing the
 * static-init part of the boot starts it (see {@link Fal4jRecorder#startSetup}) and the {@link AppHost}
 * adopts it once the runtime configuration exists; for any other app the host starts it.
 */
final class SetupRun {

    private static final Logger LOG = Logger.getLogger(SetupRun.class);

    /** A run started at static init, not yet adopted; guarded by the class. */
    private static SetupRun early;

    private final App app;
    private final String name;
    private final Thread thread;
    private final long started = System.nanoTime();
    private final CompletableFuture<Duration> done = new CompletableFuture<>();

    private SetupRun(App app, String name) {
        this.app = app;
        this.name = name;
        this.thread = new Thread(this::run, "fal4j-setup");
        thread.setDaemon(true);
        thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    }

    /** Starts {@code setup()} now. */
    static SetupRun start(App app, String name) {
        SetupRun run = new SetupRun(app, name);
        run.thread.start();
        return run;
    }

    /** Starts {@code setup()} now, for the host that {@link #adopt} gives it to. */
    static synchronized void startEarly(App app, String name) {
        early = start(app, name);
    }

    /** The run {@link #startEarly} started for this app instance, or a run started now. */
    static synchronized SetupRun adopt(App app, String name) {
        SetupRun run = early;
        early = null;
        return run != null && run.app == app ? run : start(app, name);
    }

    private void run() {
        JdkNatives.link(); // before setup() can start loading a native library that would hold them up
        long start = System.nanoTime();
        LOG.infof("Setting up app %s", name);
        try {
            app.setup();
        } catch (Throwable failure) {
            done.completeExceptionally(failure);
            return;
        }
        done.complete(Duration.ofNanos(System.nanoTime() - start));
    }

    Thread thread() {
        return thread;
    }

    /** How long this run has been going. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Completes with setup()'s own duration when it returns, exceptionally with what it threw. */
    CompletionStage<Duration> done() {
        return done;
    }
}
