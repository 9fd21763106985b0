package io.fal4j.sample.diffusion;

import ai.djl.ndarray.NDArray;
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
    private final List<NDArray> earlier = new ArrayList<>();
    private int counter;
    private NDArray warmUpSample;

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
        int prev = t - ratio;
        if (counter != 1) {
            if (earlier.size() > 3) {
                earlier.remove(0);
            }
            earlier.add(noise);
        } else {
            prev = t;
            t = t + ratio;
        }
        NDArray eps = noise;
        NDArray from = sample;
        int n = earlier.size();
        if (n == 1 && counter == 0) {
            warmUpSample = sample;
        } else if (n == 1 && counter == 1) {
            eps = noise.add(earlier.get(0)).div(2f);
            from = warmUpSample;
            warmUpSample = null;
        } else if (n == 2) {
            eps = earlier.get(1).mul(3f).sub(earlier.get(0)).div(2f);
        } else if (n == 3) {
            eps = earlier.get(2).mul(23f).sub(earlier.get(1).mul(16f)).add(earlier.get(0).mul(5f)).div(12f);
        } else {
            eps = earlier.get(3).mul(55f).sub(earlier.get(2).mul(59f)).add(earlier.get(1).mul(37f))
                    .sub(earlier.get(0).mul(9f)).mul(1f / 24f);
        }
        counter++;
        float alpha = schedule.alphaCumprod(t);
        float alphaPrev = schedule.alphaCumprod(prev);
        float sampleCoefficient = (float) Math.sqrt(alphaPrev / alpha);
        float denominator = (float) (alpha * Math.sqrt(1.0f - alphaPrev)
                + Math.sqrt((double) alpha * (1.0f - alpha) * alphaPrev));
        return from.mul(sampleCoefficient).sub(eps.mul(alphaPrev - alpha).div(denominator));
    }
}
