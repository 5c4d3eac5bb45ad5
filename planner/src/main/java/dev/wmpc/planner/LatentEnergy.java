package dev.wmpc.planner;

import dev.wmpc.core.WmpcException;

/**
 * The latent energy: mean absolute difference (L1 / D) between the world model's predicted latent and the goal
 * latent, at the final step ({@link EnergyMode#FINAL}) or summed over the steps ({@link EnergyMode#SUM}).
 * Non-finite predictions raise {@link HoldException}, so the planner holds rather than acting on them.
 */
public final class LatentEnergy implements TrajectoryCost {
    private final LatentRollout model;
    private final float[] latent;
    private final float[] proprio;
    private final float[] goal;
    private final EnergyMode mode;

    public LatentEnergy(LatentRollout model, float[] latent, float[] proprio, float[] goal, EnergyMode mode) {
        int d = model.latentSize();
        if (latent.length != d)
            throw new WmpcException("the encoder gives latents of " + latent.length + " numbers but the world model expects "
                    + d + ": the encoder and predictor do not match; use the encoder the model was trained with");
        if (goal.length != d)
            throw new WmpcException("the goal latent has " + goal.length + " numbers but the world model predicts " + d
                    + ": encode the goal image with the model's own encoder");
        this.model = model;
        this.latent = latent.clone();
        this.proprio = proprio.clone();
        this.goal = goal.clone();
        this.mode = mode;
    }

    @Override public float[] cost(float[] actions, int samples, int horizon, int actionDim) {
        float[] energy = model.energies(latent, proprio, actions, samples, horizon, actionDim, goal, mode);
        if (energy.length != samples)
            throw new IllegalStateException("world model returned " + energy.length + " energies for " + samples + " samples");
        return energy;
    }

    @Override public java.util.Map<String, Double> terms(float[] actions, int horizon, int actionDim) {
        return model.energyTerms(latent, proprio, actions, horizon, actionDim, goal, mode);
    }

    /** Index of the first non-finite number in {@code v}, or -1. */
    static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) return i;
        return -1;
    }
}
