package dev.wmpc.planner;

import java.util.OptionalDouble;

/**
 * Settings of the sampling planners (CEM, MPPI, random). Build with {@link #defaults()} and {@link #toBuilder()}.
 *
 * @param samples             S: candidate sequences per iteration, all evaluated in one batched cost call
 * @param iterations          refinement iterations per plan (fewer when the deadline stops the search)
 * @param horizon             H: steps per candidate sequence
 * @param topK                CEM: elites that refit the Gaussian
 * @param maxNorm             bound on each step's translation in metres (0.05 m by default)
 * @param ball                the norm of that bound: {@link Ball#L2} (default) scales a longer step back onto the
 *                            sphere, as the simulator clips; {@link Ball#MAX} clips each of dx, dy, dz to ±maxNorm
 *                            (the max-norm box, as V-JEPA 2-AC's planner)
 * @param momentumMean        weight of the old translation mean in each update (0 = take the new fit)
 * @param momentumStd         weight of the old translation std in each update
 * @param gripperMomentumMean weight of the old gripper mean (the gripper has its own distribution in [-1, 1])
 * @param gripperMomentumStd  weight of the old gripper std
 * @param gripperStd          initial std of the gripper distribution
 * @param minStdFraction      floor of the translation std, as a fraction of maxNorm (keeps the search alive)
 * @param temperature         MPPI: softmax temperature, relative to the batch's mean energy spread (unitless)
 * @param deadlineMs          anytime budget per plan in ms; 0 = run all iterations
 * @param fixedGripper        when present, every step's gripper is this value and is not planned
 * @param warmStart           start each plan from the previous plan's mean shifted by one step
 */
public record PlannerConfig(int samples, int iterations, int horizon, int topK, double maxNorm, Ball ball,
                            double momentumMean, double momentumStd, double gripperMomentumMean,
                            double gripperMomentumStd, double gripperStd, double minStdFraction, double temperature,
                            long deadlineMs, OptionalDouble fixedGripper, boolean warmStart) {

    /** Entries per step: dx, dy, dz, gripper. */
    public static final int ACTION_DIM = 4;
    /** Index of the gripper entry in a step. */
    public static final int GRIPPER = 3;

    public enum Ball { MAX, L2 }

    public PlannerConfig {
        if (samples < 2) throw new IllegalArgumentException("planner samples is " + samples + ": use at least 2");
        if (iterations < 1) throw new IllegalArgumentException("planner iterations is " + iterations + ": use at least 1");
        if (horizon < 1) throw new IllegalArgumentException("planner horizon is " + horizon + ": use at least 1");
        if (topK < 2 || topK > samples)
            throw new IllegalArgumentException("planner top-k is " + topK + ": it must be between 2 and samples (" + samples + ")");
        if (!(maxNorm > 0) || !Double.isFinite(maxNorm))
            throw new IllegalArgumentException("planner max-norm is " + maxNorm + " m: it must be a positive step length, e.g. 0.05");
        for (double m : new double[] {momentumMean, momentumStd, gripperMomentumMean, gripperMomentumStd})
            if (!(m >= 0 && m < 1)) throw new IllegalArgumentException("planner momentum " + m + " must be in [0, 1)");
        if (!(gripperStd > 0)) throw new IllegalArgumentException("planner gripper std " + gripperStd + " must be positive");
        if (!(minStdFraction >= 0 && minStdFraction < 1))
            throw new IllegalArgumentException("planner min std fraction " + minStdFraction + " must be in [0, 1)");
        if (!(temperature > 0) || !Double.isFinite(temperature))
            throw new IllegalArgumentException("planner temperature " + temperature + " must be positive");
        if (deadlineMs < 0) throw new IllegalArgumentException("planner deadline " + deadlineMs + " ms must be >= 0 (0 = none)");
        if (fixedGripper == null) fixedGripper = OptionalDouble.empty();
        if (fixedGripper.isPresent() && !(Math.abs(fixedGripper.getAsDouble()) <= 1))
            throw new IllegalArgumentException("fixed gripper " + fixedGripper.getAsDouble() + " must be in [-1, 1]");
        if (ball == null) ball = Ball.MAX;
    }

    /**
     * S=64, 6 iterations, H=5, top-8, steps within a 0.05 m L2 ball (the simulator and the safety filter clip the
     * step's length the same way; {@link Ball#MAX} is V-JEPA 2-AC's per-axis clip).
     */
    public static PlannerConfig defaults() {
        return new PlannerConfig(64, 6, 5, 8, 0.05, Ball.L2, 0.1, 0.3, 0.15, 0.15, 1.0, 0.05, 0.5,
                0, OptionalDouble.empty(), true);
    }

    public Builder toBuilder() { return new Builder(this); }

    /** Mutable copy for changing a few settings: {@code PlannerConfig.defaults().toBuilder().samples(128).build()}. */
    public static final class Builder {
        private int samples, iterations, horizon, topK;
        private double maxNorm, momentumMean, momentumStd, gripperMomentumMean, gripperMomentumStd, gripperStd,
                minStdFraction, temperature;
        private Ball ball;
        private long deadlineMs;
        private OptionalDouble fixedGripper;
        private boolean warmStart;

        private Builder(PlannerConfig c) {
            samples = c.samples; iterations = c.iterations; horizon = c.horizon; topK = c.topK; maxNorm = c.maxNorm;
            ball = c.ball; momentumMean = c.momentumMean; momentumStd = c.momentumStd;
            gripperMomentumMean = c.gripperMomentumMean; gripperMomentumStd = c.gripperMomentumStd;
            gripperStd = c.gripperStd; minStdFraction = c.minStdFraction; temperature = c.temperature;
            deadlineMs = c.deadlineMs; fixedGripper = c.fixedGripper; warmStart = c.warmStart;
        }

        public Builder samples(int v) { samples = v; return this; }
        public Builder iterations(int v) { iterations = v; return this; }
        public Builder horizon(int v) { horizon = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder maxNorm(double v) { maxNorm = v; return this; }
        public Builder ball(Ball v) { ball = v; return this; }
        public Builder momentumMean(double v) { momentumMean = v; return this; }
        public Builder momentumStd(double v) { momentumStd = v; return this; }
        public Builder gripperMomentumMean(double v) { gripperMomentumMean = v; return this; }
        public Builder gripperMomentumStd(double v) { gripperMomentumStd = v; return this; }
        public Builder gripperStd(double v) { gripperStd = v; return this; }
        public Builder minStdFraction(double v) { minStdFraction = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder deadlineMs(long v) { deadlineMs = v; return this; }
        public Builder fixedGripper(double v) { fixedGripper = OptionalDouble.of(v); return this; }
        public Builder plannedGripper() { fixedGripper = OptionalDouble.empty(); return this; }
        public Builder warmStart(boolean v) { warmStart = v; return this; }

        public PlannerConfig build() {
            return new PlannerConfig(samples, iterations, horizon, topK, maxNorm, ball, momentumMean, momentumStd,
                    gripperMomentumMean, gripperMomentumStd, gripperStd, minStdFraction, temperature, deadlineMs,
                    fixedGripper, warmStart);
        }
    }
}
