package io.fal4j.it;

import io.fal4j.api.Image;

/** The painted image, stored by the runner, and the seed. */
public record Painted(Image image, int seed) {
}
