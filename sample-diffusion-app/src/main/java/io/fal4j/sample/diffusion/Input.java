package io.fal4j.sample.diffusion;

import io.fal4j.api.Default;
import io.fal4j.api.Description;
import io.fal4j.api.ImageSize;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** A text-to-image request, with the fields of fal's Stable Diffusion endpoints. */
@Description("What to generate.")
public record Input(
        @NotBlank @Description(value = "The prompt to generate an image from.",
                examples = "a watercolor fox in the snow") String prompt,
        @Default("") @Description("What the image should not contain.") String negativePrompt,
        @NotNull @Default("square") @Description(value = "The size of the images: a preset or {width, height}, "
                + "multiples of 8 from 64 to 2048.", examples = "\"landscape_4_3\"") ImageSize imageSize,
        @Default("25") @Min(1) @Max(50) @Description("How many denoising steps to run.") int numInferenceSteps,
        @Default("7.5") @DecimalMin("0") @DecimalMax("20")
        @Description("How closely to follow the prompt; 1 or less turns classifier-free guidance off.")
        double guidanceScale,
        @Min(0) @Max(Integer.MAX_VALUE)
        @Description("The noise seed; the same seed, prompt and settings give the same images. Random when left out.")
        Long seed,
        @Default("1") @Min(1) @Max(4) @Description("How many images to generate, as one batch.") int numImages,
        @Default("PNDM") @Description("The noise scheduler.") Scheduler.Kind scheduler) {
}
