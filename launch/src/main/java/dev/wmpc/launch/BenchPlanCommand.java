package dev.wmpc.launch;

import ai.djl.Device;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.core.WmpcException;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.planner.PlanBenchmark;
import dev.wmpc.planner.PlannerConfig;
import dev.wmpc.planner.PlannerKind;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc bench plan}: ms per plan of the latent planner (S samples × I iterations × H steps through the
 * predictor's batched KV-cached rollout), FLOPs per plan, achieved GFLOP/s against the sgemm rate measured in the same
 * run, and ms per plan without the KV cache.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "ms per plan of the latent planner over the world model, FLOPs per plan, achieved GFLOP/s vs the "
                + "engine's sgemm rate measured in the same run, and ms per plan without the KV cache.")
public final class BenchPlanCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    /** --samples, --iters, --horizon, --device, --threads (bench plan: 64 / 3 / 3). */
    @Mixin PlannerOptions plannerOptions = new PlannerOptions(48, 4, 3);

    @Option(names = "--planner", defaultValue = "cem", paramLabel = "cem|mppi", description = "Planner (default: ${DEFAULT-VALUE}).")
    PlannerKind planner;

    @Option(names = "--preset", defaultValue = "tiny", paramLabel = "tiny|small",
            description = "Untrained predictor of this preset, when no --model is given (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--model", paramLabel = "default|DIR", description = "Time this trained model's predictor instead of a preset.")
    String model;

    @Option(names = "--top-k", paramLabel = "K", description = "CEM elites (default: samples / 8, at least 2).")
    Integer topK;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N", description = "Timed plans, median reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--naive-repeats", defaultValue = "1", paramLabel = "N",
            description = "Timed plans without the KV cache; 0 skips them (default: ${DEFAULT-VALUE}).")
    int naiveRepeats;

    /** The state size of the simulator's arm: 7 joints, end-effector pose (7) and gripper. */
    static final int SIM_STATE_DIM = 15;

    public record Report(String benchmark, String planner, int samples, int iters, int horizon, String model, String device,
                         int threads,
                         @JsonProperty("ms_per_plan") double msPerPlan,
                         @JsonProperty("gflop_per_plan") double gflopPerPlan,
                         @JsonProperty("achieved_gflops") double achievedGflops,
                         @JsonProperty("sgemm_gflops") double sgemmGflops,
                         @JsonProperty("naive_ms_per_plan") Double naiveMsPerPlan,
                         @JsonProperty("kv_cache_speedup") Double kvSpeedup) {}

    @Override public Integer call() {
        common.applyLogging();
        plannerOptions.applyThreads();
        if (planner == PlannerKind.RANDOM) throw WmpcException.usage("--planner random does not plan: choose cem or mppi");
        if (repeats < 1 || naiveRepeats < 0) throw WmpcException.usage("--repeats must be at least 1 and --naive-repeats not negative");
        PlannerConfig config = plannerOptions.config(b -> {
            if (topK != null) b.topK(topK);
        }, "--top-k");
        int samples = config.samples(), iterations = config.iterations(), horizon = config.horizon(), threads = plannerOptions.threads();
        Device dev = plannerOptions.device();
        try (AcPredictor p = model != null
                ? AcPredictor.load(EvalCommand.modelDir(model).resolve(LearnedWorldModel.PREDICTOR_DIR), dev)
                : AcPredictor.create(PredictorConfig.preset(PredictorConfig.Preset.parse(preset), SIM_STATE_DIM), dev, 1)) {
            // Plans roll out from one context frame: 1 + horizon - 1 frames, the predictor's own limit (AcPredictor.rollout).
            if (horizon > p.config().maxFrames())
                throw WmpcException.usage("--horizon " + horizon + " is longer than the predictor holds: use at most " + p.config().maxFrames());
            PlanBenchmark.Result r = PlanBenchmark.run(p, planner, config, repeats, naiveRepeats, 1);
            Report report = new Report("plan", r.planner(), samples, iterations, horizon, model != null ? model : preset,
                    r.device(), threads, r.msPerPlan(), r.gflopPerPlan(), r.achievedGflops(), r.sgemmGflops(),
                    Double.isNaN(r.naiveMsPerPlan()) ? null : r.naiveMsPerPlan(), Double.isNaN(r.kvSpeedup()) ? null : r.kvSpeedup());
            System.out.printf(Locale.ROOT, "%s plan, S=%d I=%d H=%d on %s: %.1f ms per plan, %.2f GFLOP per plan, %.1f GFLOP/s "
                            + "(sgemm %.1f GFLOP/s)%s%n", r.planner(), samples, iterations, horizon, r.device(), r.msPerPlan(),
                    r.gflopPerPlan(), r.achievedGflops(), r.sgemmGflops(),
                    Double.isNaN(r.naiveMsPerPlan()) ? "" : String.format(Locale.ROOT, "; without KV cache %.1f ms (%.2fx)", r.naiveMsPerPlan(), r.kvSpeedup()));
            common.report(report);
        }
        return 0;
    }
}
