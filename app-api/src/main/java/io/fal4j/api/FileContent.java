package io.fal4j.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Where a {@link File}'s bytes are: in memory, on disk, or behind a URL. */
sealed interface FileContent {

    byte[] bytes() throws IOException;

    /** Bytes held in memory; never handed out without a copy. */
    record Bytes(byte[] data) implements FileContent {
        @Override
        public byte[] bytes() {
            return data.clone();
        }
    }

    /** A file on disk, read when needed. */
    record OnDisk(Path path) implements FileContent {

        static Path check(Path path) {
            Path file = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException(file + " is not a readable file");
            }
            return file;
        }

        static long size(Path file) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read the size of " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public byte[] bytes() throws IOException {
            return Files.readAllBytes(path);
        }
    }

    /** A hosted file, downloaded once on first use. */
    final class Remote implements FileContent {
        private final String url;
        private final File.Downloader downloader;
        private byte[] downloaded;

        Remote(String url, File.Downloader downloader) {
            this.url = checkUrl(url);
            this.downloader = downloader;
        }

        static String checkUrl(String url) {
            String scheme = url == null ? "" : url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("data")) {
                throw new IllegalArgumentException("'" + abbreviate(url) + "' is not an http, https or data URL");
            }
            return url;
        }

        private static String abbreviate(String url) {
            return url == null ? "null" : url.length() > 100 ? url.substring(0, 100) + "..." : url;
        }

        String url() {
            return url;
        }

        @Override
        public synchronized byte[] bytes() throws IOException {
            if (downloaded == null) {
                if (downloader == null) {
                    throw new IOException("No downloader for " + abbreviate(url)
                            + ": files from URLs are downloaded when they come in a request");
                }
                downloaded = downloader.download(url);
            }
            return downloaded.clone();
        }
    }
}
