package dev.wmpc.planner;

/**
 * The world model as the planner sees it: from the current latent (and proprioception), roll S action sequences
 * forward H steps in one batched call. The world-model adapter implements this (one class), so the planner does not
 * depend on how the predictor is built or cached.
 */
public interface LatentRollout {
    /** D: numbers in one predicted latent (tokens × width, flattened); the goal latent has the same size. */
    int latentSize();

    /**
     * Predicted latents after each step, row-major {@code [samples, horizon, latentSize()]}.
     *
     * @param latent  the current observation's latent, {@code latentSize()} numbers
     * @param proprio the current proprioception ({@link dev.wmpc.core.RobotState#toVector()}), possibly unused
     * @param actions {@code [samples, horizon, actionDim]} row-major, as {@link TrajectoryCost} receives them
     */
    float[] rollout(float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim);
}
