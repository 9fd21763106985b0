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
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
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
     * {@code unet} (the forward calls), {@code scheduler} (the rest of the loop), {@code vae_decode},
     * {@code total}.
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

    /** The tokenizer. */
    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Generates images, reporting each denoising step and stopping at the next one when the request is
     * cancelled.
     *
     * @param trace receives the latents after each step (on the CPU, in float32), or null
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
        embeddings = embeddings.toType(dtype, false);
        timings.put("text_encoder", seconds(now, now = System.nanoTime()));

        Scheduler scheduler = request.scheduler().create(schedule, request.steps());
        NDArray latents = noise(request, scope).mul(scheduler.initNoiseSigma());
        float[] timesteps = scheduler.timesteps();
        long unet = 0;
        long loopStart = System.nanoTime();
        for (int i = 0; i < timesteps.length; i++) {
            context.throwIfCancelled();
            NDArray input = scheduler.scaleModelInput(guided ? NDArrays.concat(new NDList(latents, latents)) : latents, i);
            long forward = System.nanoTime();
            NDArray noise = worker.unet().predict(new NDList(input.toType(dtype, false),
                    scope.create(timesteps[i]), embeddings)).singletonOrThrow().toType(DataType.FLOAT32, false);
            unet += System.nanoTime() - forward;
            if (guided) {
                NDList halves = noise.split(2);
                noise = halves.get(0).add(halves.get(1).sub(halves.get(0)).mul((float) request.guidance()));
            }
            latents = scheduler.step(noise, i, latents);
            if (trace != null) {
                trace.add(latents.toDevice(Device.cpu(), true).toFloatArray());
            }
            context.progress(i + 1, timesteps.length);
        }
        now = System.nanoTime();
        timings.put("unet", unet / 1e9);
        timings.put("scheduler", (now - loopStart - unet) / 1e9);

        NDArray image = worker.vaeDecoder().predict(new NDList(latents.div((float) config.latentScaleFactor())
                .toType(dtype, false))).singletonOrThrow();
        List<BufferedImage> images = pixels(image.toType(DataType.FLOAT32, false));
        long end = System.nanoTime();
        timings.put("vae_decode", seconds(now, end));
        timings.put("total", seconds(start, end));
        return new Result(images, timings);
    }

    /** The initial latents: {@code torch.manual_seed(seed); torch.randn(...)} on the CPU, exactly. */
    private NDArray noise(Request request, NDManager scope) {
        int factor = config.vaeScaleFactor();
        Shape shape = new Shape(request.images(), config.latentChannels(), request.height() / factor,
                request.width() / factor);
        NDArray noise;
        synchronized (SEED) {
            Engine.getEngine("PyTorch").setRandomSeed(request.seed());
            try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                NDArray drawn = cpu.randomNormal(shape);
                noise = drawn.toDevice(device, true);
                noise.attach(scope);
            }
        }
        return noise;
    }

    /** Decoded images in [-1, 1] to 8-bit RGB images: {@code ((x / 2 + 0.5).clamp(0, 1) * 255).round()}. */
    private static List<BufferedImage> pixels(NDArray decoded) {
        NDArray rgb = decoded.div(2f).add(0.5f).clip(0f, 1f).mul(255f).round().toType(DataType.UINT8, false)
                .transpose(0, 2, 3, 1).toDevice(Device.cpu(), false);
        Shape shape = rgb.getShape();
        int count = (int) shape.get(0);
        int height = (int) shape.get(1);
        int width = (int) shape.get(2);
        byte[] bytes = rgb.toByteArray();
        List<BufferedImage> images = new ArrayList<>(count);
        for (int n = 0, at = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < data.length; i++, at += 3) {
                data[i] = (bytes[at] & 0xff) << 16 | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff);
            }
            images.add(image);
        }
        return images;
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
