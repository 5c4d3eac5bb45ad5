package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.worldmodel.PredictorConfig;
import dev.wmpc.worldmodel.RolloutBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc bench rollout}: speed of the predictor's batched, KV-cached rollouts (random weights: speed does not
 * depend on training), next to the same rollout without the cache and the engine's sgemm rate in the same process.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Predictor rollout speed: ms and GFLOP/s per batched KV-cached rollout, vs sgemm and vs no cache.")
public final class BenchRolloutCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--samples", defaultValue = "256", paramLabel = "S", description = "Action sequences per rollout (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--horizon", defaultValue = "5", paramLabel = "H", description = "Predicted steps (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--preset", defaultValue = "tiny", paramLabel = "NAME", description = "Predictor preset: tiny (192 x 6) or small (384 x 12) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N", description = "Timed cached rollouts after one warm-up; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--naive-repeats", defaultValue = "1", paramLabel = "N", description = "Timed rollouts without the KV cache; 0 skips them (default: ${DEFAULT-VALUE}).")
    int naiveRepeats;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra-op threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--state-dim", defaultValue = "15", paramLabel = "N", description = "Proprio state size (default: ${DEFAULT-VALUE}: 7 joints + pose + gripper).")
    int stateDim;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the random weights and inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The JSON object of --json. */
    public record Report(String benchmark, String preset, int samples, int horizon, int threads, String device,
                         @JsonProperty("ms_per_rollout") double msPerRollout,
                         @JsonProperty("gflop_per_rollout") double gflopPerRollout,
                         @JsonProperty("achieved_gflops") double achievedGflops,
                         @JsonProperty("sgemm_gflops") double sgemmGflops,
                         @JsonProperty("achieved_fraction_of_sgemm") double fractionOfSgemm,
                         @JsonProperty("naive_ms_per_rollout") Double naiveMsPerRollout,
                         @JsonProperty("naive_gflop_per_rollout") double naiveGflopPerRollout,
                         @JsonProperty("kv_cache_speedup") Double kvSpeedup,
                         @JsonProperty("native_growth_mb") double nativeGrowthMb) {}

    @Override public Integer call() {
        common.applyLogging();
        if (samples < 1) throw WmpcException.usage("--samples must be >= 1, got " + samples);
        if (horizon < 1) throw WmpcException.usage("--horizon must be >= 1, got " + horizon);
        if (repeats < 1) throw WmpcException.usage("--repeats must be >= 1, got " + repeats);
        if (stateDim < 1) throw WmpcException.usage("--state-dim must be >= 1, got " + stateDim);
        if (naiveRepeats < 0) throw WmpcException.usage("--naive-repeats must be >= 0, got " + naiveRepeats);
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) throw WmpcException.usage("--threads must be >= 1, got " + t);
        // Read by the PyTorch engine when it starts (no effect if it already started in this process).
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(t));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        PredictorConfig base = PredictorConfig.preset(PredictorConfig.Preset.parse(preset), stateDim);
        PredictorConfig config = new PredictorConfig(base.latentDim(), base.gridHeight(), base.gridWidth(),
                base.actionDim(), base.stateDim(), base.width(), base.depth(), base.heads(), base.mlpRatio(),
                Math.max(base.maxFrames(), horizon), null, null, null, null, null);
        var dev = VideoEncoder.parseDevice(device);
        RolloutBenchmark.Result r = RolloutBenchmark.run(config, dev, samples, horizon, repeats, naiveRepeats, seed);
        boolean naive = naiveRepeats > 0;
        Report report = new Report("rollout", preset.toLowerCase(java.util.Locale.ROOT), samples, horizon, r.threads(),
                dev.toString(), r.msPerRollout(), r.gflopPerRollout(), r.achievedGflops(), r.sgemmGflops(),
                r.achievedGflops() / r.sgemmGflops(), naive ? r.naiveMsPerRollout() : null, r.naiveGflopPerRollout(),
                naive ? r.kvSpeedup() : null, r.nativeGrowthMb());
        System.out.printf(java.util.Locale.ROOT, "rollout %s, %d samples x %d steps, %d threads: %.1f ms (%.1f GFLOP,"
                        + " %.1f GFLOP/s = %.0f%% of sgemm %.1f GFLOP/s)%n", report.preset(), samples, horizon,
                r.threads(), r.msPerRollout(), r.gflopPerRollout(), r.achievedGflops(), 100 * report.fractionOfSgemm(),
                r.sgemmGflops());
        if (naive)
            System.out.printf(java.util.Locale.ROOT, "without KV cache: %.1f ms (%.1f GFLOP): cache is %.1fx faster%n",
                    r.naiveMsPerRollout(), r.naiveGflopPerRollout(), r.kvSpeedup());
        common.report(report);
        return 0;
    }
}
