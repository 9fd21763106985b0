package io.fal4j.runtime.files;

import io.fal4j.api.File;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Stores a response's output files, several in parallel, each through its chain of repositories
 * (the file's own, or the runner's default: {@code cdn} then {@code in_memory}). Every call has a
 * timeout; transient failures are retried with jittered exponential backoff before the next
 * repository is tried. Counts, bytes, latency and failures are recorded per repository.
 */
public final class Uploads implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Uploads.class);

    private final Map<String, FileRepository> repositories = new LinkedHashMap<>();
    private final List<String> defaultChain;
    private final Duration timeout;
    private final int attempts;
    private final Duration backoff;
    private final MeterRegistry registry;
    private final ExecutorService calls;

    public Uploads(List<FileRepository> repositories, List<String> defaultChain, Duration timeout, int attempts,
            Duration backoff, MeterRegistry registry) {
        repositories.forEach(repository -> this.repositories.put(repository.name(), repository));
        for (String name : defaultChain) {
            if (!this.repositories.containsKey(name)) {
                throw new IllegalArgumentException("fal4j.files.repositories names '" + name
                        + "', which is not one of " + this.repositories.keySet());
            }
        }
        this.defaultChain = List.copyOf(defaultChain);
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
        this.backoff = backoff;
        this.registry = registry;
        AtomicInteger count = new AtomicInteger();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.calls = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fal4j-upload-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(loader);
            return thread;
        });
    }

    /**
     * Stores every file, in parallel when there are several.
     *
     * @param baseUrl the base URL the client reached the runner at
     * @return the URL of each file, by identity
     * @throws UploadException when a file could not be stored in any of its repositories
     */
    public Map<File, String> storeAll(List<File> files, String baseUrl) throws UploadException {
        Map<File, String> urls = new IdentityHashMap<>();
        if (files.size() == 1) {
            urls.put(files.get(0), store(files.get(0), baseUrl));
            return urls;
        }
        Object requestId = MDC.get("request_id");
        Map<File, CompletableFuture<String>> pending = new IdentityHashMap<>();
        for (File file : files) {
            pending.computeIfAbsent(file, f -> CompletableFuture.supplyAsync(() -> {
                if (requestId != null) {
                    MDC.put("request_id", requestId);
                }
                try {
                    return store(f, baseUrl);
                } catch (UploadException e) {
                    throw new IllegalStateException(e);
                } finally {
                    MDC.remove("request_id");
                }
            }, calls));
        }
        for (Map.Entry<File, CompletableFuture<String>> entry : pending.entrySet()) {
            urls.put(entry.getKey(), await(entry.getValue()));
        }
        return urls;
    }

    /**
     * Stores one file through its chain.
     *
     * @throws UploadException naming each repository's failure
     */
    public String store(File file, String baseUrl) throws UploadException {
        Payload payload = Payload.of(file);
        List<String> chain = file.repositories().isEmpty() ? defaultChain : file.repositories();
        List<String> failures = new ArrayList<>();
        for (String name : chain) {
            FileRepository repository = repositories.get(name);
            if (repository == null) {
                failures.add(name + ": no such repository");
                continue;
            }
            for (int attempt = 1; attempt <= attempts; attempt++) {
                long start = System.nanoTime();
                try {
                    String url = call(repository, payload, baseUrl);
                    record(name, "success", start);
                    DistributionSummary.builder("fal4j.upload.bytes").baseUnit("bytes")
                            .description("Bytes of output files stored").tag("repository", name)
                            .register(registry).record(payload.data().length);
                    return url;
                } catch (StoreException e) {
                    record(name, "failure", start);
                    registry.counter("fal4j.upload.failures", "repository", name, "kind",
                            e.transientFailure() ? "transient" : "permanent").increment();
                    boolean again = e.transientFailure() && attempt < attempts;
                    LOG.warnf("Storing %s in %s failed (attempt %d of %d%s): %s", payload.key(), name, attempt,
                            attempts, again ? ", retrying" : "", e.getMessage());
                    if (!again) {
                        failures.add(name + ": " + e.getMessage());
                        break;
                    }
                    pause(attempt);
                }
            }
        }
        throw new UploadException(file.fileName().orElse(payload.key()), failures);
    }

    private String call(FileRepository repository, Payload payload, String baseUrl) throws StoreException {
        Future<String> call = calls.submit(() -> repository.store(payload, baseUrl));
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StoreException("timed out after " + timeout.toMillis() + " ms", true, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException store) {
                throw store;
            }
            throw new StoreException(String.valueOf(e.getCause()), false, e.getCause());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted", false, e);
        }
    }

    private void record(String repository, String outcome, long start) {
        Timer.builder("fal4j.uploads").description("Output files stored, by repository and outcome")
                .tag("repository", repository).tag("outcome", outcome).publishPercentileHistogram()
                .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private void pause(int attempt) {
        long ceiling = backoff.toMillis() << Math.min(attempt - 1, 10);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String await(CompletableFuture<String> upload) throws UploadException {
        try {
            return upload.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException wrapper && wrapper.getCause() instanceof UploadException u) {
                throw u;
            }
            throw new UploadException("an output file", List.of(String.valueOf(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadException("an output file", List.of("interrupted"));
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        repositories.values().forEach(repository -> {
            if (repository instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.debugf("Closing repository %s: %s", repository.name(), e);
                }
            }
        });
    }
}
