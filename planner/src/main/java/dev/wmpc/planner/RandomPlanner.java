package dev.wmpc.planner;

import java.util.SplittableRandom;

/**
 * The random baseline: one sequence drawn uniformly from the action ball (gripper uniform in [-1, 1] unless fixed).
 * It evaluates that one sequence so the logs still carry an energy.
 */
public final class RandomPlanner implements Planner {
    private final PlannerConfig config;
    private SplittableRandom rng;

    public RandomPlanner(PlannerConfig config, long seed) {
        this.config = config;
        reset(seed);
    }

    @Override public String name() { return "random"; }
    @Override public PlannerConfig config() { return config; }
    @Override public void reset(long seed) { rng = new SplittableRandom(seed); }

    @Override public PlanResult plan(TrajectoryCost cost) {
        long t0 = System.nanoTime();
        int h = config.horizon(), a = PlannerConfig.ACTION_DIM;
        float[] actions = new float[h * a];
        double r = config.maxNorm();
        double[] step = new double[a];
        for (int t = 0; t < h; t++) {
            if (config.ball() == PlannerConfig.Ball.MAX) {
                for (int i = 0; i < 3; i++) step[i] = rng.nextDouble(-r, r);
            } else {
                double[] d = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
                double norm = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                double len = r * Math.cbrt(rng.nextDouble());
                for (int i = 0; i < 3; i++) step[i] = norm > 0 ? d[i] / norm * len : 0;
            }
            step[PlannerConfig.GRIPPER] = rng.nextDouble(-1, 1);
            SamplingPlanner.clip(step, config);
            for (int i = 0; i < a; i++) actions[t * a + i] = (float) step[i];
        }
        float[] energy;
        try {
            energy = cost.cost(actions, 1, h, a);
        } catch (HoldException e) {
            return new PlanResult.Hold(e.getMessage(), SamplingPlanner.msSince(t0));
        }
        if (Float.isNaN(energy[0]))
            return new PlanResult.Hold("energy of the random sample is NaN: the model produced non-finite values, so the planner does not act",
                    SamplingPlanner.msSince(t0));
        return new PlanResult.Plan(actions, h, a, energy[0], new double[] {energy[0]}, 1, false, SamplingPlanner.msSince(t0));
    }
}
