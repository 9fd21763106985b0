package io.fal4j.runtime.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.File;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UploadsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A repository that fails its first calls as told, then stores. */
    static final class Flaky implements FileRepository {
        final String name;
        final AtomicInteger calls = new AtomicInteger();
        final int failures;
        final boolean transientFailures;
        final long delayMillis;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Flaky(String name, int failures, boolean transientFailures, long delayMillis) {
            this.name = name;
            this.failures = failures;
            this.transientFailures = transientFailures;
            this.delayMillis = delayMillis;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String store(Payload payload, String baseUrl) throws StoreException {
            threads.add(Thread.currentThread().getName());
            if (calls.incrementAndGet() <= failures) {
                throw new StoreException("HTTP 503", transientFailures, null);
            }
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                throw new StoreException("interrupted", false, e);
            }
            return name + "://" + payload.key();
        }
    }

    private Uploads uploads(List<FileRepository> repositories, List<String> chain, Duration timeout) {
        return new Uploads(repositories, chain, timeout, 3, Duration.ofMillis(5), registry);
    }

    private static File file(String text) {
        return File.fromBytes(text.getBytes(), "f.txt");
    }

    @Test
    void retriesTransientFailuresThenStores() throws Exception {
        Flaky cdn = new Flaky("cdn", 2, true, 0);
        try (Uploads uploads = uploads(List.of(cdn, new DataUris()), List.of("cdn", "in_memory"), Duration.ofSeconds(5))) {
            assertTrue(uploads.store(file("a"), "http://h").startsWith("cdn://"));
        }
        assertEquals(3, cdn.calls.get());
        assertEquals(1, registry.find("fal4j.uploads").tag("outcome", "success").timer().count());
        assertEquals(2.0, registry.find("fal4j.upload.failures").tag("kind", "transient").counter().count());
        assertEquals(1.0, registry.find("fal4j.upload.bytes").summary().totalAmount());
    }

    @Test
    void fallsBackAfterAPermanentFailureWithoutRetrying() throws Exception {
        Flaky cdn = new Flaky("cdn", 100, false, 0);
        try (Uploads uploads = uploads(List.of(cdn, new DataUris()), List.of("cdn", "in_memory"), Duration.ofSeconds(5))) {
            assertEquals("data:text/plain;base64,YQ==", uploads.store(file("a"), "http://h"));
        }
        assertEquals(1, cdn.calls.get());
    }

    @Test
    void fallsBackWhenTheRetriesRunOut() throws Exception {
        Flaky cdn = new Flaky("cdn", 100, true, 0);
        try (Uploads uploads = uploads(List.of(cdn, new DataUris()), List.of("cdn", "in_memory"), Duration.ofSeconds(5))) {
            assertTrue(uploads.store(file("a"), "http://h").startsWith("data:"));
        }
        assertEquals(3, cdn.calls.get());
    }

    @Test
    void aSlowRepositoryTimesOutAndTheNextOneStores() throws Exception {
        Flaky slow = new Flaky("cdn", 0, true, 60_000);
        try (Uploads uploads = uploads(List.of(slow, new DataUris()), List.of("cdn", "in_memory"),
                Duration.ofMillis(100))) {
            assertTrue(uploads.store(file("a"), "http://h").startsWith("data:"));
        }
        assertEquals(3, registry.find("fal4j.upload.failures").counter().count(),
                "each timeout is a transient failure, retried");
        // a call whose time ran out before its thread took it up never reached the repository
        assertTrue(slow.calls.get() >= 1 && slow.calls.get() <= 3, "calls: " + slow.calls.get());
    }

    @Test
    void aFileCanChooseItsRepositories() throws Exception {
        Flaky cdn = new Flaky("cdn", 0, true, 0);
        try (Uploads uploads = uploads(List.of(cdn, new DataUris()), List.of("cdn"), Duration.ofSeconds(5))) {
            assertTrue(uploads.store(file("a").withRepositories("in_memory"), "h").startsWith("data:"));
        }
        assertEquals(0, cdn.calls.get());
    }

    @Test
    void failsNamingEveryRepositoryWhenNoneStores() {
        Flaky cdn = new Flaky("cdn", 100, false, 0);
        try (Uploads uploads = uploads(List.of(cdn, new DataUris()), List.of("cdn"), Duration.ofSeconds(5))) {
            UploadException failure = assertThrows(UploadException.class,
                    () -> uploads.store(file("a").withRepositories("cdn", "nowhere"), "h"));
            assertTrue(failure.getMessage().contains("cdn: HTTP 503"), failure.getMessage());
            assertTrue(failure.getMessage().contains("nowhere: no such repository"), failure.getMessage());
        }
    }

    @Test
    void storesSeveralFilesInParallel() throws Exception {
        CountDownLatch allInside = new CountDownLatch(4);
        AtomicInteger sawTheOthers = new AtomicInteger();
        FileRepository rendezvous = new FileRepository() {
            @Override
            public String name() {
                return "cdn";
            }

            @Override
            public String store(Payload payload, String baseUrl) throws StoreException {
                allInside.countDown();
                try {
                    if (allInside.await(10, TimeUnit.SECONDS)) {
                        sawTheOthers.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    throw new StoreException("interrupted", false, e);
                }
                return "cdn://" + payload.key();
            }
        };
        List<File> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(file("file " + i));
        }
        files.add(files.get(0));
        Map<File, String> urls;
        try (Uploads uploads = uploads(List.of(rendezvous), List.of("cdn"), Duration.ofSeconds(30))) {
            urls = uploads.storeAll(files, "h");
        }
        assertEquals(4, urls.size());
        assertEquals(4, sawTheOthers.get(), "the four uploads did not run at the same time");
    }

    @Test
    void refusesAnUnknownRepositoryInTheDefaultChain() {
        assertThrows(IllegalArgumentException.class,
                () -> uploads(List.of(new DataUris()), List.of("cdn"), Duration.ofSeconds(1)));
    }
}
