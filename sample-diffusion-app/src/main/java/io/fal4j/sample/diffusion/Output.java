package io.fal4j.sample.diffusion;

import io.fal4j.api.Description;
import io.fal4j.api.Image;
import java.util.List;
import java.util.Map;

/**
 * The generated images with what made them.
 *
 * @param images the images, PNG, on the CDN
 * @param seed the seed used
 * @param prompt the prompt
 * @param timings seconds per pipeline stage
 */
public record Output(
        @Description("The generated images.") List<Image> images,
        @Description("The seed the noise was drawn with.") long seed,
        @Description("The prompt the images were generated from.") String prompt,
        @Description("Seconds spent in each stage of the pipeline.") Map<String, Double> timings) {
}
