package io.fal4j.sample.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * One run's denoising schedule, after diffusers' scheduler of the same name. A scheduler holds the
 * state of one run (PNDM remembers earlier model outputs): make a new one per request.
 */
public interface Scheduler {

    /** The timesteps the UNet is called at, in order. */
    float[] timesteps();

    /** What the initial Gaussian noise is multiplied by. */
    float initNoiseSigma();

    /** The UNet's input at a step. */
    NDArray scaleModelInput(NDArray sample, int step);

    /** The sample after a step, from the UNet's noise prediction (epsilon). */
    NDArray step(NDArray noise, int step, NDArray sample);

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
