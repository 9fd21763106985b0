package io.fal4j.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's admission control: {@code maxMultiplexing} worker threads execute requests, a
 * bounded FIFO queue holds those that wait, and an offer beyond both is refused (429). Endpoint work
 * runs only on these threads, never on the HTTP I/O threads.
 */
final class Admission implements AutoCloseable {

    /** Work the runner admits; {@link #abandon()} is called when the runner gives up on it at shutdown. */
    interface Task extends Runnable {
        void abandon();
    }

    private final int slots;
    private final int queueLength;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Runnable> active = ConcurrentHashMap.newKeySet();

    Admission(int slots, int queueLength, ClassLoader appClassLoader) {
        this.slots = slots;
        this.queueLength = queueLength;
        BlockingQueue<Runnable> waiting = queueLength == 0 ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(queueLength);
        this.pool = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS, waiting,
                workers(appClassLoader), new ThreadPoolExecutor.AbortPolicy()) {
            @Override
            protected void beforeExecute(Thread worker, Runnable task) {
                active.add(task);
            }

            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                active.remove(task);
                inFlight.decrementAndGet();
            }
        };
        pool.prestartAllCoreThreads();
    }

    /** Runs the task on a free slot or queues it; false when slots and queue are full. */
    boolean offer(Task task) {
        inFlight.incrementAndGet();
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            return false;
        }
    }

    /** Takes a task back out of the queue; false when it already runs (or ran). */
    boolean withdraw(Task task) {
        if (pool.remove(task)) {
            inFlight.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Gives up on everything: queued tasks are taken out, and every task is told to abandon. */
    void abandonAll() {
        List<Runnable> never = new ArrayList<>();
        pool.getQueue().drainTo(never);
        inFlight.addAndGet(-never.size());
        never.addAll(active);
        for (Runnable task : never) {
            ((Task) task).abandon();
        }
    }

    /** Requests executing now. */
    int running() {
        return Math.max(0, inFlight.get() - queued());
    }

    /** Requests waiting for a slot. */
    int queued() {
        return pool.getQueue().size();
    }

    /** The number of slots. */
    int slots() {
        return slots;
    }

    /** The queue's capacity. */
    int queueLength() {
        return queueLength;
    }

    /** Waits until nothing runs or waits, or the time is up; true when idle. */
    boolean awaitIdle(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static ThreadFactory workers(ClassLoader appClassLoader) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "fal4j-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(appClassLoader);
            return thread;
        };
    }
}
