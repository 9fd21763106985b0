package io.fal4j.sample.diffusion;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.File;
import java.io.IOException;
import java.util.List;

/** The values the Python reference pipeline produced over the same TorchScript files (generate_tiny_model.py). */
final class Golden {

    record Pixels(List<Integer> shape, double mean, double std, List<Double> channelMeans, int min, int max) {
    }

    record Case(String prompt, String negativePrompt, int seed, int steps, double guidanceScale, int width, int height,
            int numImages, Scheduler.Kind scheduler, long[] promptIds, long[] negativeIds, List<float[]> latents,
            Pixels pixels) {

        DiffusionPipeline.Request request() {
            return new DiffusionPipeline.Request(prompt, negativePrompt, width, height, steps, guidanceScale, seed,
                    numImages, scheduler);
        }
    }

    record File(String model, List<Case> cases) {
    }

    private Golden() {
    }

    static List<Case> cases() throws IOException {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(new java.io.File("src/test/resources/tiny-sd/golden.json"), Golden.File.class).cases();
    }
}
