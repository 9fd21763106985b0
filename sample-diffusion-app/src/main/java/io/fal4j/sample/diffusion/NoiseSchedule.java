package io.fal4j.sample.diffusion;

/**
 * The training noise schedule shared by every scheduler: scaled-linear betas and their cumulative
 * alpha products, computed in float32 the way PyTorch computes {@code linspace}, {@code **} and
 * {@code cumprod} (with a double accumulator), so that Java and Python start from the same numbers.
 */
public final class NoiseSchedule {

    private final float[] alphasCumprod;
    private final float finalAlphaCumprod;
    private final int trainSteps;
    private final int stepsOffset;

    public NoiseSchedule(ModelConfig.SchedulerConfig config) {
        this.trainSteps = config.trainSteps();
        this.stepsOffset = config.stepsOffset();
        float startRoot = (float) Math.sqrt(config.betaStart());
        float endRoot = (float) Math.sqrt(config.betaEnd());
        float step = (endRoot - startRoot) / (trainSteps - 1);
        int halfway = trainSteps / 2;
        alphasCumprod = new float[trainSteps];
        double product = 1.0;
        for (int i = 0; i < trainSteps; i++) {
            float root = i < halfway ? startRoot + step * i : endRoot - step * (trainSteps - i - 1);
            float beta = root * root;
            product *= 1.0f - beta;
            alphasCumprod[i] = (float) product;
        }
        this.finalAlphaCumprod = config.setAlphaToOne() ? 1.0f : alphasCumprod[0];
    }

    /** ᾱ at a training timestep; the final alpha before the first one. */
    float alphaCumprod(int timestep) {
        return timestep >= 0 ? alphasCumprod[timestep] : finalAlphaCumprod;
    }

    /** The training timesteps. */
    int trainSteps() {
        return trainSteps;
    }

    /** diffusers' "leading" spacing: {@code steps} evenly spaced timesteps from the start, plus the offset, descending. */
    int[] leading(int steps) {
        int ratio = trainSteps / steps;
        int[] timesteps = new int[steps];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = (steps - 1 - i) * ratio + stepsOffset;
        }
        return timesteps;
    }

    /** Integer timesteps as the floats the UNet takes. */
    static float[] floats(int[] timesteps) {
        float[] out = new float[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = timesteps[i];
        }
        return out;
    }
}
