package io.fal4j.sample.diffusion;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.fal4j.api.RequestContext;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Stable Diffusion's text-to-image pipeline on DJL's PyTorch engine: CLIP tokenizer, text encoder,
 * a UNet denoising loop with classifier-free guidance (conditional and unconditional in one batch),
 * and the VAE decoder. The TorchScript components are loaded once; each worker slot borrows its own
 * set of predictors; each request's native memory lives in a manager that is closed when it ends.
 */
public final class DiffusionPipeline implements AutoCloseable {

    /** DJL's random seed is global to the process: noise is drawn under this lock so seeds stay reproducible. */
    private static final Object SEED = new Object();

    private static final ColorModel RGB = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false,
            false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);

    private final ModelConfig config;
    private final ClipTokenizer tokenizer;
    private final NoiseSchedule schedule;
    private final Device device;
    private final DataType dtype;
    private final List<Model> models = new ArrayList<>();
    private final BlockingQueue<Predictors> predictors;
    private final NDManager root;

    /** One worker's predictors; DJL predictors are not shared between threads. */
    private record Predictors(Predictor<NDList, NDList> textEncoder, Predictor<NDList, NDList> unet,
            Predictor<NDList, NDList> vaeDecoder) implements AutoCloseable {
        @Override
        public void close() {
            textEncoder.close();
            unet.close();
            vaeDecoder.close();
        }
    }

    /**
     * What to generate.
     *
     * @param prompt the prompt
     * @param negativePrompt what to steer away from; empty for none
     * @param width the image width, a multiple of the VAE scale factor
     * @param height the image height, likewise
     * @param steps denoising steps
     * @param guidance the classifier-free guidance scale; 1 or less turns guidance off
     * @param seed the noise seed
     * @param images how many images, generated as one batch
     * @param scheduler the scheduler
     */
    public record Request(String prompt, String negativePrompt, int width, int height, int steps, double guidance,
            int seed, int images, Scheduler.Kind scheduler) {
    }

    /**
     * The generated images and where the time went, in seconds: {@code tokenize}, {@code text_encoder},
     * {@code noise}, {@code unet} (the forward calls), {@code scheduler} (the rest of the loop),
     * {@code vae_decode}, {@code postprocess} (pixels to images), {@code total}.
     */
    public record Result(List<BufferedImage> images, Map<String, Double> timings) {
    }

    private DiffusionPipeline(Path dir, ModelConfig config, int slots) throws Exception {
        this.config = config;
        this.tokenizer = ClipTokenizer.load(dir.resolve(config.tokenizer().vocab()),
                dir.resolve(config.tokenizer().merges()), config.maxLength());
        this.schedule = new NoiseSchedule(config.scheduler());
        Engine engine = Engine.getEngine("PyTorch");
        this.device = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        this.dtype = "float16".equals(config.dtype()) ? DataType.FLOAT16 : DataType.FLOAT32;
        this.root = engine.newBaseManager(device);
        Model textEncoder = load(dir, config.components().textEncoder());
        Model unet = load(dir, config.components().unet());
        Model vaeDecoder = load(dir, config.components().vaeDecoder());
        this.predictors = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            predictors.add(new Predictors(textEncoder.newPredictor(new NoopTranslator()),
                    unet.newPredictor(new NoopTranslator()), vaeDecoder.newPredictor(new NoopTranslator())));
        }
    }

    /**
     * Loads a model directory.
     *
     * @param slots how many requests may run at once (one set of predictors each)
     */
    public static DiffusionPipeline load(Path dir, int slots) throws Exception {
        return new DiffusionPipeline(dir, ModelConfig.read(dir), slots);
    }

    private Model load(Path dir, String file) throws IOException, ai.djl.MalformedModelException {
        Model model = Model.newInstance(file, device, "PyTorch");
        model.load(dir, file);
        models.add(model);
        return model;
    }

    /** The model's configuration. */
    public ModelConfig config() {
        return config;
    }

    /**
     * Generates images, reporting each denoising step and stopping at the next one when the request is
     * cancelled.
     *
     * @param trace receives the latents after each step, or null
     */
    public Result generate(Request request, RequestContext context, List<float[]> trace)
            throws InterruptedException, TranslateException {
        Predictors worker = predictors.take();
        try (NDManager scope = root.newSubManager()) {
            return generate(request, context, trace, worker, scope);
        } finally {
            predictors.put(worker);
        }
    }

    private Result generate(Request request, RequestContext context, List<float[]> trace, Predictors worker,
            NDManager scope) throws TranslateException {
        Map<String, Double> timings = new LinkedHashMap<>();
        long start = System.nanoTime();
        boolean guided = request.guidance() > 1.0;
        int batch = guided ? 2 : 1;
        long[] ids = new long[batch * config.maxLength()];
        if (guided) {
            System.arraycopy(tokenizer.encode(request.negativePrompt()), 0, ids, 0, config.maxLength());
        }
        System.arraycopy(tokenizer.encode(request.prompt()), 0, ids, (batch - 1) * config.maxLength(),
                config.maxLength());
        long now = System.nanoTime();
        timings.put("tokenize", seconds(start, now));

        NDArray states = worker.textEncoder().predict(new NDList(scope.create(ids, new Shape(batch,
                config.maxLength())))).singletonOrThrow();
        NDArray embeddings = guided
                ? NDArrays.concat(new NDList(states.get("0:1").repeat(0, request.images()),
                        states.get("1:2").repeat(0, request.images())))
                : states.repeat(0, request.images());
        embeddings = toModel(embeddings);
        timings.put("text_encoder", seconds(now, now = System.nanoTime()));

        Scheduler scheduler = request.scheduler().create(schedule, request.steps());
        Shape shape = latentShape(request);
        float[] latents = noise(request.seed(), shape);
        float sigma = scheduler.initNoiseSigma();
        for (int i = 0; i < latents.length; i++) {
            latents[i] *= sigma;
        }
        timings.put("noise", seconds(now, now = System.nanoTime()));
        float[] timesteps = scheduler.timesteps();
        Shape batchShape = guided ? new Shape(2 * shape.get(0), shape.get(1), shape.get(2), shape.get(3)) : shape;
        float guidance = (float) request.guidance();
        long unet = 0;
        long loopStart = now;
        for (int step = 0; step < timesteps.length; step++) {
            context.throwIfCancelled();
            float[] input = modelInput(latents, guided, scheduler.inputDivisor(step));
            long forward = System.nanoTime();
            float[] noise = fromModel(worker.unet().predict(new NDList(toModel(scope.create(input, batchShape)),
                    scope.create(timesteps[step]), embeddings)).singletonOrThrow()).toFloatArray();
            unet += System.nanoTime() - forward;
            if (guided) {
                noise = guide(noise, guidance);
            }
            latents = scheduler.step(noise, step, latents);
            if (trace != null) {
                trace.add(latents);
            }
            context.progress(step + 1, timesteps.length);
        }
        now = System.nanoTime();
        timings.put("unet", unet / 1e9);
        timings.put("scheduler", (now - loopStart - unet) / 1e9);

        float scale = (float) config.latentScaleFactor();
        float[] scaled = new float[latents.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = latents[i] / scale;
        }
        NDArray decoded = fromModel(worker.vaeDecoder().predict(new NDList(toModel(scope.create(scaled, shape))))
                .singletonOrThrow());
        timings.put("vae_decode", seconds(now, now = System.nanoTime()));
        List<BufferedImage> images = pixels(decoded);
        long end = System.nanoTime();
        timings.put("postprocess", seconds(now, end));
        timings.put("total", seconds(start, end));
        return new Result(images, timings);
    }

    private NDArray toModel(NDArray array) {
        return dtype == DataType.FLOAT32 ? array : array.toType(dtype, false);
    }

    private NDArray fromModel(NDArray array) {
        return dtype == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
    }

    private Shape latentShape(Request request) {
        int factor = config.vaeScaleFactor();
        return new Shape(request.images(), config.latentChannels(), request.height() / factor,
                request.width() / factor);
    }

    /** The initial latents: {@code torch.manual_seed(seed); torch.randn(...)} on the CPU, exactly. */
    private static float[] noise(int seed, Shape shape) {
        synchronized (SEED) {
            Engine.getEngine("PyTorch").setRandomSeed(seed);
            try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                return cpu.randomNormal(shape).toFloatArray();
            }
        }
    }

    /** The UNet's input: the latents, twice for guidance (unconditional half first), divided as the scheduler says. */
    private static float[] modelInput(float[] latents, boolean guided, float divisor) {
        float[] input = new float[guided ? 2 * latents.length : latents.length];
        for (int copy = 0; copy < input.length; copy += latents.length) {
            for (int i = 0; i < latents.length; i++) {
                input[copy + i] = divisor == 1.0f ? latents[i] : latents[i] / divisor;
            }
        }
        return input;
    }

    /** Classifier-free guidance: {@code uncond + scale * (cond - uncond)} over the two halves of the batch. */
    private static float[] guide(float[] noise, float scale) {
        int half = noise.length / 2;
        float[] guided = new float[half];
        for (int i = 0; i < half; i++) {
            guided[i] = noise[i] + (noise[half + i] - noise[i]) * scale;
        }
        return guided;
    }

    /**
     * Decoded images in [-1, 1], {@code [N, 3, H, W]}, to 8-bit RGB images. Only the bytes come back
     * from the engine, and each image reads its three planes where they lie, without repacking.
     */
    private static List<BufferedImage> pixels(NDArray decoded) {
        Shape shape = decoded.getShape();
        byte[] planes = rgb(decoded);
        int count = (int) shape.get(0);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        int plane = height * width;
        ComponentSampleModel layout = new ComponentSampleModel(DataBuffer.TYPE_BYTE, width, height, 1, width,
                new int[] {0, plane, 2 * plane});
        List<BufferedImage> images = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            WritableRaster raster = Raster.createWritableRaster(layout,
                    new DataBufferByte(planes, 3 * plane, n * 3 * plane), null);
            images.add(new BufferedImage(RGB, raster, false, null));
        }
        return images;
    }

    /**
     * diffusers' {@code ((x / 2 + 0.5).clamp(0, 1) * 255).round()}, rounding half to even, bit for
     * bit in one operation fewer: halving is exact in floating point, so {@code x / 2 + 0.5} rounds
     * to exactly half of {@code x + 1}, and {@code (x + 1) * 127.5} to exactly 255 times that; the
     * clamp moves past the product unchanged. On the engine, vectorized, and on the GPU where there
     * is one. The first operation copies: the model's output is an inference tensor, which may not
     * be changed in place.
     */
    static byte[] rgb(NDArray decoded) {
        return decoded.add(1).muli(127.5f).clip(0, 255).round().toType(DataType.UINT8, false)
                .toDevice(Device.cpu(), false).toByteArray();
    }

    /** Native arrays still held outside finished requests; zero when every request's memory was freed. */
    int leftoverArrays() {
        return root.getManagedArrays().size();
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    @Override
    public void close() {
        List<Predictors> all = new ArrayList<>();
        predictors.drainTo(all);
        all.forEach(Predictors::close);
        models.forEach(Model::close);
        root.close();
    }
}
