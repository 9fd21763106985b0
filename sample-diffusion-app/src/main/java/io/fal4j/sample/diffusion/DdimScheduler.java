package io.fal4j.sample.diffusion;

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
    public void step(float[] noise, int step, float[] sample) {
        int t = timesteps[step];
        float alpha = schedule.alphaCumprod(t);
        float alphaPrev = schedule.alphaCumprod(t - ratio);
        float noiseScale = (float) Math.sqrt(1.0f - alpha);
        float sampleScale = (float) Math.sqrt(alpha);
        float originalScale = (float) Math.sqrt(alphaPrev);
        float directionScale = (float) Math.sqrt(1.0f - alphaPrev);
        for (int i = 0; i < sample.length; i++) {
            float original = (sample[i] - noise[i] * noiseScale) / sampleScale;
            sample[i] = original * originalScale + noise[i] * directionScale;
        }
    }
}
