package dev.wmpc.planner;

/**
 * The latent energy plus a proprio term: how far each plan leaves the end effector from where the goal image shows it.
 * A plan's end-effector path is the current position plus its planned deltas (integrated, as V-JEPA 2-AC integrates
 * the commanded deltas into its future proprio state); the goal's position is read from the goal image's latent by
 * the model's {@link StateReadout}. The term is {@code weight × mean over x, y, z of |ee − goal|} (metres) at the final
 * step ({@link EnergyMode#FINAL}) or summed over the steps ({@link EnergyMode#SUM}), with {@code weight} in latent
 * energy per metre, so both terms share one scale.
 *
 * <p>When the goal's gripper opening is known (the readout has a gripper map), each counted step also adds
 * {@link #GRIPPER_METRES}{@code × |opening − goal opening| / 3}, the opening a step's gripper command asks for being
 * {@code (command + 1) / 2}: a gripper the wrong way round costs as much as 25 cm off on one axis, so it settles first and stays put.
 */
public final class ProprioGoalEnergy implements TrajectoryCost {
    private final TrajectoryCost latent;
    /** Metres of end-effector error that a fully wrong gripper opening costs. */
    public static final double GRIPPER_METRES = 0.25;

    private final double[] start, goal;
    private final double weight, goalGripper;
    private final EnergyMode mode;

    public ProprioGoalEnergy(TrajectoryCost latent, double[] start, double[] goal, double weight, EnergyMode mode) {
        this(latent, start, goal, Double.NaN, weight, mode);
    }

    /** As above, with the goal's gripper opening (0 closed .. 1 open; NaN: the gripper is not part of the term). */
    public ProprioGoalEnergy(TrajectoryCost latent, double[] start, double[] goal, double goalGripper, double weight, EnergyMode mode) {
        if (start.length != 3 || goal.length != 3) throw new IllegalArgumentException("end-effector positions are xyz");
        if (!(weight >= 0) || !Double.isFinite(weight)) throw new IllegalArgumentException("proprio weight must be finite and >= 0, got " + weight);
        this.latent = latent;
        this.start = start.clone();
        this.goal = goal.clone();
        this.weight = weight;
        this.goalGripper = goalGripper;
        this.mode = mode;
    }

    @Override public float[] cost(float[] actions, int samples, int horizon, int actionDim) {
        float[] e = latent.cost(actions, samples, horizon, actionDim);
        for (int s = 0; s < samples; s++) e[s] += (float) term(actions, s, horizon, actionDim);
        return e;
    }

    /** The wrapped cost's terms and this one, {@code proprio}. */
    @Override public java.util.Map<String, Double> terms(float[] actions, int horizon, int actionDim) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>(latent.terms(actions, horizon, actionDim));
        out.put("proprio", term(actions, 0, horizon, actionDim));
        return out;
    }

    /** The weighted proprio term of sample {@code s}. */
    private double term(float[] actions, int s, int horizon, int actionDim) {
        double x = start[0], y = start[1], z = start[2], term = 0;
        for (int h = 0; h < horizon; h++) {
            int o = (s * horizon + h) * actionDim;
            x += actions[o];
            y += actions[o + 1];
            z += actions[o + 2];
            if (mode == EnergyMode.SUM || h == horizon - 1) {
                term += (Math.abs(x - goal[0]) + Math.abs(y - goal[1]) + Math.abs(z - goal[2])) / 3;
                if (!Double.isNaN(goalGripper) && actionDim > 3)
                    term += GRIPPER_METRES * Math.abs((actions[o + 3] + 1) / 2 - goalGripper) / 3;
            }
        }
        return weight * term;
    }
}
