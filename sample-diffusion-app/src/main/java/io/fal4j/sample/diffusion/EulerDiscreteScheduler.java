package io.fal4j.sample.diffusion;

import ai.djl.ndarray.NDArray;

/** diffusers' EulerDiscreteScheduler (no churn): Euler steps over the noise levels σ of the chosen timesteps. */
final class EulerDiscreteScheduler implements Scheduler {

    private final int[] timesteps;
    private final float[] sigmas;
    private final float initNoiseSigma;

    EulerDiscreteScheduler(NoiseSchedule schedule, int steps) {
        this.timesteps = schedule.leading(steps);
        this.sigmas = new float[steps + 1];
        float max = 0;
        for (int i = 0; i < steps; i++) {
            float alpha = schedule.alphaCumprod(timesteps[i]);
            sigmas[i] = (float) Math.sqrt((1.0f - alpha) / alpha);
            max = Math.max(max, sigmas[i]);
        }
        this.initNoiseSigma = (float) Math.sqrt(max * max + 1.0f);
    }

    @Override
    public float[] timesteps() {
        return NoiseSchedule.floats(timesteps);
    }

    @Override
    public float initNoiseSigma() {
        return initNoiseSigma;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, int step) {
        return sample.div((float) Math.sqrt(sigmas[step] * sigmas[step] + 1.0f));
    }

    @Override
    public NDArray step(NDArray noise, int step, NDArray sample) {
        float sigma = sigmas[step];
        NDArray original = sample.sub(noise.mul(sigma));
        NDArray derivative = sample.sub(original).div(sigma);
        return sample.add(derivative.mul(sigmas[step + 1] - sigma));
    }
}
