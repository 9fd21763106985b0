package io.fal4j.docker;

import java.util.ArrayDeque;
import java.util.Deque;

/** Path names inside a build context: slash-separated, cleaned the way Go's {@code path.Clean} does. */
final class ContextPaths {

    private ContextPaths() {
    }

    /**
     * The shortest equivalent path: doubled slashes collapsed, {@code .} removed, {@code x/..}
     * resolved, no trailing slash; {@code ..} at the start of a relative path stays, at the root it
     * goes; an empty result is {@code .}.
     */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** Whether a cleaned relative path leaves the context ({@code ..} or below). */
    static boolean escapes(String cleaned) {
        return cleaned.equals("..") || cleaned.startsWith("../");
    }
}
