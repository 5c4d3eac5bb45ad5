package dev.wmpc.planner;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The loop CEM and MPPI share: a diagonal Gaussian over H-step sequences of (dx, dy, dz, gripper), S samples per
 * iteration clipped to the max-norm ball (gripper to [-1, 1]), one batched cost call per iteration, a refit of the
 * Gaussian (the subclass's rule), a best-so-far sequence for anytime answers, and the warm start for the next call.
 *
 * <p>Sample 0 of every iteration is the current mean itself, so a good warm start is never lost to sampling noise.
 */
public abstract sealed class SamplingPlanner implements Planner permits CemPlanner, MppiPlanner {
    protected static final int A = PlannerConfig.ACTION_DIM;
    protected static final int G = PlannerConfig.GRIPPER;

    protected final PlannerConfig config;
    private SplittableRandom rng;
    private double[] previousMean;
    /** The gripper this plan commands: the config's fixed gripper, else the goal's (see {@link TrajectoryCost#gripperCommand}). */
    private java.util.OptionalDouble gripper;

    protected SamplingPlanner(PlannerConfig config, long seed) {
        this.config = config;
        this.gripper = config.fixedGripper();
        reset(seed);
    }

    @Override public PlannerConfig config() { return config; }

    @Override public void reset(long seed) {
        rng = new SplittableRandom(seed);
        previousMean = null;
    }

    /** The mean the next {@link #plan} starts from: the last plan's mean shifted one step, or zeros. */
    public float[] nextInitialMean() {
        double[] m = initialMean();
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) out[i] = (float) m[i];
        return out;
    }

    /** The mean the last plan ended with (before the shift), or null when there is no warm start. */
    double[] previousMean() { return previousMean == null ? null : previousMean.clone(); }

    /** Refits {@code mean} and {@code std} (in place) from this iteration's samples and energies. */
    protected abstract void update(double[] mean, double[] std, float[] samples, float[] energies, int[] order);

    @Override public final PlanResult plan(TrajectoryCost cost) {
        long t0 = System.nanoTime();
        gripper = config.fixedGripper().isPresent() ? config.fixedGripper() : cost.gripperCommand();
        int s = config.samples(), h = config.horizon(), n = h * A;
        double[] mean = initialMean();
        double[] std = initialStd();
        float[] samples = new float[s * n];
        float[] best = null;
        double bestEnergy = Double.POSITIVE_INFINITY;
        double[] bestPerIteration = new double[config.iterations()];
        int done = 0;
        boolean deadlineHit = false;
        double lastIterationMs = 0;
        for (int it = 0; it < config.iterations(); it++) {
            long ti = System.nanoTime();
            if (it > 0 && config.deadlineMs() > 0 && msSince(t0) + lastIterationMs > config.deadlineMs()) {
                deadlineHit = true;
                break;
            }
            sample(mean, std, samples);
            float[] energies;
            try {
                energies = cost.cost(samples, s, h, A);
            } catch (HoldException e) {
                previousMean = null;
                return new PlanResult.Hold(e.getMessage(), msSince(t0));
            }
            if (energies == null || energies.length != s)
                throw new IllegalStateException("cost returned " + (energies == null ? "null" : energies.length + " energies")
                        + " for " + s + " samples");
            for (int i = 0; i < s; i++)
                if (Float.isNaN(energies[i])) {
                    previousMean = null;
                    return new PlanResult.Hold("energy of sample " + i + " is NaN at iteration " + it
                            + ": the model produced non-finite values, so the planner does not act", msSince(t0));
                }
            int[] order = argsort(energies);
            if (best == null || energies[order[0]] < bestEnergy) {
                bestEnergy = energies[order[0]];
                best = Arrays.copyOfRange(samples, order[0] * n, (order[0] + 1) * n);
            }
            bestPerIteration[done++] = bestEnergy;
            update(mean, std, samples, energies, order);
            lastIterationMs = msSince(ti);
        }
        previousMean = config.warmStart() ? mean : null;
        return new PlanResult.Plan(best, h, A, bestEnergy, Arrays.copyOf(bestPerIteration, done), done, deadlineHit, msSince(t0));
    }

    private double[] initialMean() {
        int h = config.horizon();
        double[] m = new double[h * A];
        if (previousMean != null) {
            System.arraycopy(previousMean, A, m, 0, (h - 1) * A);
            // The new last step: no motion, and the gripper keeps the previous plan's final command.
            m[(h - 1) * A + G] = previousMean[(h - 1) * A + G];
        }
        // A fixed or commanded gripper overrides the warm start at every step.
        if (gripper.isPresent()) for (int t = 0; t < h; t++) m[t * A + G] = gripper.getAsDouble();
        return m;
    }

    private double[] initialStd() {
        double[] sd = new double[config.horizon() * A];
        for (int i = 0; i < sd.length; i++)
            sd[i] = i % A == G ? (gripper.isPresent() ? 0 : config.gripperStd()) : config.maxNorm();
        return sd;
    }

    private void sample(double[] mean, double[] std, float[] out) {
        int n = mean.length;
        double[] step = new double[A];
        for (int s = 0; s < config.samples(); s++) {
            for (int t = 0; t < config.horizon(); t++) {
                for (int a = 0; a < A; a++) {
                    int j = t * A + a;
                    step[a] = s == 0 ? mean[j] : mean[j] + std[j] * rng.nextGaussian();
                }
                clip(step, config, gripper);
                for (int a = 0; a < A; a++) out[s * n + t * A + a] = (float) step[a];
            }
        }
    }

    /** Clips one step in place: translation into the max-norm (or L2) ball, gripper to [-1, 1] or its fixed value. */
    static void clip(double[] step, PlannerConfig c) { clip(step, c, c.fixedGripper()); }

    /** As {@link #clip(double[], PlannerConfig)} with the gripper fixed to {@code gripper} when present. */
    static void clip(double[] step, PlannerConfig c, java.util.OptionalDouble gripper) {
        double r = c.maxNorm();
        if (c.ball() == PlannerConfig.Ball.MAX) {
            for (int a = 0; a < 3; a++) step[a] = Math.max(-r, Math.min(r, step[a]));
        } else {
            double norm = Math.sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2]);
            if (norm > r) for (int a = 0; a < 3; a++) step[a] *= r / norm;
        }
        step[G] = gripper.isPresent() ? gripper.getAsDouble() : Math.max(-1, Math.min(1, step[G]));
    }

    /** Indices of {@code e} from lowest to highest energy (+inf last; ties by index, so the order is deterministic). */
    static int[] argsort(float[] e) {
        Integer[] idx = new Integer[e.length];
        for (int i = 0; i < e.length; i++) idx[i] = i;
        Arrays.sort(idx, (x, y) -> {
            int c = Float.compare(e[x], e[y]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        int[] out = new int[e.length];
        for (int i = 0; i < e.length; i++) out[i] = idx[i];
        return out;
    }

    protected final double stdFloor(int j) {
        return j % A == G ? 0 : config.minStdFraction() * config.maxNorm();
    }

    protected final double momentumMean(int j) { return j % A == G ? config.gripperMomentumMean() : config.momentumMean(); }

    protected final double momentumStd(int j) { return j % A == G ? config.gripperMomentumStd() : config.momentumStd(); }

    static double msSince(long t0) { return (System.nanoTime() - t0) / 1e6; }
}
