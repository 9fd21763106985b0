package io.fal4j.runtime.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static JournalRecord.Submitted submitted(String id) {
        return new JournalRecord.Submitted(id, "/", ("{\"n\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                "", false, 1000, 0, "http://localhost:8080");
    }

    private static JournalRecord.Completed completed(String id) {
        return new JournalRecord.Completed(id, 200, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8),
                Map.of("X-Extra", "1"), "", "", "[]".getBytes(StandardCharsets.UTF_8), 1500, 2000);
    }

    private static void await(CompletableFuture<Void> stored) throws Exception {
        stored.get(10, TimeUnit.SECONDS);
    }

    @Test
    void replaysEachRequestsStateInSubmitOrder() throws Exception {
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            await(journal.append(submitted("a")));
            await(journal.append(submitted("b")));
            await(journal.append(new JournalRecord.Started("a", 1200)));
            await(journal.append(completed("a")));
            await(journal.append(new JournalRecord.Webhook("a", 2, false, false)));
            await(journal.append(new JournalRecord.Started("b", 2100)));
        }
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            List<Journal.Entry> entries = journal.recovered();
            assertEquals(List.of("a", "b"), entries.stream().map(e -> e.submitted().id()).toList());
            Journal.Entry a = entries.get(0);
            assertEquals(1, a.starts());
            assertEquals(200, a.completed().status());
            assertEquals(Map.of("X-Extra", "1"), a.completed().headers());
            assertEquals(2, a.webhook().attempts());
            assertEquals(0, a.submitted().body().length, "a completed request no longer holds its input");
            Journal.Entry b = entries.get(1);
            assertNull(b.completed());
            assertEquals(1, b.starts());
            assertArrayEquals(submitted("b").body(), b.submitted().body());
            assertEquals("http://localhost:8080", b.submitted().origin());
        }
    }

    @Test
    void cutsOffATornRecordAndKeepsAppending() throws Exception {
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            await(journal.append(submitted("a")));
            await(journal.append(submitted("b")));
        }
        Path segment = onlySegment();
        long intact = Files.size(segment);
        Files.write(segment, new byte[] {0, 0, 0, 100, 1, 2, 3}, StandardOpenOption.APPEND);
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            assertEquals(2, journal.recovered().size());
            assertEquals(intact, Files.size(segment));
            await(journal.append(submitted("c")));
        }
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            assertEquals(List.of("a", "b", "c"), journal.recovered().stream().map(e -> e.submitted().id()).toList());
        }
    }

    @Test
    void skipsARecordWhoseChecksumDoesNotMatch() throws Exception {
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            await(journal.append(submitted("a")));
            await(journal.append(submitted("b")));
        }
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x55;
        Files.write(segment, bytes);
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            assertEquals(List.of("a"), journal.recovered().stream().map(e -> e.submitted().id()).toList());
        }
    }

    @Test
    void compactsToTheLiveRequestsAndDeletesOldSegments() throws Exception {
        try (Journal journal = Journal.open(dir, true, 4096)) {
            for (int i = 0; i < 500; i++) {
                String id = "r" + i;
                journal.append(submitted(id));
                journal.append(new JournalRecord.Started(id, 1));
                journal.append(completed(id));
                if (i < 490) {
                    journal.append(new JournalRecord.Expired(id));
                }
            }
            await(journal.append(submitted("last")));
            // Appends made while a compaction runs land in the fresh segment; the journal compacts
            // that one too once it is idle.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((journal.compacting() || journal.size() >= 3 * 4096) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(journal.size() < 3 * 4096, "the journal stays near its live size: " + journal.size());
        }
        try (Stream<Path> files = Files.list(dir)) {
            long segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
            assertTrue(segments <= 2, "a snapshot and the segment after it, not " + segments);
        }
        try (Journal journal = Journal.open(dir, true, 4096)) {
            List<String> ids = journal.recovered().stream().map(e -> e.submitted().id()).toList();
            assertEquals(11, ids.size(), ids.toString());
            assertEquals("r490", ids.get(0));
            assertEquals("last", ids.get(10));
            assertEquals(200, journal.recovered().get(0).completed().status());
            assertEquals(1, journal.recovered().get(0).starts());
        }
    }

    @Test
    void storesEveryConcurrentAppend() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        journal.append(submitted(thread + "-" + i)).join();
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            assertEquals(2000, journal.recovered().size());
        }
    }

    @Test
    void refusesADirectoryAnotherJournalHolds() throws Exception {
        try (Journal journal = Journal.open(dir, true, 1 << 20)) {
            IOException refused = assertThrows(IOException.class, () -> Journal.open(dir, true, 1 << 20));
            assertTrue(refused.getMessage().contains("in use by another runner"), refused.getMessage());
        }
        Journal.open(dir, true, 1 << 20).close();
    }

    @Test
    void failsAppendsAfterClose() throws Exception {
        Journal journal = Journal.open(dir, false, 1 << 20);
        journal.close();
        assertTrue(journal.append(submitted("late")).isCompletedExceptionally());
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
            assertEquals(1, segments.size());
            return segments.get(0);
        }
    }
}
