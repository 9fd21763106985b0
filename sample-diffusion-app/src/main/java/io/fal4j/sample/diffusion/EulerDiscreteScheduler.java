package io.fal4j.sample.diffusion;

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
    public float inputDivisor(int step) {
        return (float) Math.sqrt(sigmas[step] * sigmas[step] + 1.0f);
    }

    @Override
    public void step(float[] noise, int step, float[] sample) {
        float sigma = sigmas[step];
        float dt = sigmas[step + 1] - sigma;
        for (int i = 0; i < sample.length; i++) {
            float original = sample[i] - noise[i] * sigma;
            float derivative = (sample[i] - original) / sigma;
            sample[i] = sample[i] + derivative * dt;
        }
    }
}
