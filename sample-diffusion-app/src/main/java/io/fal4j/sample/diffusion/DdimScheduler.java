package io.fal4j.sample.diffusion;

import ai.djl.ndarray.NDArray;

/** diffusers' DDIMScheduler with eta 0: deterministic steps along the predicted clean sample. */
final class DdimScheduler implements Scheduler {

    private final NoiseSchedule schedule;
    private final int[] timesteps;
    private final int ratio;

    DdimScheduler(NoiseSchedule schedule, int steps) {
        this.schedule = schedule;
        this.timesteps = schedule.leading(steps);
        this.ratio = schedule.trainSteps() / steps;
    }

    @Override
    public float[] timesteps() {
        return NoiseSchedule.floats(timesteps);
    }

    @Override
    public float initNoiseSigma() {
        return 1.0f;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, int step) {
        return sample;
    }

    @Override
    public NDArray step(NDArray noise, int step, NDArray sample) {
        int t = timesteps[step];
        float alpha = schedule.alphaCumprod(t);
        float alphaPrev = schedule.alphaCumprod(t - ratio);
        NDArray original = sample.sub(noise.mul((float) Math.sqrt(1.0f - alpha))).div((float) Math.sqrt(alpha));
        return original.mul((float) Math.sqrt(alphaPrev)).add(noise.mul((float) Math.sqrt(1.0f - alphaPrev)));
    }
}
