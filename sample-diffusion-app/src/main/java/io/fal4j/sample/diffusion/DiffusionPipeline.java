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
import ai.djl.pytorch.jni.JniUtils;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Stable Diffusion's text-to-image pipeline on DJL's PyTorch engine: CLIP tokenizer, text encoder,
 * a UNet denoising loop with classifier-free guidance (conditional and unconditional in one batch),
 * and the VAE decoder. The TorchScript components are loaded once; each worker slot borrows its own
 * set of predictors; each request's native memory lives in a manager that is closed when it ends.
 * What does not change from request to request is made once: the timestep inputs, the constants of
 * the conversion to RGB and, on the CPU, the tensors that read each worker's staged inputs.
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
    private final BlockingQueue<Worker> workers;
    private final Engine engine;
    private final NDManager root;
    /** Tensors kept for the pipeline's life: timestep inputs and the conversion's constants. */
    private final NDManager constants;
    /** Where noise is drawn: the CPU, whatever the device, as diffusers does for reproducible seeds. */
    private final NDManager cpu;
    /** The UNet's timestep inputs by value, each made once: a schedule has a fixed set of timesteps. */
    private final Map<Float, NDArray> timesteps = new ConcurrentHashMap<>();
    private final RgbConversion rgb;

    /**
     * One worker slot: its own predictors (DJL predictors are not shared between threads) and the
     * direct buffer its inputs are staged in. On the CPU a tensor reads that buffer in place, so the
     * tensor for each shape staged is made once and kept: staging new values is a copy into the buffer.
     */
    private static final class Worker implements AutoCloseable {
        /** libtorch's alignment for the tensors it allocates. */
        static final int ALIGNMENT = 64;
        /** The most tensors kept over the buffer, one per shape and type staged: past it they are made again. */
        static final int MOST_VIEWS = 8;

        final Predictor<NDList, NDList> textEncoder;
        final Predictor<NDList, NDList> unet;
        final Predictor<NDList, NDList> vaeDecoder;
        /** Whether tensors read the buffer in place (the CPU), rather than copy it to a device. */
        private final boolean inPlace;
        /** Holds the tensors over the buffer, from request to request. */
        private final NDManager viewScope;
        private final List<View> views = new ArrayList<>();
        private ByteBuffer staging = ByteBuffer.allocateDirect(0);

        /** A tensor over the buffer, and what it was made as (asking the tensor itself goes through JNI). */
        private static final class View {
            final Shape shape;
            final DataType type;
            final NDArray tensor;

            View(Shape shape, DataType type, NDArray tensor) {
                this.shape = shape;
                this.type = type;
                this.tensor = tensor;
            }
        }

        Worker(Model textEncoder, Model unet, Model vaeDecoder, NDManager root) {
            this.textEncoder = textEncoder.newPredictor(new NoopTranslator());
            this.unet = unet.newPredictor(new NoopTranslator());
            this.vaeDecoder = vaeDecoder.newPredictor(new NoopTranslator());
            this.inPlace = !root.getDevice().isGpu();
            this.viewScope = root.newSubManager();
        }

        /**
         * {@code values}, {@code copies} times over, as a float32 tensor: copied once into this worker's
         * direct buffer. On the CPU the tensor reads that buffer, so it holds its values until the next
         * call of either {@code stage}; on a GPU it is a copy in {@code scope}.
         */
        NDArray stage(NDManager scope, float[] values, int copies, Shape shape) {
            ByteBuffer slice = staging(copies * values.length * Float.BYTES);
            FloatBuffer floats = slice.asFloatBuffer();
            for (int i = 0; i < copies; i++) {
                floats.put(values);
            }
            return tensor(scope, slice, shape, DataType.FLOAT32);
        }

        /** {@code values} as an int64 tensor, staged as {@link #stage(NDManager, float[], int, Shape)} stages. */
        NDArray stage(NDManager scope, long[] values, Shape shape) {
            ByteBuffer slice = staging(values.length * Long.BYTES);
            slice.asLongBuffer().put(values);
            return tensor(scope, slice, shape, DataType.INT64);
        }

        private NDArray tensor(NDManager scope, ByteBuffer slice, Shape shape, DataType type) {
            if (!inPlace) {
                return scope.create(slice, shape, type);
            }
            for (View view : views) {
                if (view.type == type && view.shape.equals(shape)) {
                    return view.tensor;
                }
            }
            if (views.size() == MOST_VIEWS) {
                dropViews();
            }
            NDArray tensor = viewScope.create(slice, shape, type);
            views.add(new View(shape, type, tensor));
            return tensor;
        }

        private ByteBuffer staging(int bytes) {
            if (staging.capacity() < bytes) {
                dropViews(); // they read the buffer being replaced
                staging = aligned(bytes);
            }
            return staging.clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
        }

        private void dropViews() {
            views.forEach(view -> view.tensor.close());
            views.clear();
        }

        @Override
        public void close() {
            textEncoder.close();
            unet.close();
            vaeDecoder.close();
            viewScope.close();
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

    private DiffusionPipeline(Path dir, ModelConfig config, ClipTokenizer tokenizer, Engine engine, int slots)
            throws Exception {
        this.config = config;
        this.tokenizer = tokenizer;
        this.schedule = new NoiseSchedule(config.scheduler());
        this.engine = engine;
        this.device = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        this.dtype = "float16".equals(config.dtype()) ? DataType.FLOAT16 : DataType.FLOAT32;
        this.root = engine.newBaseManager(device);
        this.constants = root.newSubManager();
        this.cpu = device.isGpu() ? engine.newBaseManager(Device.cpu()) : root;
        this.rgb = new RgbConversion(constants);
        Model textEncoder = load(dir, config.components().textEncoder());
        Model unet = load(dir, config.components().unet());
        Model vaeDecoder = load(dir, config.components().vaeDecoder());
        this.workers = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            workers.add(new Worker(textEncoder, unet, vaeDecoder, root));
        }
    }

    /**
     * Starts loading the engine's native libraries, the longest part of a cold start after the JVM's
     * own, on a thread of its own, so that whatever the app does next runs beside it; that thread
     * first sets the process's native heap to keep the memory requests free for the next ones
     * ({@link NativeHeap}). Both load native libraries, which the JVM does one at a time: done on
     * another thread, the heap's setting would wait for libtorch.
     */
    public static Future<Engine> startEngine() {
        FutureTask<Engine> engine = new FutureTask<>(() -> {
            NativeHeap.keepFreedMemory();
            return Engine.getEngine("PyTorch");
        });
        Thread loading = new Thread(engine, "pytorch-engine-load");
        loading.setDaemon(true);
        loading.start();
        return engine;
    }

    /**
     * Loads a model directory, on an engine {@link #startEngine()} starts.
     *
     * @param slots how many requests may run at once (one set of predictors each)
     */
    public static DiffusionPipeline load(Path dir, int slots) throws Exception {
        return load(dir, slots, startEngine());
    }

    /**
     * Loads a model directory as {@link #load(Path, int)} does, on an engine that {@link #startEngine()}
     * started loading; the model's configuration and tokenizer are read meanwhile.
     */
    public static DiffusionPipeline load(Path dir, int slots, Future<Engine> engine) throws Exception {
        ModelConfig config = ModelConfig.read(dir);
        ClipTokenizer tokenizer = ClipTokenizer.load(dir.resolve(config.tokenizer().vocab()),
                dir.resolve(config.tokenizer().merges()), config.maxLength());
        Engine loaded;
        try {
            loaded = engine.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
        return new DiffusionPipeline(dir, config, tokenizer, loaded, slots);
    }

    private Model load(Path dir, String file) throws IOException, ai.djl.MalformedModelException {
        Model model = Model.newInstance(file, device, "PyTorch");
        model.load(dir, file);
        models.add(model);
        return model;
    }

    /**
     * One tiny run, so that the first request does not pay for the engine's first calls. It runs on
     * one intra-op thread: setup shares the cores with the rest of the runtime's boot, which then
     * decides when the app is READY, and for operations this small a second thread mostly spins.
     * Threads that have not run an operation yet take their count from the engine's setting, which
     * is put back afterwards.
     */
    public void warmUp() throws InterruptedException, TranslateException {
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            generate(new Request("warm up", "", 64, 64, 1, 2.0, 0, 1, Scheduler.Kind.DDIM), WarmUp.CONTEXT, null);
        } finally {
            JniUtils.setNumThreads(threads);
        }
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
                config.maxLength()))), scope).singletonOrThrow();
        NDArray embeddings = request.images() == 1 ? states
                : guided ? NDArrays.concat(new NDList(states.get("0:1").repeat(0, request.images()),
                        states.get("1:2").repeat(0, request.images())))
                : states.repeat(0, request.images());
        embeddings = toModel(embeddings, scope);
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

        float[] times = scheduler.timesteps();
        Shape batchShape = guided ? new Shape(2 * shape.get(0), shape.get(1), shape.get(2), shape.get(3)) : shape;
        float guidance = (float) request.guidance();
        // Arrays reused from step to step stay in the cache; fresh ones would be written to cold memory.
        float[] divided = new float[latents.length];
        float[] output = new float[batch * latents.length];
        float[] prediction = guided ? new float[latents.length] : output;
        for (int step = 0; step < times.length; step++) {
            context.throwIfCancelled();
            // the UNet's input: the latents once per batch half, divided as the scheduler says
            float divisor = scheduler.inputDivisor(step);
            float[] sample = divisor == 1.0f ? latents : divide(latents, divisor, divided);
            NDArray input = toModel(worker.stage(scope, sample, batch, batchShape), scope);
            // each step's prediction is freed once read, so that a request holds one at a time
            try (NDList noise = clock.forward(worker.unet, new NDList(input, timestep(times[step]), embeddings))) {
                read(fromModel(noise.singletonOrThrow()), output);
            }
            if (guided) {
                guide(output, guidance, prediction);
            }
            scheduler.step(prediction, step, latents);
            if (trace != null) {
                trace.add(latents.clone());
            }
            context.progress(step + 1, times.length);
        }
        clock.stage("unet", "scheduler");

        float scale = (float) config.latentScaleFactor();
        for (int i = 0; i < latents.length; i++) {
            latents[i] /= scale;
        }
        NDArray decoded = fromModel(clock.forward(worker.vaeDecoder,
                new NDList(toModel(worker.stage(scope, latents, 1, shape), scope)), scope).singletonOrThrow());
        List<BufferedImage> images = pixels(rgb.apply(decoded, !device.isGpu()), request.images(),
                request.width(), request.height());
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

        /**
         * A model's forward call. DJL puts its outputs where the first input lives, which may be a
         * tensor kept across requests: the caller closes them or moves them into the request's scope.
         */
        NDList forward(Predictor<NDList, NDList> model, NDList input) throws TranslateException {
            long from = System.nanoTime();
            try {
                return model.predict(input);
            } finally {
                forward += System.nanoTime() - from;
            }
        }

        /** A model's forward call, its outputs moved into the request's {@code scope}. */
        NDList forward(Predictor<NDList, NDList> model, NDList input, NDManager scope) throws TranslateException {
            NDList output = forward(model, input);
            output.attach(scope);
            return output;
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

    /** {@code array} in the models' type; a conversion lives in the request's {@code scope}. */
    private NDArray toModel(NDArray array, NDManager scope) {
        if (dtype == DataType.FLOAT32) {
            return array;
        }
        NDArray converted = array.toType(dtype, false);
        converted.attach(scope);
        return converted;
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
            try (NDArray noise = cpu.randomNormal(shape)) {
                return read(noise, new float[Math.toIntExact(shape.size())]);
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

    /** Images of {@code count} × three planes of bytes, each read where it lies, without repacking. */
    private static List<BufferedImage> pixels(byte[] planes, int count, int width, int height) {
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
     * On the engine throughout, so that the JIT's tier does not matter, with its constants made once.
     * The first operation copies: the model's output is an inference tensor, which may not be changed
     * in place.
     */
    static final class RgbConversion {
        private final NDArray one;
        private final NDArray scale;
        /** 2<sup>23</sup>: a float this large has no fraction bits left. */
        private final NDArray roundToInteger;

        /** @param constants where the conversion's constants live, on the decoded images' device */
        RgbConversion(NDManager constants) {
            this.one = constants.create(1f);
            this.scale = constants.create(127.5f);
            this.roundToInteger = constants.create(8388608f);
        }

        /**
         * Decoded images in [-1, 1], {@code [N, 3, H, W]}, as their 8-bit planes.
         *
         * @param onHost whether the array is in host memory, where the floats' bits are read as int32 in
         *     place; on a GPU they are converted on the device
         */
        byte[] apply(NDArray decoded, boolean onHost) {
            NDArray floats = decoded.clip(-1, 1).addi(one).muli(scale).addi(roundToInteger);
            NDArray bytes = onHost
                    ? floats.getManager().create(floats.toByteBuffer(true), floats.getShape(), DataType.INT32)
                            .toType(DataType.UINT8, false)
                    : floats.toType(DataType.INT32, false).toType(DataType.UINT8, false)
                            .toDevice(Device.cpu(), false);
            ByteBuffer buffer = bytes.toByteBuffer(true);
            byte[] rgb = new byte[buffer.remaining()];
            buffer.get(rgb);
            return rgb;
        }
    }

    /** The UNet's input for a timestep, made on the first request that uses it and kept. */
    private NDArray timestep(float value) {
        return timesteps.computeIfAbsent(value, t -> constants.create(t.floatValue()));
    }

    /**
     * Native arrays that finished requests left behind, besides what the pipeline keeps on purpose
     * (constants, the workers' tensors over their buffers); zero when every request's memory was freed.
     */
    int leftoverArrays() {
        int kept = constants.getManagedArrays().size();
        for (Worker worker : workers) {
            kept += worker.views.size();
        }
        return root.getManagedArrays().size() - kept;
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
