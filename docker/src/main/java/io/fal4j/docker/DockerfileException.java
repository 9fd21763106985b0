package io.fal4j.docker;

/** A Dockerfile problem, with the line it is on. */
public final class DockerfileException extends RuntimeException {

    private final int line;

    public DockerfileException(int line, String message) {
        super("Dockerfile line " + line + ": " + message);
        this.line = line;
    }

    /** The line, from 1. */
    public int line() {
        return line;
    }
}
