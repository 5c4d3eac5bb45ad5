package dev.wmpc.planner;

/**
 * Model-predictive path integral: every sample weighs in by {@code exp(-(E - Emin) / (T * spread))}, where spread is
 * the batch's mean energy above its minimum, so the temperature T is unitless. Mean and std are the weighted
 * moments, blended with the old ones by momentum.
 */
public final class MppiPlanner extends SamplingPlanner {
    public MppiPlanner(PlannerConfig config, long seed) { super(config, seed); }

    @Override public String name() { return "mppi"; }

    @Override protected void update(double[] mean, double[] std, float[] samples, float[] energies, int[] order) {
        int s = energies.length, n = mean.length;
        double min = energies[order[0]];
        double spread = 0;
        int finite = 0;
        for (float e : energies)
            if (Float.isFinite(e)) { spread += e - min; finite++; }
        spread = finite > 0 ? spread / finite : 0;
        double scale = config.temperature() * (spread > 0 ? spread : 1);
        double[] w = new double[s];
        double total = 0;
        for (int i = 0; i < s; i++) {
            w[i] = Float.isFinite(energies[i]) ? Math.exp(-(energies[i] - min) / scale) : 0;
            total += w[i];
        }
        for (int i = 0; i < s; i++) w[i] /= total;
        for (int j = 0; j < n; j++) {
            double m = 0;
            for (int i = 0; i < s; i++) m += w[i] * samples[i * n + j];
            double v = 0;
            for (int i = 0; i < s; i++) {
                double d = samples[i * n + j] - m;
                v += w[i] * d * d;
            }
            mean[j] = (1 - momentumMean(j)) * m + momentumMean(j) * mean[j];
            std[j] = Math.max(stdFloor(j), (1 - momentumStd(j)) * Math.sqrt(v) + momentumStd(j) * std[j]);
        }
    }
}
