package dev.wmpc.planner;

/**
 * The latent energy plus a proprio term: how far each plan leaves the end effector from where the goal image shows it.
 * A plan's end-effector path is the current position plus its planned deltas (integrated, as V-JEPA 2-AC integrates
 * the commanded deltas into its future proprio state); the goal's position is read from the goal image's latent by
 * the model's {@link StateReadout}. The term is {@code weight × mean over x, y, z of |ee − goal|} (metres) at the final
 * step ({@link EnergyMode#FINAL}) or summed over the steps ({@link EnergyMode#SUM}), with {@code weight} in latent
 * energy per metre, so both terms share one scale.
 */
public final class ProprioGoalEnergy implements TrajectoryCost {
    private final TrajectoryCost latent;
    private final double[] start, goal;
    private final double weight;
    private final EnergyMode mode;

    public ProprioGoalEnergy(TrajectoryCost latent, double[] start, double[] goal, double weight, EnergyMode mode) {
        if (start.length != 3 || goal.length != 3) throw new IllegalArgumentException("end-effector positions are xyz");
        if (!(weight >= 0) || !Double.isFinite(weight)) throw new IllegalArgumentException("proprio weight must be finite and >= 0, got " + weight);
        this.latent = latent;
        this.start = start.clone();
        this.goal = goal.clone();
        this.weight = weight;
        this.mode = mode;
    }

    @Override public float[] cost(float[] actions, int samples, int horizon, int actionDim) {
        float[] e = latent.cost(actions, samples, horizon, actionDim);
        for (int s = 0; s < samples; s++) {
            double x = start[0], y = start[1], z = start[2], term = 0;
            for (int h = 0; h < horizon; h++) {
                int o = (s * horizon + h) * actionDim;
                x += actions[o];
                y += actions[o + 1];
                z += actions[o + 2];
                if (mode == EnergyMode.SUM || h == horizon - 1)
                    term += (Math.abs(x - goal[0]) + Math.abs(y - goal[1]) + Math.abs(z - goal[2])) / 3;
            }
            e[s] += (float) (weight * term);
        }
        return e;
    }
}
