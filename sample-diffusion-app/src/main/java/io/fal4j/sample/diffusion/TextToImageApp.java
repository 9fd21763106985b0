package io.fal4j.sample.diffusion;

import ai.djl.engine.Engine;
import io.fal4j.api.App;
import io.fal4j.api.ContainerImage;
import io.fal4j.api.Description;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.FieldException;
import io.fal4j.api.Image;
import io.fal4j.api.RequestContext;
import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Text to image with Stable Diffusion on DJL's PyTorch engine. On CPU it runs the tiny model it
 * ships with; its image exports Stable Diffusion 1.5 for CUDA at build time, and
 * {@code FAL4J_MODEL_DIR} points the app at those weights.
 */
@FalApp(name = "text-to-image", machineType = "GPU-A100", numGpus = 1, keepAlive = 300, maxConcurrency = 4,
        maxMultiplexing = 1, requestTimeout = 120, startupTimeout = 600)
@Description("Generates images from a text prompt with Stable Diffusion.")
public class TextToImageApp implements App {

    static final String DOCKERFILE = """
            FROM pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime
            RUN apt-get update \\
                && apt-get install -y --no-install-recommends openjdk-17-jre-headless=17.0.* curl=7.81.* \\
                && rm -rf /var/lib/apt/lists/*
            RUN pip install --no-cache-dir diffusers==0.34.0 transformers==4.53.2 accelerate==1.8.1
            COPY export_sd15.py /opt/fal4j/export_sd15.py
            ARG MODEL=stable-diffusion-v1-5/stable-diffusion-v1-5
            RUN --mount=type=secret,id=hf_token \\
                HF_TOKEN="$(cat /run/secrets/hf_token)" python3 /opt/fal4j/export_sd15.py \\
                    --model "$MODEL" --out /models/sd15 --dtype float16 --device cuda
            ENV FAL4J_MODEL_DIR=/models/sd15 \\
                PYTORCH_LIBRARY_PATH=/opt/conda/lib/python3.11/site-packages/torch/lib \\
                PYTORCH_FLAVOR=cu128 \\
                PYTORCH_VERSION=2.7.1 \\
                DJL_OFFLINE=true
            """;

    private ModelDirectory model;
    private DiffusionPipeline pipeline;

    @Override
    public ContainerImage image() {
        return ContainerImage.fromDockerfileStr(DOCKERFILE)
                .withBuildArg("MODEL", "stable-diffusion-v1-5/stable-diffusion-v1-5")
                .withSecret("hf_token", "$HF_TOKEN")
                .withContextDir(scripts());
    }

    @Override
    public void setup() throws Exception {
        // DJL must not try to download anything, and the JIT's profiling runs would make first calls slow.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.graph_optimizer",
                System.getProperty("ai.djl.pytorch.graph_optimizer", "false"));
        Future<Engine> engine = DiffusionPipeline.startEngine();
        model = ModelDirectory.resolve();
        pipeline = DiffusionPipeline.load(model.path(), TextToImageApp.class.getAnnotation(FalApp.class)
                .maxMultiplexing(), engine);
        pipeline.warmUp();
    }

    @Override
    public void teardown() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Endpoint("/")
    @Description("Generates images from a prompt.")
    public Output generate(Input input, RequestContext ctx) throws Exception {
        int factor = pipeline.config().vaeScaleFactor();
        checkSide("width", input.imageSize().width(), factor);
        checkSide("height", input.imageSize().height(), factor);
        int seed = input.seed() != null ? input.seed().intValue() : ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        DiffusionPipeline.Result result = pipeline.generate(new DiffusionPipeline.Request(input.prompt(),
                input.negativePrompt(), input.imageSize().width(), input.imageSize().height(),
                input.numInferenceSteps(), input.guidanceScale(), seed, input.numImages(), input.scheduler()), ctx, null);
        long start = System.nanoTime();
        List<Image> images = new ArrayList<>();
        for (BufferedImage image : result.images()) {
            images.add(Image.fromBufferedImage(image));
        }
        Map<String, Double> timings = new LinkedHashMap<>(result.timings());
        timings.put("png", (System.nanoTime() - start) / 1e9);
        return new Output(images, seed, input.prompt(), timings);
    }

    private static void checkSide(String side, int pixels, int factor) {
        if (pixels % factor != 0 || pixels < 64 || pixels > 2048) {
            throw new FieldException(List.of("image_size", side), "must be a multiple of " + factor
                    + " from 64 to 2048, not " + pixels);
        }
    }

    /** The build context of the image: this project's scripts directory, found from where the classes are. */
    private static Path scripts() {
        try {
            Path at = Path.of(TextToImageApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = at; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("scripts/export_sd15.py"))) {
                    return dir.resolve("scripts");
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            throw new IllegalStateException("Cannot locate the app's project directory", e);
        }
        throw new IllegalStateException("scripts/export_sd15.py is not beside the app's classes");
    }
}
