package io.fal4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private final Admission admission = new Admission(1, 0, getClass().getClassLoader());
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private Lifecycle lifecycle;

    @AfterEach
    void close() {
        admission.close();
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    record Settings(Duration drainGrace, boolean exitOnSetupFailure, Duration setupFailureExitDelay)
            implements Fal4jConfig.Lifecycle {
        @Override
        public Optional<Duration> startupTimeout() {
            return Optional.empty();
        }
    }

    /** An app whose setup does what the test says, counting teardowns. */
    static final class ScriptedApp implements App {
        final AtomicInteger teardowns = new AtomicInteger();
        final Runnable setup;

        ScriptedApp(Runnable setup) {
            this.setup = setup;
        }

        @Override
        public void setup() {
            setup.run();
        }

        @Override
        public void teardown() {
            teardowns.incrementAndGet();
        }
    }

    private Lifecycle start(App app, Duration startupTimeout, Settings settings) {
        lifecycle = new Lifecycle(app, "test", startupTimeout, settings, admission, exit::complete);
        lifecycle.watch(SetupRun.start(app, "test"));
        return lifecycle;
    }

    private static void await(Lifecycle lifecycle, AppState state) throws InterruptedException {
        for (int i = 0; i < 500 && lifecycle.state() != state; i++) {
            Thread.sleep(10);
        }
        assertEquals(state, lifecycle.state());
    }

    @Test
    void becomesReadyAfterSetup() throws Exception {
        Lifecycle lifecycle = start(new ScriptedApp(() -> { }), Duration.ofSeconds(5),
                new Settings(Duration.ofSeconds(1), true, Duration.ZERO));
        await(lifecycle, AppState.READY);
        assertTrue(lifecycle.setupDuration() != null);
        assertTrue(lifecycle.reason().isEmpty());
    }

    @Test
    void aSetupFailureBeforeTheRunnerServesExitsOneTheDelayAfterItDoes() throws Exception {
        Lifecycle lifecycle = start(new ScriptedApp(() -> {
            throw new IllegalStateException("no GPU");
        }), Duration.ofSeconds(5), new Settings(Duration.ofSeconds(1), true, Duration.ofMillis(200)));
        await(lifecycle, AppState.SETUP_FAILED);
        assertTrue(lifecycle.reason().contains("no GPU"), lifecycle.reason());
        Thread.sleep(400);
        assertTrue(!exit.isDone(), "exited before SETUP_FAILED could be seen on /health");
        lifecycle.serving();
        assertEquals(1, exit.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aSetupFailureWhileServingExitsOneAfterTheDelay() throws Exception {
        CountDownLatch served = new CountDownLatch(1);
        Lifecycle lifecycle = start(new ScriptedApp(() -> {
            try {
                served.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("no GPU");
        }), Duration.ofSeconds(5), new Settings(Duration.ofSeconds(1), true, Duration.ofMillis(200)));
        lifecycle.serving();
        served.countDown();
        await(lifecycle, AppState.SETUP_FAILED);
        assertEquals(1, exit.get(5, TimeUnit.SECONDS));
    }

    @Test
    void setupPastTheTimeoutFailsAndIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Lifecycle lifecycle = start(new ScriptedApp(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }), Duration.ofMillis(200), new Settings(Duration.ofSeconds(1), false, Duration.ZERO));
        await(lifecycle, AppState.SETUP_FAILED);
        assertTrue(lifecycle.reason().contains("startup timeout"), lifecycle.reason());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertTrue(!exit.isDone(), "exited although exit-on-setup-failure is off");
        assertEquals(AppState.SETUP_FAILED, lifecycle.state(), "a late setup turned the runner READY");
    }

    @Test
    void countsTheStartupTimeoutFromTheStartOfSetup() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        ScriptedApp app = new ScriptedApp(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        SetupRun run = SetupRun.start(app, "test");
        Thread.sleep(300);
        lifecycle = new Lifecycle(app, "test", Duration.ofMillis(200), new Settings(Duration.ofSeconds(1), false,
                Duration.ZERO), admission, exit::complete);
        lifecycle.watch(run);
        assertEquals(AppState.SETUP_FAILED, lifecycle.state(), "a run older than the timeout was given more time");
        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aSetupThatEndedBeforeItIsWatchedIsReady() throws Exception {
        ScriptedApp app = new ScriptedApp(() -> { });
        SetupRun run = SetupRun.start(app, "test");
        run.thread().join();
        lifecycle = new Lifecycle(app, "test", Duration.ofMillis(1), new Settings(Duration.ofSeconds(1), true,
                Duration.ZERO), admission, exit::complete);
        lifecycle.watch(run);
        assertEquals(AppState.READY, lifecycle.state());
    }

    @Test
    void theHostAdoptsTheRunStartedEarlyForItsAppOnly() throws Exception {
        AtomicInteger setups = new AtomicInteger();
        ScriptedApp app = new ScriptedApp(setups::incrementAndGet);
        ScriptedApp other = new ScriptedApp(() -> { });
        SetupRun.startEarly(app, "test");
        SetupRun adopted = SetupRun.adopt(app, "test");
        adopted.thread().join();
        assertEquals(1, setups.get(), "the early run was not the one adopted");

        SetupRun.startEarly(app, "test");
        SetupRun forOther = SetupRun.adopt(other, "test");
        SetupRun again = SetupRun.adopt(app, "test");
        for (SetupRun run : List.of(forOther, again)) {
            run.thread().join();
        }
        assertTrue(forOther != again && again != adopted, "a run was handed out twice");
        for (int i = 0; i < 500 && setups.get() < 3; i++) {
            Thread.sleep(10); // the second early run, dropped, still runs
        }
        assertEquals(3, setups.get(), "each early run, then a run of its own for the app whose early run was dropped");
    }

    @Test
    void drainWaitsForWorkThenTearsDownOnceAndExitsZero() throws Exception {
        ScriptedApp app = new ScriptedApp(() -> { });
        Lifecycle lifecycle = start(app, Duration.ofSeconds(5), new Settings(Duration.ofSeconds(10), true,
                Duration.ZERO));
        await(lifecycle, AppState.READY);
        AdmissionTest.GatedTask work = new AdmissionTest.GatedTask();
        admission.offer(work);
        work.started.await(5, TimeUnit.SECONDS);

        Thread drain = new Thread(lifecycle::drainAndExit);
        drain.start();
        await(lifecycle, AppState.DRAINING);
        Thread.sleep(100);
        assertTrue(!exit.isDone(), "exited with work in flight");
        work.gate.countDown();

        assertEquals(0, exit.get(5, TimeUnit.SECONDS));
        lifecycle.tearDown();
        assertEquals(1, app.teardowns.get());
        assertTrue(!work.abandoned);
    }

    @Test
    void drainAbandonsWorkPastTheGrace() throws Exception {
        Lifecycle lifecycle = start(new ScriptedApp(() -> { }), Duration.ofSeconds(5),
                new Settings(Duration.ofMillis(100), true, Duration.ZERO));
        await(lifecycle, AppState.READY);
        AdmissionTest.GatedTask work = new AdmissionTest.GatedTask();
        admission.offer(work);
        work.started.await(5, TimeUnit.SECONDS);

        lifecycle.drainAndExit();

        assertTrue(work.abandoned);
        assertEquals(0, exit.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aDeviceFaultMakesAReadyRunnerUnhealthy() throws Exception {
        Lifecycle lifecycle = start(new ScriptedApp(() -> { }), Duration.ofSeconds(5),
                new Settings(Duration.ofSeconds(1), true, Duration.ZERO));
        await(lifecycle, AppState.READY);
        lifecycle.deviceFault(new RuntimeException("CUDA error: device-side assert triggered"));
        assertEquals(AppState.UNHEALTHY, lifecycle.state());
        assertTrue(!lifecycle.state().alive());
    }
}
