package io.fal4j.sample.diffusion;

/**
 * One run's denoising schedule, after diffusers' scheduler of the same name. Its arithmetic is done
 * element by element in float32, in the order diffusers' tensor expressions do it, on latents
 * copied to the CPU: for latents this small that is faster than a native call per operation. A
 * scheduler holds the state of one run (PNDM remembers earlier model outputs): make one per request.
 */
public interface Scheduler {

    /** The timesteps the UNet is called at, in order. */
    float[] timesteps();

    /** What the initial Gaussian noise is multiplied by. */
    default float initNoiseSigma() {
        return 1.0f;
    }

    /** What the latents are divided by to make the UNet's input at a step; 1 when they are used as they are. */
    default float inputDivisor(int step) {
        return 1.0f;
    }

    /**
     * Advances the latents by a step, in place, from the UNet's (guided) noise prediction. The caller
     * may reuse {@code noise} afterwards: a scheduler copies what it keeps.
     */
    void step(float[] noise, int step, float[] sample);

    /** The schedulers a request can choose. */
    enum Kind {
        /** DDIM with eta 0. */
        DDIM,
        /** Euler discrete. */
        EULER,
        /** PNDM with PLMS steps only (skip_prk_steps), Stable Diffusion 1.5's default. */
        PNDM;

        /** A fresh scheduler for one run of {@code steps} steps. */
        public Scheduler create(NoiseSchedule schedule, int steps) {
            return switch (this) {
                case DDIM -> new DdimScheduler(schedule, steps);
                case EULER -> new EulerDiscreteScheduler(schedule, steps);
                case PNDM -> new PndmScheduler(schedule, steps);
            };
        }
    }
}
