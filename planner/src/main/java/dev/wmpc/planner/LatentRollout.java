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

    /**
     * How far an encoded frame {@code latent} is from the goal latent, on the scale of one step of {@link #energies}:
     * the mean |Δ| per entry here; a model whose energy has more terms adds them. Decides when a controller moves on to
     * its next goal image.
     */
    default double goalDistance(float[] latent, float[] goal) {
        if (latent.length != goal.length) return Double.NaN;
        double s = 0;
        for (int i = 0; i < latent.length; i++) s += Math.abs(latent[i] - goal[i]);
        return s / latent.length;
    }

    /**
     * The L1 energy of each sample: mean |predicted − goal| at the final step ({@link EnergyMode#FINAL}) or summed
     * over the steps ({@link EnergyMode#SUM}). Throws {@link HoldException} when any prediction is non-finite.
     * This default computes it from {@link #rollout} in Java; a tensor implementation overrides it to compute the
     * energy where the predictions live and return only S numbers.
     */
    default float[] energies(float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim,
                             float[] goal, EnergyMode mode) {
        int d = goal.length;
        float[] predicted = rollout(latent, proprio, actions, samples, horizon, actionDim);
        if (predicted.length != (long) samples * horizon * d)
            throw new IllegalStateException("world model rollout returned " + predicted.length + " numbers, expected "
                    + samples + "x" + horizon + "x" + d);
        int bad = LatentEnergy.firstNonFinite(predicted);
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

    /**
     * {@link #energies} of one sequence by term, adding up to it: {@code latent} here; a model whose energy has more
     * terms names them too (the world model's state head: {@code state_head}).
     */
    default java.util.Map<String, Double> energyTerms(float[] latent, float[] proprio, float[] actions, int horizon, int actionDim,
                                                      float[] goal, EnergyMode mode) {
        return java.util.Map.of("latent", (double) energies(latent, proprio, actions, 1, horizon, actionDim, goal, mode)[0]);
    }
}
