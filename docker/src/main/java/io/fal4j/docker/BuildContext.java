package io.fal4j.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files a build sees: the context directory walked without following links, less what the
 * {@link IgnoreRules} leave out, each file with its mode and content hash. Hashing runs in
 * parallel, reading each file once through a direct buffer.
 */
public final class BuildContext {

    private static final int BUFFER = 1 << 20;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

    private final Path root;
    private final List<ContextEntry> entries;

    private BuildContext(Path root, List<ContextEntry> entries) {
        this.root = root;
        this.entries = List.copyOf(entries);
    }

    /**
     * Walks and hashes a context directory.
     *
     * @throws IOException when the directory or one of its files cannot be read
     */
    public static BuildContext scan(Path root, IgnoreRules rules) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("the build context " + root + " is not a directory");
        }
        List<ContextEntry> found = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String path = relative(root, dir);
                if (rules.excludes(path)) {
                    return rules.reincludesBelow(path) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }
                found.add(new ContextEntry(path, ContextEntry.Type.DIRECTORY, mode(dir), 0, ""));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String path = relative(root, file);
                if (rules.excludes(path)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    found.add(new ContextEntry(path, ContextEntry.Type.SYMLINK, 0777, 0,
                            Files.readSymbolicLink(file).toString()));
                } else if (attrs.isRegularFile()) {
                    found.add(new ContextEntry(path, ContextEntry.Type.FILE, mode(file), attrs.size(), ""));
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                throw new IOException("cannot read " + file + " in the build context: " + failure.getMessage(),
                        failure);
            }
        });
        List<ContextEntry> hashed;
        try {
            hashed = found.parallelStream().map(entry -> entry.type() == ContextEntry.Type.FILE
                    ? new ContextEntry(entry.path(), entry.type(), entry.mode(), entry.size(),
                            sha256(root.resolve(entry.path())))
                    : entry).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<ContextEntry> sorted = new ArrayList<>(hashed);
        sorted.sort(Comparator.comparing(ContextEntry::path));
        return new BuildContext(root, sorted);
    }

    /** A context with nothing in it, for an image that copies nothing. */
    public static BuildContext empty() {
        return new BuildContext(Path.of("."), List.of());
    }

    /** The context directory. */
    public Path root() {
        return root;
    }

    /** Every entry, sorted by path. */
    public List<ContextEntry> entries() {
        return entries;
    }

    /** The files only. */
    public List<ContextEntry> files() {
        return entries.stream().filter(entry -> entry.type() != ContextEntry.Type.DIRECTORY).toList();
    }

    /** A hash of every entry's path, type, mode and content (or link target). */
    public String digest() {
        MessageDigest digest = sha256();
        for (ContextEntry entry : entries) {
            digest.update(entry.digestLine().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The entries a COPY or ADD source names: a path, or a pattern with {@code *}, {@code ?} and
     * {@code [...]} within segments. Empty when nothing matches (or all of it is ignored).
     */
    public List<String> matching(String source) {
        String cleaned = ContextPaths.clean(source.startsWith("/") ? source.substring(1) : source);
        if (cleaned.equals(".")) {
            return List.of(".");
        }
        Pattern pattern = glob(cleaned);
        return entries.stream().map(ContextEntry::path).filter(path -> pattern.matcher(path).matches()).toList();
    }

    private static Pattern glob(String source) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '*' && i + 1 < source.length() && source.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[' || c == ']') {
                regex.append(c);
            } else if (c == '\\' && i + 1 < source.length()) {
                regex.append(Pattern.quote(String.valueOf(source.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static int mode(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.readAttributes(path, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).permissions();
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    static String sha256(Path file) {
        MessageDigest digest = sha256();
        ByteBuffer buffer = BUFFERS.get();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    break;
                }
                buffer.flip();
                digest.update(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot read " + file + ": " + e.getMessage(), e));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
