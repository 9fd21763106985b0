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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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

    /** 2<sup>23</sup>: a float this large has no fraction bits left. */
    private static final float ROUND_TO_INTEGER = 8388608f;

    private final ModelConfig config;
    private final ClipTokenizer tokenizer;
    private final NoiseSchedule schedule;
    private final Device device;
    private final DataType dtype;
    private final List<Model> models = new ArrayList<>();
    private final BlockingQueue<Worker> workers;
    private final Engine engine;
    private final NDManager root;
    /** Where noise is drawn: the CPU, whatever the device, as diffusers does for reproducible seeds. */
    private final NDManager cpu;
    /** Whether a staged tensor goes to the models as it is, reading its worker's buffer: float32 on the CPU. */
    private final boolean stagedInPlace;

    /**
     * One worker slot: its own predictors (DJL predictors are not shared between threads) and the
     * direct buffer its inputs are staged in.
     */
    private static final class Worker implements AutoCloseable {
        /** libtorch's alignment for the tensors it allocates. */
        static final int ALIGNMENT = 64;

        final Predictor<NDList, NDList> textEncoder;
        final Predictor<NDList, NDList> unet;
        final Predictor<NDList, NDList> vaeDecoder;
        private ByteBuffer staging = ByteBuffer.allocateDirect(0);

        Worker(Model textEncoder, Model unet, Model vaeDecoder) {
            this.textEncoder = textEncoder.newPredictor(new NoopTranslator());
            this.unet = unet.newPredictor(new NoopTranslator());
            this.vaeDecoder = vaeDecoder.newPredictor(new NoopTranslator());
        }

        /**
         * {@code values}, {@code copies} times over, as a float32 tensor: copied once into this worker's
         * direct buffer. On the CPU the tensor reads that buffer in place, so it holds its values until
         * the next call of either {@code stage}.
         */
        NDArray stage(NDManager scope, float[] values, int copies, Shape shape) {
            ByteBuffer slice = staging(copies * values.length * Float.BYTES);
            fill(slice, values, copies);
            return scope.create(slice, shape, DataType.FLOAT32);
        }

        /**
         * Writes new values, of the same size, into the buffer the last {@code stage} call made a tensor
         * of: on the CPU that tensor then holds them, without a new one made.
         */
        void restage(float[] values, int copies) {
            fill(staging.duplicate().clear().order(ByteOrder.nativeOrder()), values, copies);
        }

        private static void fill(ByteBuffer buffer, float[] values, int copies) {
            FloatBuffer floats = buffer.asFloatBuffer();
            for (int i = 0; i < copies; i++) {
                floats.put(values);
            }
        }

        /** {@code values} as an int64 tensor, staged as {@link #stage(NDManager, float[], int, Shape)} stages. */
        NDArray stage(NDManager scope, long[] values, Shape shape) {
            ByteBuffer slice = staging(values.length * Long.BYTES);
            slice.asLongBuffer().put(values);
            return scope.create(slice, shape, DataType.INT64);
        }

        private ByteBuffer staging(int bytes) {
            if (staging.capacity() < bytes) {
                staging = aligned(bytes);
            }
            return staging.clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
        }

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
     * The generated images and where the time went, in seconds: {@code tokenize}; {@code text_encoder},
     * {@code unet} and {@code vae_decode}, each model's forward calls alone; {@code prepare} (token ids
     * in, embeddings per image, the initial noise), {@code scheduler} (the rest of the denoising loop),
     * {@code postprocess} (latents into the decoder, pixels out to images); {@code total}, their sum.
     */
    public record Result(List<BufferedImage> images, Map<String, Double> timings) {
    }

    private DiffusionPipeline(Path dir, ModelConfig config, int slots) throws Exception {
        this.config = config;
        this.tokenizer = ClipTokenizer.load(dir.resolve(config.tokenizer().vocab()),
                dir.resolve(config.tokenizer().merges()), config.maxLength());
        this.schedule = new NoiseSchedule(config.scheduler());
        this.engine = Engine.getEngine("PyTorch");
        this.device = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        this.dtype = "float16".equals(config.dtype()) ? DataType.FLOAT16 : DataType.FLOAT32;
        this.root = engine.newBaseManager(device);
        this.cpu = device.isGpu() ? engine.newBaseManager(Device.cpu()) : root;
        this.stagedInPlace = !device.isGpu() && dtype == DataType.FLOAT32;
        Model textEncoder = load(dir, config.components().textEncoder());
        Model unet = load(dir, config.components().unet());
        Model vaeDecoder = load(dir, config.components().vaeDecoder());
        this.workers = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            workers.add(new Worker(textEncoder, unet, vaeDecoder));
        }
    }

    /**
     * Loads a model directory, and sets the process's native heap to keep the memory requests free
     * for the next ones ({@link NativeHeap}).
     *
     * @param slots how many requests may run at once (one set of predictors each)
     */
    public static DiffusionPipeline load(Path dir, int slots) throws Exception {
        NativeHeap.keepFreedMemory();
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
        Worker worker = workers.take();
        try (NDManager scope = root.newSubManager()) {
            return generate(request, context, trace, worker, scope);
        } finally {
            workers.put(worker);
        }
    }

    private Result generate(Request request, RequestContext context, List<float[]> trace, Worker worker,
            NDManager scope) throws TranslateException {
        Clock clock = new Clock();
        boolean guided = request.guidance() > 1.0;
        int batch = guided ? 2 : 1;
        long[] ids = new long[batch * config.maxLength()];
        if (guided) {
            System.arraycopy(tokenizer.encode(request.negativePrompt()), 0, ids, 0, config.maxLength());
        }
        System.arraycopy(tokenizer.encode(request.prompt()), 0, ids, (batch - 1) * config.maxLength(),
                config.maxLength());
        clock.stage("tokenize");

        NDArray states = clock.forward(worker.textEncoder, new NDList(worker.stage(scope, ids, new Shape(batch,
                config.maxLength())))).singletonOrThrow();
        NDArray embeddings = request.images() == 1 ? states
                : guided ? NDArrays.concat(new NDList(states.get("0:1").repeat(0, request.images()),
                        states.get("1:2").repeat(0, request.images())))
                : states.repeat(0, request.images());
        embeddings = toModel(embeddings);
        clock.stage("text_encoder", "prepare");

        Scheduler scheduler = request.scheduler().create(schedule, request.steps());
        Shape shape = latentShape(request);
        float[] latents = noise(request.seed(), shape);
        float sigma = scheduler.initNoiseSigma();
        if (sigma != 1.0f) {
            for (int i = 0; i < latents.length; i++) {
                latents[i] *= sigma;
            }
        }
        clock.stage("prepare");

        float[] timesteps = scheduler.timesteps();
        Shape batchShape = guided ? new Shape(2 * shape.get(0), shape.get(1), shape.get(2), shape.get(3)) : shape;
        float guidance = (float) request.guidance();
        // Arrays reused from step to step stay in the cache; fresh ones would be written to cold memory.
        float[] divided = new float[latents.length];
        float[] output = new float[batch * latents.length];
        float[] prediction = guided ? new float[latents.length] : output;
        NDArray[] times = new NDArray[timesteps.length];
        for (int step = 0; step < times.length; step++) {
            times[step] = scope.create(timesteps[step]);
        }
        NDArray input = null;
        for (int step = 0; step < timesteps.length; step++) {
            context.throwIfCancelled();
            // the UNet's input: the latents once per batch half, divided as the scheduler says; where
            // the staged tensor is the input itself, later steps only rewrite the buffer it reads
            float divisor = scheduler.inputDivisor(step);
            float[] sample = divisor == 1.0f ? latents : divide(latents, divisor, divided);
            if (input == null || !stagedInPlace) {
                input = toModel(worker.stage(scope, sample, batch, batchShape));
            } else {
                worker.restage(sample, batch);
            }
            read(fromModel(clock.forward(worker.unet, new NDList(input, times[step], embeddings))
                    .singletonOrThrow()), output);
            if (guided) {
                guide(output, guidance, prediction);
            }
            scheduler.step(prediction, step, latents);
            if (trace != null) {
                trace.add(latents.clone());
            }
            context.progress(step + 1, timesteps.length);
        }
        clock.stage("unet", "scheduler");

        float scale = (float) config.latentScaleFactor();
        for (int i = 0; i < latents.length; i++) {
            latents[i] /= scale;
        }
        NDArray decoded = fromModel(clock.forward(worker.vaeDecoder,
                new NDList(toModel(worker.stage(scope, latents, 1, shape)))).singletonOrThrow());
        List<BufferedImage> images = pixels(decoded, !device.isGpu());
        clock.stage("vae_decode", "postprocess");
        return new Result(images, clock.timings());
    }

    /**
     * A direct buffer of at least {@code bytes} that starts on libtorch's 64-byte alignment. An
     * aligned slice also ends on the alignment, so whole units are allocated, and one more to shift
     * the start.
     */
    static ByteBuffer aligned(int bytes) {
        int units = (bytes + Worker.ALIGNMENT - 1) / Worker.ALIGNMENT;
        return ByteBuffer.allocateDirect((units + 1) * Worker.ALIGNMENT).alignedSlice(Worker.ALIGNMENT);
    }

    /**
     * Where one request's time goes, stage by stage, in seconds. The models' forward calls are timed
     * apart from what surrounds them (copying inputs in and outputs out, combining them), so the
     * stages named after a model hold its forward calls alone, and the stages add up to the total.
     */
    private static final class Clock {
        private final Map<String, Double> timings = new LinkedHashMap<>();
        private final long start = System.nanoTime();
        private long mark = start;
        private long forward;

        NDList forward(Predictor<NDList, NDList> model, NDList input) throws TranslateException {
            long from = System.nanoTime();
            try {
                return model.predict(input);
            } finally {
                forward += System.nanoTime() - from;
            }
        }

        /** Ends a stage that called no model. */
        void stage(String name) {
            long now = System.nanoTime();
            add(name, now - mark);
            mark = now;
        }

        /** Ends a stage that called a model: its forward calls go to {@code model}, the rest to {@code around}. */
        void stage(String model, String around) {
            long now = System.nanoTime();
            add(model, forward);
            add(around, now - mark - forward);
            forward = 0;
            mark = now;
        }

        private void add(String name, long nanos) {
            timings.merge(name, nanos / 1e9, Double::sum);
        }

        Map<String, Double> timings() {
            timings.put("total", (mark - start) / 1e9);
            return timings;
        }
    }

    /**
     * Reads a float32 tensor's values into {@code into}, straight from the engine's memory on the CPU
     * (DJL's {@code toFloatArray()} copies them twice, into a fresh array).
     */
    private float[] read(NDArray array, float[] into) {
        NDArray host = device.isGpu() ? array.toDevice(Device.cpu(), false) : array;
        host.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().get(into);
        return into;
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
    private float[] noise(int seed, Shape shape) {
        synchronized (SEED) {
            engine.setRandomSeed(seed);
            try (NDManager scope = cpu.newSubManager()) {
                return read(scope.randomNormal(shape), new float[Math.toIntExact(shape.size())]);
            }
        }
    }

    private static float[] divide(float[] values, float divisor, float[] into) {
        for (int i = 0; i < values.length; i++) {
            into[i] = values[i] / divisor;
        }
        return into;
    }

    /** Classifier-free guidance into {@code guided}: {@code uncond + scale * (cond - uncond)} over the batch's halves. */
    private static void guide(float[] noise, float scale, float[] guided) {
        int half = guided.length;
        for (int i = 0; i < half; i++) {
            guided[i] = noise[i] + (noise[half + i] - noise[i]) * scale;
        }
    }

    /**
     * Decoded images in [-1, 1], {@code [N, 3, H, W]}, to 8-bit RGB images. Only the bytes come back
     * from the engine, and each image reads its three planes where they lie, without repacking.
     */
    private static List<BufferedImage> pixels(NDArray decoded, boolean onHost) {
        Shape shape = decoded.getShape();
        byte[] planes = rgb(decoded, onHost);
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
     * diffusers' {@code ((x / 2 + 0.5).clamp(0, 1) * 255).round()} as bytes, bit for bit, in fewer
     * passes over the pixels:
     * <ul>
     * <li>halving is exact in floating point, so {@code x / 2 + 0.5} rounds to exactly half of
     * {@code x + 1}, and {@code (x + 1) * 127.5} to exactly 255 times that;
     * <li>that is monotonic in {@code x} and is exactly 0 at -1 and 255 at 1, so clamping {@code x}
     * to [-1, 1] first gives what clamping the product to [0, 255] gives;
     * <li>adding 2<sup>23</sup> to a value in [0, 255] rounds it to an integer k, half to even as
     * {@code round()} does: 2<sup>23</sup> + k, exactly, whose lowest byte is k both as a number and
     * as the float's bits, so that either, as an int32, wraps to k as a uint8.
     * </ul>
     * On the engine throughout, so that the JIT's tier does not matter. The first operation copies:
     * the model's output is an inference tensor, which may not be changed in place.
     *
     * @param onHost whether the array is in host memory, where the floats' bits are read as int32 in
     *     place; on a GPU they are converted on the device
     */
    static byte[] rgb(NDArray decoded, boolean onHost) {
        NDArray floats = decoded.clip(-1, 1).addi(1).muli(127.5f).addi(ROUND_TO_INTEGER);
        NDArray bytes = onHost
                ? floats.getManager().create(floats.toByteBuffer(true), decoded.getShape(), DataType.INT32)
                        .toType(DataType.UINT8, false)
                : floats.toType(DataType.INT32, false).toType(DataType.UINT8, false).toDevice(Device.cpu(), false);
        ByteBuffer buffer = bytes.toByteBuffer(true);
        byte[] rgb = new byte[buffer.remaining()];
        buffer.get(rgb);
        return rgb;
    }

    /** Native arrays still held outside finished requests; zero when every request's memory was freed. */
    int leftoverArrays() {
        return root.getManagedArrays().size();
    }

    @Override
    public void close() {
        List<Worker> all = new ArrayList<>();
        workers.drainTo(all);
        all.forEach(Worker::close);
        models.forEach(Model::close);
        if (cpu != root) {
            cpu.close();
        }
        root.close();
    }
}
