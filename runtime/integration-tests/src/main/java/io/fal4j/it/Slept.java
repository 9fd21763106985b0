package io.fal4j.it;

/** How long {@code /slow} worked. */
public record Slept(long sleptMs) {
}
