package io.fal4j.runtime;

import io.fal4j.api.App;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * The app's life in the runner: {@code STARTING -> READY} once {@code setup()} returns within the
 * startup timeout, {@code SETUP_FAILED} (then exit 1) otherwise; on SIGTERM {@code DRAINING}: no new
 * work, in-flight work finishes within the grace period, {@code teardown()}, exit 0.
 */
final class Lifecycle implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class);

    private final App app;
    private final String name;
    private final Duration startupTimeout;
    private final Fal4jConfig.Lifecycle config;
    private final Admission admission;
    private final IntConsumer exit;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fal4j-lifecycle");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean tornDown = new AtomicBoolean();
    private volatile AppState state = AppState.STARTING;
    private volatile String reason = "";
    private volatile Duration setupDuration;
    private volatile Thread setupThread;
    /** Whether the runner serves HTTP yet; guarded by {@code this}. */
    private boolean serving;

    Lifecycle(App app, String name, Duration startupTimeout, Fal4jConfig.Lifecycle config, Admission admission,
            IntConsumer exit) {
        this.app = app;
        this.name = name;
        this.startupTimeout = startupTimeout;
        this.config = config;
        this.admission = admission;
        this.exit = exit;
    }

    AppState state() {
        return state;
    }

    /** Why the runner is not READY, or empty. */
    String reason() {
        return reason;
    }

    /** How long {@code setup()} took, or null before it returned. */
    Duration setupDuration() {
        return setupDuration;
    }

    /**
     * Follows a run of {@code setup()}: READY when it returns, SETUP_FAILED when it throws or is still
     * running when the startup timeout, counted from the run's start, is over.
     */
    void watch(SetupRun run) {
        setupThread = run.thread();
        run.done().whenComplete(this::setupEnded);
        long left = startupTimeout.minus(run.elapsed()).toNanos();
        if (left > 0) {
            timers.schedule(this::setupTimedOut, left, TimeUnit.NANOSECONDS);
        } else {
            setupTimedOut();
        }
    }

    private void setupEnded(Duration took, Throwable failure) {
        if (failure != null) {
            setupFailed("setup() failed: " + failure, failure);
            return;
        }
        synchronized (this) {
            if (state != AppState.STARTING) {
                return;
            }
            setupDuration = took;
            state = AppState.READY;
        }
        LOG.infof("App %s is READY; setup took %d ms", name, took.toMillis());
    }

    private void setupTimedOut() {
        if (setupFailed("setup() did not finish within the startup timeout of " + startupTimeout.toSeconds() + "s",
                null)) {
            setupThread.interrupt();
        }
    }

    private boolean setupFailed(String why, Throwable failure) {
        boolean servingNow;
        synchronized (this) {
            if (state != AppState.STARTING) {
                return false;
            }
            reason = why;
            state = AppState.SETUP_FAILED;
            servingNow = serving;
        }
        LOG.errorf(failure, "App %s: SETUP_FAILED: %s", name, why);
        if (config.exitOnSetupFailure()) {
            if (servingNow) {
                exitAfterDelay();
            } else {
                LOG.errorf("Exiting with status 1 %d ms after the runner starts serving",
                        config.setupFailureExitDelay().toMillis());
            }
        }
        return true;
    }

    /**
     * The runner serves HTTP: a setup failure's exit delay, the time {@code SETUP_FAILED} is visible on
     * {@code /health}, counts from now at the earliest, however long the rest of the boot took.
     */
    void serving() {
        boolean failed;
        synchronized (this) {
            serving = true;
            failed = state == AppState.SETUP_FAILED;
        }
        if (failed && config.exitOnSetupFailure()) {
            exitAfterDelay();
        }
    }

    private void exitAfterDelay() {
        LOG.errorf("Exiting with status 1 in %d ms", config.setupFailureExitDelay().toMillis());
        timers.schedule(() -> exit.accept(1), config.setupFailureExitDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A device error poisoned the runner: liveness fails so that it is replaced. */
    void deviceFault(Throwable failure) {
        synchronized (this) {
            if (state != AppState.READY) {
                return;
            }
            reason = "device error: " + failure;
            state = AppState.UNHEALTHY;
        }
        LOG.errorf("App %s is UNHEALTHY: %s", name, reason);
    }

    /** What SIGTERM does: drain, tear down, exit 0 (1 when setup had failed). */
    void drainAndExit() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        boolean failed;
        synchronized (this) {
            failed = state == AppState.SETUP_FAILED;
            if (!failed) {
                state = AppState.DRAINING;
                reason = "shutting down";
            }
        }
        if (setupThread != null && setupThread.isAlive()) {
            setupThread.interrupt();
        }
        LOG.infof("Draining app %s: %d running, %d queued, grace %ss", name, admission.running(),
                admission.queued(), config.drainGrace().toSeconds());
        try {
            if (!admission.awaitIdle(config.drainGrace())) {
                LOG.warnf("Drain grace of %ss passed with %d requests running and %d queued; cancelling them",
                        config.drainGrace().toSeconds(), admission.running(), admission.queued());
                admission.abandonAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admission.abandonAll();
        }
        tearDown();
        LOG.infof("App %s drained; exiting", name);
        exit.accept(failed ? 1 : 0);
    }

    /** Runs {@code teardown()} once; a failure is logged. */
    void tearDown() {
        if (!tornDown.compareAndSet(false, true)) {
            return;
        }
        try {
            app.teardown();
        } catch (Throwable failure) {
            LOG.errorf(failure, "App %s: teardown() failed", name);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
