package io.fal4j.docker;

/**
 * One entry of a build context.
 *
 * @param path the path relative to the context root, slash-separated
 * @param type file, directory or symbolic link
 * @param mode the permission bits, such as {@code 0644}
 * @param size the file's size in bytes (0 for the others)
 * @param sha256 the file's content hash in hex, or the link's target for a link, empty for a directory
 */
public record ContextEntry(String path, Type type, int mode, long size, String sha256) {

    /** What an entry is; a link is kept as a link and never followed. */
    public enum Type {
        FILE, DIRECTORY, SYMLINK
    }

    /** The mode as four octal digits. */
    public String octalMode() {
        return String.format("%04o", mode);
    }

    /** The line this entry adds to the context's digest. */
    String digestLine() {
        return type.name().charAt(0) + " " + octalMode() + " " + path + " " + sha256 + "\n";
    }
}
