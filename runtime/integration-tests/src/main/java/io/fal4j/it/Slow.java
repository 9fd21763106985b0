package io.fal4j.it;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** How long {@code /slow} works. */
public record Slow(@Min(0) @Max(600_000) int millis) {
}
