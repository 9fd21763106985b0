package io.fal4j.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's admission control: {@code maxMultiplexing} worker threads execute requests, up to
 * {@code queueLength} more wait in FIFO order, and an offer beyond both is refused (429). A slot is
 * held from admission until the task releases it, which it does before answering, so a client that
 * got its answer always finds its slot free again. Endpoint work runs only on these threads, never
 * on the HTTP I/O threads.
 */
final class Admission implements AutoCloseable {

    /** Work the runner admits. */
    interface Task extends Runnable {

        /** Marks the task's slot released; true the first time only. */
        boolean releaseOnce();

        /** The runner gives up on the task at shutdown: it answers and stops. */
        void abandon();
    }

    private final int slots;
    private final int queueLength;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger admitted = new AtomicInteger();
    private final Set<Runnable> active = ConcurrentHashMap.newKeySet();
    private volatile Runnable onRelease = () -> { };

    Admission(int slots, int queueLength, ClassLoader appClassLoader) {
        this.slots = slots;
        this.queueLength = queueLength;
        this.pool = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                workers(appClassLoader)) {
            @Override
            protected void beforeExecute(Thread worker, Runnable task) {
                active.add(task);
            }

            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                active.remove(task);
                release((Task) task);
            }
        };
        pool.prestartAllCoreThreads();
    }

    /** Runs the task on a free slot or queues it; false when slots and queue are full. */
    boolean offer(Task task) {
        if (admitted.incrementAndGet() > slots + queueLength) {
            admitted.decrementAndGet();
            return false;
        }
        pool.execute(task);
        return true;
    }

    /**
     * Runs the task only if a slot is free now, ahead of nothing: the durable queue starts its
     * requests this way, so they never wait in (or crowd) the direct calls' queue.
     */
    boolean tryStart(Task task) {
        for (int now = admitted.get(); now < slots; now = admitted.get()) {
            if (admitted.compareAndSet(now, now + 1)) {
                pool.execute(task);
                return true;
            }
        }
        return false;
    }

    /** Frees the task's slot (or queue place); later calls for the same task do nothing. */
    void release(Task task) {
        if (task.releaseOnce()) {
            admitted.decrementAndGet();
            onRelease.run();
        }
    }

    /** Runs {@code listener} each time a slot or queue place is freed. */
    void onRelease(Runnable listener) {
        this.onRelease = listener;
    }

    /** Takes a task back out of the queue; false when it already runs (or ran). */
    boolean withdraw(Task task) {
        if (pool.remove(task)) {
            release(task);
            return true;
        }
        return false;
    }

    /** Gives up on everything: queued tasks are taken out, and every task is told to abandon. */
    void abandonAll() {
        List<Runnable> tasks = new ArrayList<>();
        pool.getQueue().drainTo(tasks);
        tasks.forEach(task -> release((Task) task));
        tasks.addAll(active);
        tasks.forEach(task -> ((Task) task).abandon());
    }

    /** Requests executing now. */
    int running() {
        return Math.max(0, Math.min(slots, admitted.get() - queued()));
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
        while (admitted.get() > 0 || !active.isEmpty()) {
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
