package io.fal4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private final Admission admission = new Admission(2, 1, getClass().getClassLoader());

    @AfterEach
    void close() {
        admission.close();
    }

    /** A task that blocks until its gate opens. */
    static final class GatedTask implements Admission.Task {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicBoolean released = new AtomicBoolean();
        volatile boolean abandoned;
        volatile String thread;

        @Override
        public void run() {
            thread = Thread.currentThread().getName();
            started.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean releaseOnce() {
            return released.compareAndSet(false, true);
        }

        @Override
        public void abandon() {
            abandoned = true;
            gate.countDown();
        }
    }

    @Test
    void runsUpToTheSlotsQueuesUpToTheQueueAndRefusesTheRest() throws Exception {
        GatedTask first = new GatedTask();
        GatedTask second = new GatedTask();
        GatedTask waiting = new GatedTask();
        assertTrue(admission.offer(first));
        assertTrue(admission.offer(second));
        assertTrue(first.started.await(5, TimeUnit.SECONDS) && second.started.await(5, TimeUnit.SECONDS));
        assertTrue(admission.offer(waiting));
        assertFalse(admission.offer(new GatedTask()));
        assertEquals(2, admission.running());
        assertEquals(1, admission.queued());

        first.gate.countDown();
        assertTrue(waiting.started.await(5, TimeUnit.SECONDS), "the queued task never ran");
        second.gate.countDown();
        waiting.gate.countDown();
        assertTrue(admission.awaitIdle(Duration.ofSeconds(5)));
        assertTrue(first.thread.startsWith("fal4j-worker-"));
    }

    @Test
    void aReleasedSlotIsFreeBeforeTheTaskReturns() throws Exception {
        GatedTask first = new GatedTask();
        GatedTask second = new GatedTask();
        GatedTask third = new GatedTask();
        admission.offer(first);
        admission.offer(second);
        admission.offer(third);
        assertFalse(admission.offer(new GatedTask()));

        admission.release(first);
        admission.release(first);

        GatedTask fourth = new GatedTask();
        assertTrue(admission.offer(fourth), "the released slot was not free");
        assertFalse(admission.offer(new GatedTask()), "one release freed two places");
        for (GatedTask task : new GatedTask[] {first, second, third, fourth}) {
            task.gate.countDown();
        }
        assertTrue(admission.awaitIdle(Duration.ofSeconds(5)));
    }

    @Test
    void withdrawsQueuedTasksButNotRunningOnes() throws Exception {
        GatedTask first = new GatedTask();
        GatedTask second = new GatedTask();
        GatedTask waiting = new GatedTask();
        admission.offer(first);
        admission.offer(second);
        first.started.await(5, TimeUnit.SECONDS);
        second.started.await(5, TimeUnit.SECONDS);
        admission.offer(waiting);

        assertFalse(admission.withdraw(first));
        assertTrue(admission.withdraw(waiting));
        assertEquals(0, admission.queued());
        assertTrue(admission.offer(new GatedTask()), "the withdrawn task still held its place");
        admission.abandonAll();
    }

    @Test
    void abandonAllTellsRunningAndQueuedTasks() throws Exception {
        GatedTask first = new GatedTask();
        GatedTask second = new GatedTask();
        GatedTask waiting = new GatedTask();
        admission.offer(first);
        admission.offer(second);
        first.started.await(5, TimeUnit.SECONDS);
        second.started.await(5, TimeUnit.SECONDS);
        admission.offer(waiting);

        assertFalse(admission.awaitIdle(Duration.ofMillis(50)));
        admission.abandonAll();

        assertTrue(first.abandoned && second.abandoned && waiting.abandoned);
        assertTrue(admission.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(null, waiting.thread, "an abandoned queued task ran");
    }
}
