package io.fal4j.sample.diffusion;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A model directory's {@code config.json}: the TorchScript file of each component, the shapes that
 * tie them together, the tokenizer's files and the scheduler's training schedule. The tiny model and
 * exported Stable Diffusion 1.5 weights share the format.
 *
 * @param name the model's name
 * @param components the TorchScript file of each component
 * @param hiddenSize the text encoder's hidden size
 * @param maxLength the token sequence length (77)
 * @param latentChannels the latent channels (4)
 * @param vaeScaleFactor the ratio of image to latent size (8)
 * @param latentScaleFactor what latents are divided by before decoding (0.18215)
 * @param dtype {@code float32}, or {@code float16} for weights exported for CUDA
 * @param tokenizer the tokenizer's files
 * @param scheduler the noise schedule the model was trained with, and defaults
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelConfig(String name, Components components, int hiddenSize, int maxLength, int latentChannels,
        int vaeScaleFactor, double latentScaleFactor, String dtype, TokenizerFiles tokenizer,
        SchedulerConfig scheduler) {

    /** The component files. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Components(String textEncoder, String unet, String vaeDecoder) {
    }

    /** The CLIP tokenizer's files. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenizerFiles(String vocab, String merges) {
    }

    /**
     * The training noise schedule (scaled-linear betas) and inference defaults.
     *
     * @param trainSteps the training timesteps (1000)
     * @param betaStart the first beta
     * @param betaEnd the last beta
     * @param stepsOffset added to every inference timestep
     * @param setAlphaToOne whether the step after the last uses alpha 1 rather than the first alpha
     * @param defaultScheduler the scheduler used when a request names none
     * @param defaultSteps the steps used when a request names none
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SchedulerConfig(int trainSteps, double betaStart, double betaEnd, int stepsOffset,
            boolean setAlphaToOne, @JsonProperty("default") String defaultScheduler, int defaultSteps) {
    }

    public ModelConfig {
        dtype = dtype == null ? "float32" : dtype;
    }

    /** Reads {@code config.json} of a model directory. */
    public static ModelConfig read(Path dir) throws IOException {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(dir.resolve("config.json").toFile(), ModelConfig.class);
    }
}
