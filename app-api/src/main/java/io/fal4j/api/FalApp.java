package io.fal4j.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one class of a project that fal4j serves, with fal's scaling and lifecycle knobs.
 *
 * <p>The class implements {@link App}, has a public no-argument constructor that does no work, and
 * declares at least one {@link Endpoint} method. A project holds exactly one {@code @FalApp}
 * class; the build fails with a message naming the class and method when it is mis-declared.
 *
 * <pre>{@code
 * @FalApp(name = "text-to-image", machineType = "GPU-A100", keepAlive = 300,
 *         maxMultiplexing = 1, requestTimeout = 120, startupTimeout = 600)
 * public final class TextToImageApp implements App {
 *     private Pipeline pipeline;
 *
 *     @Override public void setup() { pipeline = Pipeline.load(); }
 *
 *     @Endpoint("/")
 *     public Output generate(Input input, RequestContext ctx) {
 *         return pipeline.run(input, ctx);
 *     }
 * }
 * }</pre>
 *
 * <p>The knobs have fal's meanings. The runner itself enforces {@link #maxMultiplexing()},
 * {@link #requestTimeout()} and {@link #startupTimeout()}; the others are written into the app's
 * metadata for the deployer and autoscaler.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FalApp {

    /**
     * The app's name, used in URLs, image labels and the queue API. Lower-case letters, digits and
     * dashes; empty (the default) means the kebab-case of the class name
     * ({@code TextToImageApp} becomes {@code text-to-image-app}).
     */
    String name() default "";

    /**
     * The machine types the app runs on, in order of preference: the first is tried first, the
     * others are fallbacks ({@code {"GPU-H100", "GPU-A100"}}). Defaults to {@code CPU}.
     */
    String[] machineType() default {"CPU"};

    /** The number of GPUs each runner gets; 0 for CPU machines. */
    int numGpus() default 0;

    /** Seconds a runner stays alive after its last request before it may be scaled down. */
    int keepAlive() default 60;

    /** The number of runners kept alive at all times, even with no traffic. */
    int minConcurrency() default 0;

    /** The largest number of runners the app may scale up to. */
    int maxConcurrency() default 10;

    /** Extra runners kept warm beyond the current demand. */
    int concurrencyBuffer() default 0;

    /**
     * How many requests one runner executes at the same time. Further requests wait in a bounded
     * queue and get {@code 429} with {@code Retry-After} once it is full.
     */
    int maxMultiplexing() default 1;

    /**
     * Seconds a request may take, counted from its arrival at the runner. Past it the client gets
     * {@code 504} and the work sees {@link RequestContext#cancelled()}.
     */
    int requestTimeout() default 3600;

    /**
     * Seconds {@link App#setup()} may take. Past it the runner reports {@code SETUP_FAILED} and
     * exits non-zero.
     */
    int startupTimeout() default 600;

    /** Who may call the deployed app. */
    Auth auth() default Auth.PRIVATE;

    /** Who may call a deployed app. */
    enum Auth {
        /** Only the owner's keys. */
        PRIVATE,
        /** Anyone, without a key. */
        PUBLIC,
        /** Any authenticated caller; the caller's account pays. */
        SHARED
    }
}
