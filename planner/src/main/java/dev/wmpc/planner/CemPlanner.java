package dev.wmpc.planner;

/**
 * Cross-entropy method as in V-JEPA 2-AC: refit the Gaussian to the top-k elites (mean and sample std per step and
 * entry), blended with the old mean and std by momentum; the gripper has its own momentum.
 */
public final class CemPlanner extends SamplingPlanner {
    public CemPlanner(PlannerConfig config, long seed) { super(config, seed); }

    @Override public String name() { return "cem"; }

    @Override protected void update(double[] mean, double[] std, float[] samples, float[] energies, int[] order) {
        int k = config.topK(), n = mean.length;
        for (int j = 0; j < n; j++) {
            double m = 0;
            for (int e = 0; e < k; e++) m += samples[order[e] * n + j];
            m /= k;
            double v = 0;
            for (int e = 0; e < k; e++) {
                double d = samples[order[e] * n + j] - m;
                v += d * d;
            }
            double sd = Math.sqrt(v / (k - 1));
            mean[j] = (1 - momentumMean(j)) * m + momentumMean(j) * mean[j];
            std[j] = Math.max(stdFloor(j), (1 - momentumStd(j)) * sd + momentumStd(j) * std[j]);
        }
    }
}
