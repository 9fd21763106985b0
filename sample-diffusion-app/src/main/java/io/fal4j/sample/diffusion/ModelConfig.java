package io.fal4j.sample.diffusion;

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
public record ModelConfig(String name, Components components, int hiddenSize, int maxLength, int latentChannels,
        int vaeScaleFactor, double latentScaleFactor, String dtype, TokenizerFiles tokenizer,
        SchedulerConfig scheduler) {

    /** The component files. */
    public record Components(String textEncoder, String unet, String vaeDecoder) {
    }

    /** The CLIP tokenizer's files. */
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
    public record SchedulerConfig(int trainSteps, double betaStart, double betaEnd, int stepsOffset,
            boolean setAlphaToOne, String defaultScheduler, int defaultSteps) {
    }

    public ModelConfig {
        dtype = dtype == null ? "float32" : dtype;
    }

    /**
     * Reads {@code config.json} of a model directory. Members it does not know are ignored; only
     * {@code name} (then the directory's name) and {@code dtype} ({@code float32}) may be left out.
     */
    public static ModelConfig read(Path dir) throws IOException {
        JsonFile.Members json = JsonFile.object(dir.resolve("config.json"));
        JsonFile.Members components = json.object("components");
        JsonFile.Members tokenizer = json.object("tokenizer");
        JsonFile.Members scheduler = json.object("scheduler");
        return new ModelConfig(json.optionalString("name").orElse(dir.getFileName().toString()),
                new Components(components.string("text_encoder"), components.string("unet"),
                        components.string("vae_decoder")),
                json.integer("hidden_size"), json.integer("max_length"), json.integer("latent_channels"),
                json.integer("vae_scale_factor"), json.number("latent_scale_factor"),
                json.optionalString("dtype").orElse(null),
                new TokenizerFiles(tokenizer.string("vocab"), tokenizer.string("merges")),
                new SchedulerConfig(scheduler.integer("train_steps"), scheduler.number("beta_start"),
                        scheduler.number("beta_end"), scheduler.integer("steps_offset"),
                        scheduler.bool("set_alpha_to_one"), scheduler.string("default"),
                        scheduler.integer("default_steps")));
    }
}
