package io.fal4j.runtime.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCdnTest {

    @TempDir
    Path dir;

    private static Payload payload(String text, String name) {
        return Payload.of(File.fromBytes(text.getBytes(StandardCharsets.UTF_8), name));
    }

    private List<Path> stored() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void storesUnderTheContentHashAndLinksToTheRunner() throws Exception {
        LocalCdn cdn = new LocalCdn(dir, Optional.empty());
        Payload hello = payload("hello", "greeting.txt");
        String url = cdn.store(hello, "http://runner:8080");

        assertEquals("http://runner:8080/files/" + hello.sha256() + ".txt", url);
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", hello.sha256());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(cdn.find(hello.key()).get()));
        assertEquals("https://cdn.example.com/files/" + hello.key(),
                new LocalCdn(dir, Optional.of("https://cdn.example.com/")).store(hello, "http://ignored"));
    }

    @Test
    void sameBytesStoredConcurrentlyEndAsOneFile() throws Exception {
        LocalCdn cdn = new LocalCdn(dir, Optional.empty());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<String>> stores = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            stores.add(threads.submit(() -> cdn.store(payload("same bytes", "x.txt"), "http://h")));
        }
        for (Future<String> store : stores) {
            assertEquals(stores.get(0).get(), store.get());
        }
        threads.shutdown();
        assertEquals(1, stored().size(), stored().toString());
    }

    @Test
    void findsOnlyWellFormedKeysOfStoredFiles() throws Exception {
        LocalCdn cdn = new LocalCdn(dir, Optional.empty());
        Payload hello = payload("hello", "greeting.txt");
        cdn.store(hello, "http://h");
        Files.writeString(dir.resolve("notes.txt"), "not ours");
        assertTrue(cdn.find(hello.key()).isPresent());
        for (String key : new String[] {"notes.txt", "../" + hello.key(), hello.key().toUpperCase(), "",
                hello.sha256(), hello.sha256() + ".txt/..", "0".repeat(64) + ".txt", hello.sha256() + ".TXT"}) {
            assertFalse(cdn.find(key).isPresent(), key);
        }
    }

    @Test
    void anUnwritableDirectoryFailsWithoutLeavingAnything() throws Exception {
        Path blocker = dir.resolve("a-file");
        Files.writeString(blocker, "x");
        LocalCdn cdn = new LocalCdn(blocker.resolve("cdn"), Optional.empty());
        StoreException failure = assertThrows(StoreException.class, () -> cdn.store(payload("x", "x.txt"), "h"));
        assertFalse(failure.transientFailure());
        assertEquals(List.of(blocker), stored());
    }
}
