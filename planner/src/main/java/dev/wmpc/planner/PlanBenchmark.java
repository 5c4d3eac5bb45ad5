package dev.wmpc.planner;

import ai.djl.ndarray.NDManager;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import dev.wmpc.worldmodel.RolloutBenchmark;
import java.util.Arrays;
import java.util.Random;

/**
 * Times whole plans (S samples × I iterations × H steps) over a predictor: with the KV-cached rollout and with the
 * naive full recompute, next to the engine's sgemm rate measured in the same process. FLOPs are counted analytically
 * from the predictor's shape ({@link PredictorConfig#rolloutFlops}) plus the L1 energy.
 */
public final class PlanBenchmark {
    private PlanBenchmark() {}

    /** Untimed plans before the timed ones: at least this many, and more until {@link #WARMUP_MS} have passed. */
    static final int WARMUP_MIN_PLANS = 1, WARMUP_MAX_PLANS = 30;
    static final double WARMUP_MS = 2000;

    public record Result(String planner, int samples, int iterations, int horizon, String model, String device,
                         double msPerPlan, double gflopPerPlan, double achievedGflops, double sgemmGflops,
                         double naiveMsPerPlan, double kvSpeedup) {}

    /** Random context and goal latents (the timing does not depend on their values); planner seeded. */
    public static Result run(AcPredictor predictor, PlannerKind kind, PlannerConfig config, int repeats, int naiveRepeats, long seed) {
        PredictorConfig c = predictor.config();
        Random rng = new Random(seed);
        int d = c.tokens() * c.latentDim();
        float[] latent = gaussian(rng, d), goal = gaussian(rng, d), state = gaussian(rng, c.stateDim());
        double ms = time(new PredictorRollout(predictor, true), kind, config, latent, state, goal, repeats, seed);
        double naiveMs = naiveRepeats > 0
                ? time(new PredictorRollout(predictor, false), kind, config, latent, state, goal, naiveRepeats, seed) : Double.NaN;
        double sgemm;
        try (NDManager m = NDManager.newBaseManager(predictor.device())) {
            sgemm = RolloutBenchmark.sgemmGflops(m, 2048, 3);
        }
        int finalSteps = 1; // FINAL energy: one predicted step per sample compared with the goal
        double flops = config.iterations() * (c.rolloutFlops(config.samples(), 1, config.horizon())
                + 3.0 * config.samples() * finalSteps * d);
        double gflop = flops / 1e9;
        return new Result(kind.name().toLowerCase(), config.samples(), config.iterations(), config.horizon(), c.toString(),
                predictor.device().toString(), ms, gflop, gflop / (ms / 1e3), sgemm, naiveMs, naiveMs / ms);
    }

    private static double time(LatentRollout rollout, PlannerKind kind, PlannerConfig config, float[] latent, float[] state,
                               float[] goal, int repeats, long seed) {
        TrajectoryCost cost = new LatentEnergy(rollout, latent, state, goal, EnergyMode.FINAL);
        Planner planner = kind.create(config, seed);
        // Warm-up: the JVM compiles the hot Java paths over the first ~10 plans (longer on a busy machine, where its
        // compiler threads share the cores); time steady-state plans, as a controller's loop runs them.
        long warmStart = System.nanoTime();
        for (int i = 0; i < WARMUP_MAX_PLANS && (i < WARMUP_MIN_PLANS || msSince(warmStart) < WARMUP_MS); i++) planner.plan(cost);
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            PlanResult r = planner.plan(cost);
            if (r instanceof PlanResult.Hold h) throw new IllegalStateException("benchmark plan held: " + h.reason());
            ms[i] = r.planMs();
        }
        Arrays.sort(ms);
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    private static double msSince(long t0) { return (System.nanoTime() - t0) / 1e6; }

    private static float[] gaussian(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }
}
