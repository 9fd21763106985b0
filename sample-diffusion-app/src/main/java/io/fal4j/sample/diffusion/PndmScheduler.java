package io.fal4j.sample.diffusion;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' PNDMScheduler with skip_prk_steps (Stable Diffusion 1.5's default): a warm-up step
 * taken twice, then linear multistep (PLMS) updates from up to four earlier noise predictions.
 */
final class PndmScheduler implements Scheduler {

    private final NoiseSchedule schedule;
    private final int[] timesteps;
    private final int ratio;
    /** Copies of the latest noise predictions, oldest first; the oldest array is reused for the next. */
    private final List<float[]> earlier = new ArrayList<>();
    private int counter;
    private float[] warmUpSample;
    /** The combination of earlier noise predictions a step uses, reused from step to step. */
    private float[] combined;

    PndmScheduler(NoiseSchedule schedule, int steps) {
        this.schedule = schedule;
        this.ratio = schedule.trainSteps() / steps;
        int[] descending = schedule.leading(steps);
        // diffusers runs t(n-1), t(n-2), t(n-2), t(n-3), ..., t0: the warm-up repeats the second timestep.
        if (steps == 1) {
            this.timesteps = descending;
        } else {
            this.timesteps = new int[steps + 1];
            timesteps[0] = descending[0];
            for (int i = 1; i < steps; i++) {
                timesteps[i + 1] = descending[i];
            }
            timesteps[1] = descending[1];
        }
    }

    @Override
    public float[] timesteps() {
        return NoiseSchedule.floats(timesteps);
    }

    @Override
    public void step(float[] noise, int step, float[] sample) {
        int t = timesteps[step];
        int prev = t - ratio;
        if (counter != 1) {
            float[] kept = earlier.size() > 3 ? earlier.remove(0) : new float[noise.length];
            System.arraycopy(noise, 0, kept, 0, noise.length);
            earlier.add(kept);
        } else {
            prev = t;
            t = t + ratio;
        }
        float[] eps = noise;
        float[] from = sample;
        int n = earlier.size();
        if (n == 1 && counter == 0) {
            warmUpSample = sample.clone();
        } else {
            if (combined == null) {
                combined = new float[noise.length];
            }
            eps = combined;
            if (n == 1) {
                float[] e0 = earlier.get(0);
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = (noise[i] + e0[i]) / 2f;
                }
                from = warmUpSample;
                warmUpSample = null;
            } else if (n == 2) {
                float[] e0 = earlier.get(0);
                float[] e1 = earlier.get(1);
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = (e1[i] * 3f - e0[i]) / 2f;
                }
            } else if (n == 3) {
                float[] e0 = earlier.get(0);
                float[] e1 = earlier.get(1);
                float[] e2 = earlier.get(2);
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = (e2[i] * 23f - e1[i] * 16f + e0[i] * 5f) / 12f;
                }
            } else {
                float[] e0 = earlier.get(0);
                float[] e1 = earlier.get(1);
                float[] e2 = earlier.get(2);
                float[] e3 = earlier.get(3);
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = (e3[i] * 55f - e2[i] * 59f + e1[i] * 37f - e0[i] * 9f) * (1f / 24f);
                }
            }
        }
        counter++;
        float alpha = schedule.alphaCumprod(t);
        float alphaPrev = schedule.alphaCumprod(prev);
        float sampleCoefficient = (float) Math.sqrt(alphaPrev / alpha);
        float noiseCoefficient = alphaPrev - alpha;
        float denominator = (float) (alpha * (float) Math.sqrt(1.0f - alphaPrev)
                + (float) Math.sqrt(alpha * (1.0f - alpha) * alphaPrev));
        for (int i = 0; i < sample.length; i++) {
            sample[i] = from[i] * sampleCoefficient - noiseCoefficient * eps[i] / denominator;
        }
    }
}
