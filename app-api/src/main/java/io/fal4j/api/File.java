package io.fal4j.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file an endpoint takes or returns, serialized as fal serializes it:
 * {@code {"url": ..., "content_type": ..., "file_name": ..., "file_size": ...}}. Its bytes are never
 * part of the JSON.
 *
 * <p>As output, build it from bytes or a path; the runner stores it in a repository (the CDN by
 * default) when it writes the response and fills in the URL. As input, a client sends a URL
 * ({@code https://...} or a {@code data:} URI) or an object with a {@code url}; {@link #bytes()}
 * downloads it through the runner, with its size, time and address limits.
 *
 * <pre>{@code
 * @Endpoint("/")
 * public Output transcribe(Input input) {
 *     byte[] audio = input.audio().bytes();
 *     return new Output(File.fromBytes(toSrt(audio), "transcript.srt"));
 * }
 * }</pre>
 *
 * <p>Values are immutable; {@link #withRepositories} returns a copy.
 */
public sealed class File permits Image {

    private final FileContent content;
    private final String contentType;
    private final String fileName;
    private final long fileSize;
    private final List<String> repositories;

    File(FileContent content, String contentType, String fileName, long fileSize, List<String> repositories) {
        this.content = Objects.requireNonNull(content, "content");
        this.contentType = contentType == null || contentType.isBlank() ? MediaTypes.OCTET_STREAM : contentType;
        this.fileName = fileName;
        this.fileSize = fileSize;
        this.repositories = List.copyOf(repositories);
    }

    /**
     * A file made of these bytes, its content type taken from the file name's extension.
     *
     * @param data the content; copied
     * @param fileName the name clients see, such as {@code transcript.srt}
     */
    public static File fromBytes(byte[] data, String fileName) {
        return fromBytes(data, fileName, MediaTypes.ofFileName(fileName));
    }

    /**
     * A file made of these bytes with an explicit content type.
     *
     * @param data the content; copied
     * @param fileName the name clients see, or null
     * @param contentType the MIME type, such as {@code text/plain}
     */
    public static File fromBytes(byte[] data, String fileName, String contentType) {
        byte[] copy = data.clone();
        return new File(new FileContent.Bytes(copy), contentType, fileName, copy.length, List.of());
    }

    /**
     * A file read from disk when the runner stores it; the content type comes from its extension.
     *
     * @throws IllegalArgumentException when it is not a readable regular file
     */
    public static File fromPath(Path path) {
        Path file = FileContent.OnDisk.check(path);
        return new File(new FileContent.OnDisk(file), MediaTypes.ofFileName(file.getFileName().toString()),
                file.getFileName().toString(), FileContent.OnDisk.size(file), List.of());
    }

    /**
     * A file that is already hosted somewhere; the runner returns its URL as it is.
     *
     * @param url an {@code http}, {@code https} or {@code data} URL
     * @throws IllegalArgumentException for other URLs
     */
    public static File fromUrl(String url) {
        return fromUrl(url, null);
    }

    /**
     * A hosted file whose bytes the given downloader fetches; this is how the runner binds input
     * files, with its size, time and address limits. Apps use {@link #fromUrl(String)}.
     *
     * @param url an {@code http}, {@code https} or {@code data} URL
     * @param downloader fetches the bytes, or null when only the URL is needed
     */
    public static File fromUrl(String url, Downloader downloader) {
        FileContent.Remote remote = new FileContent.Remote(url, downloader);
        return new File(remote, MediaTypes.ofUrl(url), MediaTypes.fileNameOfUrl(url), -1, List.of());
    }

    /** The MIME type of a file name, by its extension; {@code application/octet-stream} when unknown. */
    public static String contentTypeOf(String fileName) {
        return MediaTypes.ofFileName(fileName);
    }

    /** The URL: set for files that came from a URL, empty for content the runner has yet to store. */
    public Optional<String> url() {
        return content instanceof FileContent.Remote remote ? Optional.of(remote.url()) : Optional.empty();
    }

    /** The MIME type; {@code application/octet-stream} when unknown. */
    public String contentType() {
        return contentType;
    }

    /** The file name clients see, when there is one. */
    public Optional<String> fileName() {
        return Optional.ofNullable(fileName);
    }

    /** The size in bytes, when known without downloading. */
    public OptionalLong fileSize() {
        return fileSize < 0 ? OptionalLong.empty() : OptionalLong.of(fileSize);
    }

    /**
     * The repositories to store this file in, in order of preference ({@code cdn}, {@code in_memory});
     * empty means the runner's default chain.
     */
    public List<String> repositories() {
        return repositories;
    }

    /** A copy stored in these repositories, tried in order, instead of the runner's default chain. */
    public File withRepositories(String... names) {
        return copy(List.of(names));
    }

    /**
     * The content. Input files are downloaded on the first call (within the runner's limits) and
     * kept for later calls.
     *
     * @throws UncheckedIOException when the content cannot be read or downloaded
     */
    public byte[] bytes() {
        try {
            return content.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens the content as a stream; the caller closes it.
     *
     * @throws UncheckedIOException when the content cannot be read or downloaded
     */
    public InputStream open() {
        try {
            return content instanceof FileContent.OnDisk disk ? Files.newInputStream(disk.path())
                    : new ByteArrayInputStream(content.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the runner still has to store the content to give it a URL. */
    public boolean needsUpload() {
        return !(content instanceof FileContent.Remote);
    }

    /** The extension the stored file gets: the file name's, else one for the content type, else {@code bin}. */
    public String extension() {
        return MediaTypes.extension(fileName, contentType);
    }

    /** A copy with other repositories; {@link Image} keeps its size. */
    File copy(List<String> repositories) {
        return new File(content, contentType, fileName, fileSize, repositories);
    }

    FileContent content() {
        return content;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + url().orElse("(not stored)") + ", " + contentType
                + (fileName == null ? "" : ", " + fileName) + "]";
    }

    /** Fetches the bytes of a hosted file; the runner supplies one for input files. */
    @FunctionalInterface
    public interface Downloader {

        /**
         * Downloads the URL.
         *
         * @param url an {@code http}, {@code https} or {@code data} URL
         * @return the content
         * @throws IOException when it cannot be fetched within the runner's limits
         */
        byte[] download(String url) throws IOException;
    }
}
