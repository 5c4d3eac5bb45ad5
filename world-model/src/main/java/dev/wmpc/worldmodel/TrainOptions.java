package dev.wmpc.worldmodel;

/**
 * Predictor training settings. Loss = teacher-forcing L1 over {@code clipFrames} frames + rollout L1 over
 * {@code rolloutSteps} autoregressive steps (V-JEPA 2-AC). Learning rate: linear warm-up over {@code warmupSteps}, then
 * cosine decay to {@code minLearningRate} at {@code steps}.
 */
public record TrainOptions(int steps, int batchSize, int clipFrames, int rolloutSteps, float learningRate,
                           float minLearningRate, int warmupSteps, float weightDecay, float gradClip,
                           int checkpointEvery, long seed, boolean resume) {
    public TrainOptions {
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        if (batchSize < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batchSize);
        if (rolloutSteps < 1) throw new IllegalArgumentException("--rollout-steps must be >= 1, got " + rolloutSteps);
        if (clipFrames < rolloutSteps + 1)
            throw new IllegalArgumentException("--clip-frames must be >= rollout steps + 1 = " + (rolloutSteps + 1)
                    + ", got " + clipFrames);
        if (!(learningRate > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        if (checkpointEvery < 1) throw new IllegalArgumentException("--checkpoint-every must be >= 1");
    }

    /**
     * Defaults: batch 16, clips of 6 frames (so every frame position a horizon-5 rollout uses is trained), k = 2
     * rollout steps, lr 3e-4 → 1e-5, 5% warm-up, wd 0.04, clip 1.0.
     */
    public static TrainOptions defaults(int steps, long seed) {
        return new TrainOptions(steps, 16, 6, 2, 3e-4f, 1e-5f, Math.max(1, steps / 20), 0.04f, 1.0f,
                Math.min(500, Math.max(50, steps / 4)), seed, false);
    }

    public TrainOptions withResume(boolean r) {
        return new TrainOptions(steps, batchSize, clipFrames, rolloutSteps, learningRate, minLearningRate, warmupSteps,
                weightDecay, gradClip, checkpointEvery, seed, r);
    }

    public TrainOptions withBatch(int batch, float lr) {
        return new TrainOptions(steps, batch, clipFrames, rolloutSteps, lr, minLearningRate, warmupSteps,
                weightDecay, gradClip, checkpointEvery, seed, resume);
    }

    /** Learning rate at update {@code step} (0-based). */
    public float learningRate(int step) {
        if (step < warmupSteps) return learningRate * (step + 1) / warmupSteps;
        double progress = steps <= warmupSteps ? 1 : (step - warmupSteps) / (double) (steps - warmupSteps);
        return (float) (minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress)));
    }
}
