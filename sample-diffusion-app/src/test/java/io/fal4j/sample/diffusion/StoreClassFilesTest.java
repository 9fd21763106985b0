package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaging step that stores class files uncompressed, run as the build runs it. */
class StoreClassFilesTest {

    private static final byte[] CLASS = "class bytes ".repeat(300).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LIBRARY = "native library ".repeat(300).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTE = "already stored".getBytes(StandardCharsets.US_ASCII);
    private static final long TIME = 1_700_000_000_000L;

    record Entry(String name, int method, long time, byte[] data) {
    }

    @Test
    void storesClassFilesAndKeepsEverythingElse(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("lib/main/app.jar");
        Files.createDirectories(jar.getParent());
        writeJar(jar);

        assertEquals(0, run(dir).exitCode);
        List<Entry> entries = read(jar);
        assertEquals(List.of("META-INF/MANIFEST.MF", "a/", "a/A.class", "a/libtorch.so", "a/note.txt"),
                entries.stream().map(Entry::name).toList(), "names or order changed");
        assertEquals(ZipEntry.STORED, entries.get(2).method(), "the class file is still deflated");
        assertEquals(ZipEntry.DEFLATED, entries.get(0).method());
        assertEquals(ZipEntry.DEFLATED, entries.get(3).method(), "a native library was stored");
        assertEquals(ZipEntry.STORED, entries.get(4).method());
        assertArrayEquals(CLASS, entries.get(2).data());
        assertArrayEquals(LIBRARY, entries.get(3).data());
        assertArrayEquals(NOTE, entries.get(4).data());
        for (Entry entry : entries) {
            assertEquals(TIME, entry.time(), entry.name() + "'s time changed");
        }

        byte[] once = Files.readAllBytes(jar);
        Result again = run(dir);
        assertEquals(0, again.exitCode);
        assertTrue(again.output.contains("0 of 1 jars rewritten"), again.output);
        assertArrayEquals(once, Files.readAllBytes(jar), "a second run rewrote the jar");
    }

    @Test
    void aJarItCannotReadFailsTheRunAndStaysAsItWas(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.jar");
        Files.writeString(broken, "not a zip file");

        Result result = run(dir);
        assertNotEquals(0, result.exitCode);
        assertTrue(result.output.contains("broken.jar"), result.output);
        assertEquals("not a zip file", Files.readString(broken));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(broken), files.toList(), "the run left a file behind");
        }
    }

    private static void writeJar(Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream out = new ZipOutputStream(file)) {
            put(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII), false);
            put(out, "a/", new byte[0], false);
            put(out, "a/A.class", CLASS, false);
            put(out, "a/libtorch.so", LIBRARY, false);
            put(out, "a/note.txt", NOTE, true);
        }
    }

    private static void put(ZipOutputStream out, String name, byte[] data, boolean stored) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(TIME);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(data);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
        }
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }

    private static List<Entry> read(Path jar) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.add(new Entry(entry.getName(), entry.getMethod(), entry.getTime(), in.readAllBytes()));
                }
            }
        }
        return entries;
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(Path dir) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "scripts/StoreClassFiles.java", dir.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the run did not end");
        return new Result(process.exitValue(), output);
    }
}
