package io.fal4j.it;

/** The benchmark's response. */
public record Output(Image image, int seed) {
}
