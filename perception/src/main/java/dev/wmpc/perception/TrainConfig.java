package dev.wmpc.perception;

import java.util.List;

/**
 * Hyper-parameters of V-JEPA training.
 *
 * @param steps           optimizer steps in the whole run (the schedules span them)
 * @param batch           clips per step
 * @param frames          frames per clip (a multiple of the tubelet)
 * @param learningRate    peak AdamW learning rate (after warmup)
 * @param minLearningRate learning rate at the end of the cosine decay
 * @param warmupSteps     linear warmup steps
 * @param weightDecay     decoupled weight decay of matrices (biases, norms and the mask token get none)
 * @param clipNorm        global gradient-norm clip
 * @param emaStart        target-encoder EMA momentum at step 0 ...
 * @param emaEnd          ... rising linearly to this at the last step
 * @param seed            every random choice (init, clips, masks) flows from it
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param statsEvery      steps between collapse checks (per-dimension std of target latents)
 * @param collapseStd     mean per-dimension std below which the representation counts as collapsed
 * @param masks           mask kinds, used in turn (one per step)
 * @param varianceWeight  weight of a VICReg-style variance hinge on the context encoder's output tokens (0: off)
 * @param covarianceWeight weight of a VICReg-style off-diagonal covariance penalty on the same tokens (0: off)
 */
public record TrainConfig(int steps, int batch, int frames, double learningRate, double minLearningRate, int warmupSteps,
                          double weightDecay, double clipNorm, double emaStart, double emaEnd, long seed,
                          int checkpointEvery, int statsEvery, double collapseStd, List<MaskSpec> masks,
                          double varianceWeight, double covarianceWeight) {
    public TrainConfig {
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (frames < 1) throw new IllegalArgumentException("clip frames must be >= 1, got " + frames);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmup steps must be >= 0");
        if (masks == null || masks.isEmpty()) throw new IllegalArgumentException("at least one mask kind is needed");
        masks = List.copyOf(masks);
        if (!(varianceWeight >= 0) || !(covarianceWeight >= 0))
            throw new IllegalArgumentException("--variance-weight and --covariance-weight must be >= 0, got " + varianceWeight + " and " + covarianceWeight);
    }

    /** Default weight of the variance hinge ({@link #varianceWeight}). */
    public static final double DEFAULT_VARIANCE_WEIGHT = 1.0;
    /** Default weight of the covariance penalty ({@link #covarianceWeight}). */
    public static final double DEFAULT_COVARIANCE_WEIGHT = 0.01;

    /**
     * V-JEPA-like defaults scaled for a small CPU run, with the plain objective (no spread penalty): the recipe the
     * shipped model was trained and measured with. {@code wmpc train encoder} adds the penalty at
     * {@link #DEFAULT_VARIANCE_WEIGHT} and {@link #DEFAULT_COVARIANCE_WEIGHT} ({@link #withRegulariser}).
     */
    public static TrainConfig defaults(int steps, int batch, long seed) {
        return new TrainConfig(steps, batch, 4, 2e-4, 1e-6, Math.max(1, Math.min(200, steps / 10)), 0.04, 1.0,
                0.996, 1.0, seed, 100, 10, 0.05, List.of(MaskSpec.shortRange(), MaskSpec.longRange()), 0, 0);
    }

    public TrainConfig withFrames(int f) {
        return new TrainConfig(steps, batch, f, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm, emaStart, emaEnd, seed, checkpointEvery, statsEvery, collapseStd, masks, varianceWeight, covarianceWeight);
    }

    public TrainConfig withLearningRate(double lr, int warmup) {
        return new TrainConfig(steps, batch, frames, lr, minLearningRate, warmup, weightDecay, clipNorm, emaStart, emaEnd, seed, checkpointEvery, statsEvery, collapseStd, masks, varianceWeight, covarianceWeight);
    }

    public TrainConfig withCheckpointEvery(int every) {
        return new TrainConfig(steps, batch, frames, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm, emaStart, emaEnd, seed, every, statsEvery, collapseStd, masks, varianceWeight, covarianceWeight);
    }

    public TrainConfig withSteps(int s) {
        return new TrainConfig(s, batch, frames, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm, emaStart, emaEnd, seed, checkpointEvery, statsEvery, collapseStd, masks, varianceWeight, covarianceWeight);
    }

    public TrainConfig withCollapseStd(double c) {
        return new TrainConfig(steps, batch, frames, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm, emaStart, emaEnd, seed, checkpointEvery, statsEvery, c, masks, varianceWeight, covarianceWeight);
    }

    public TrainConfig withMasks(List<MaskSpec> m) {
        return new TrainConfig(steps, batch, frames, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm, emaStart, emaEnd, seed, checkpointEvery, statsEvery, collapseStd, m, varianceWeight, covarianceWeight);
    }

    public TrainConfig withMomentum(double start, double end) {
        return new TrainConfig(steps, batch, frames, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm, start, end, seed, checkpointEvery, statsEvery, collapseStd, masks, varianceWeight, covarianceWeight);
    }

    public TrainConfig withRegulariser(double variance, double covariance) {
        return new TrainConfig(steps, batch, frames, learningRate, minLearningRate, warmupSteps, weightDecay, clipNorm, emaStart, emaEnd, seed, checkpointEvery, statsEvery, collapseStd, masks, variance, covariance);
    }

    /** Learning rate at a step: linear warmup, then cosine decay to the minimum. */
    public double learningRateAt(int step) {
        if (step < warmupSteps) return learningRate * (step + 1) / warmupSteps;
        double span = Math.max(1, steps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / span);
        return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress));
    }

    /** EMA momentum at a step. */
    public double momentumAt(int step) {
        return emaStart + (emaEnd - emaStart) * Math.min(1.0, (double) step / steps);
    }
}
