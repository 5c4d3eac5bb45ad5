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
        int d = goal.length;
        float[] predicted = model.rollout(latent, proprio, actions, samples, horizon, actionDim);
        if (predicted.length != (long) samples * horizon * d)
            throw new IllegalStateException("world model rollout returned " + predicted.length + " numbers, expected "
                    + samples + "x" + horizon + "x" + d);
        int bad = firstNonFinite(predicted);
        if (bad >= 0)
            throw new HoldException("the world model predicted non-finite latents (sample " + bad / (horizon * d) + ", step "
                    + bad / d % horizon + "), so the planner does not act; check the model files");
        float[] energy = new float[samples];
        for (int s = 0; s < samples; s++) {
            double total = 0;
            for (int h = mode == EnergyMode.FINAL ? horizon - 1 : 0; h < horizon; h++) {
                int base = (s * horizon + h) * d;
                double l1 = 0;
                for (int i = 0; i < d; i++) l1 += Math.abs(predicted[base + i] - goal[i]);
                total += l1 / d;
            }
            energy[s] = (float) total;
        }
        return energy;
    }

    /** Index of the first non-finite number in {@code v}, or -1. */
    static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) return i;
        return -1;
    }
}
