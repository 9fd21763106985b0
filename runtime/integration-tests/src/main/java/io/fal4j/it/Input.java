package io.fal4j.it;

import io.fal4j.api.Default;
import io.fal4j.api.Description;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The benchmark's request, as the FastAPI peer declares it. */
public record Input(
        @NotNull @Description("The prompt to generate an image from.") String prompt,
        @Default("42") int seed,
        @Default("256") @Min(64) @Max(2048) int width,
        @Default("256") @Min(64) @Max(2048) int height,
        @Default("4") @Min(1) @Max(100) int numInferenceSteps) {
}
