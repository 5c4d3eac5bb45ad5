package dev.wmpc.launch;

import dev.wmpc.perception.ConvEncoder;
import dev.wmpc.worldmodel.FrameEpisodes;
import dev.wmpc.worldmodel.WorldModelTrainer;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.ClipSource;
import dev.wmpc.perception.ProbeEvaluator;
import dev.wmpc.perception.VideoEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wmpc eval probe}: linear or attentive probes from frozen encoder latents to end-effector and object positions. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Probes from frozen latents (pooled + patch) to end-effector and object xyz:",
                "ridge regression, or V-JEPA's attentive probe with --readout attentive.",
                "Fitted on four of every five episodes, scored (R²) on the fifth; the same",
                "architecture at random init is probed as the baseline."})
public final class EvalProbeCommand implements Runnable {
    @Mixin CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder, or 'synthetic[:EPISODES:FRAMES]'.")
    String data;

    @Option(names = "--encoder", required = true, paramLabel = "MODEL", description = "Encoder model folder, or 'default' (the shipped model).")
    String encoder;

    @Option(names = "--camera", paramLabel = "KEY[,KEY...]",
            description = "Dataset camera (video feature) to read (default: the first); several, comma-separated, are probed together (one linear map of every view's latents).")
    String camera;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--max-samples", defaultValue = "10000", paramLabel = "N", description = "Most training clips probed (default: ${DEFAULT-VALUE}; held-out: 2/3 of it).")
    int maxSamples;

    @Option(names = "--components", defaultValue = "" + ProbeEvaluator.DEFAULT_COMPONENTS, paramLabel = "K",
            description = "Principal directions of the patch tokens each token is projected on before the ridge fit (default: ${DEFAULT-VALUE}).")
    int components;

    @Option(names = "--readout", defaultValue = "linear", paramLabel = "linear|attentive",
            description = {"How the latents are read: linear (ridge, the default) or attentive (V-JEPA's attentive probe: a learned query",
                    "cross-attends to the tokens; trained on the training episodes, its checkpoint chosen on a validation split). The linear",
                    "figures are reported beside the attentive ones."})
    String readout;

    @Option(names = "--probe-steps", defaultValue = "" + ProbeEvaluator.DEFAULT_PROBE_STEPS, paramLabel = "N",
            description = "Batches of 128 clips the attentive probe trains on (default: ${DEFAULT-VALUE}).")
    int probeSteps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random-init baseline and of synthetic data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override public void run() {
        common.applyLogging();
        if (maxSamples < 20) throw WmpcException.usage("--max-samples must be >= 20, got " + maxSamples);
        if (components < 1) throw WmpcException.usage("--components must be >= 1, got " + components);
        if (probeSteps < 1) throw WmpcException.usage("--probe-steps must be >= 1, got " + probeSteps);
        ProbeEvaluator.Readout kind;
        try {
            kind = ProbeEvaluator.Readout.parse(readout);
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage("--readout: " + e.getMessage());
        }
        var dev = VideoEncoder.parseDevice(device);
        Path model = DefaultModel.encoder(encoder);
        if (ConvEncoder.isConvEncoder(model)) {
            if (kind == ProbeEvaluator.Readout.ATTENTIVE)
                throw WmpcException.usage("--readout attentive reads a grid of patch tokens, but this world model's latent is one "
                        + "vector per frame: use --readout linear");
            probeWorldModel(model, dev);
            return;
        }
        java.util.List<ClipSource> views = null;
        try (VideoEncoder enc = VideoEncoder.load(model, dev)) {
            views = ClipSource.openViews(data, seed, camera);
            ProbeEvaluator.Report r = new ProbeEvaluator(maxSamples, Math.max(10, maxSamples * 2 / 3), components, kind, probeSteps)
                    .evaluate(enc, views, seed);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("readout", kind.toString());
            out.put("r2_ee", orNull(r.r2Ee()));
            out.put("r2_object", orNull(r.r2Object()));
            out.put("r2_ee_random_init", orNull(r.r2EeRandomInit()));
            out.put("r2_object_random_init", orNull(r.r2ObjectRandomInit()));
            out.put("r2_ee_pooled", orNull(r.r2EePooled()));
            out.put("r2_object_pooled", orNull(r.r2ObjectPooled()));
            out.put("r2_ee_pooled_random_init", orNull(r.r2EePooledRandomInit()));
            out.put("r2_object_pooled_random_init", orNull(r.r2ObjectPooledRandomInit()));
            out.put("r2_ee_xyz", axes(r.r2EeAxes()));
            out.put("r2_object_xyz", axes(r.r2ObjectAxes()));
            out.put("r2_ee_random_init_xyz", axes(r.r2EeRandomInitAxes()));
            out.put("r2_object_random_init_xyz", axes(r.r2ObjectRandomInitAxes()));
            if (kind == ProbeEvaluator.Readout.ATTENTIVE) {
                out.put("r2_ee_linear", orNull(r.r2EeLinear()));
                out.put("r2_object_linear", orNull(r.r2ObjectLinear()));
                out.put("r2_ee_linear_random_init", orNull(r.r2EeLinearRandomInit()));
                out.put("r2_object_linear_random_init", orNull(r.r2ObjectLinearRandomInit()));
                out.put("r2_object_linear_xyz", axes(r.r2ObjectLinearAxes()));
                out.put("probe_steps", probeSteps);
            }
            out.put("train_samples", r.trainSamples());
            out.put("test_samples", r.testSamples());
            out.put("train_episodes", r.trainEpisodes());
            out.put("test_episodes", r.testEpisodes());
            out.put("token_components", r.tokenComponents());
            out.put("encoder", model.toString());
            out.put("data", String.join(" + ", views.stream().map(ClipSource::describe).toList()));
            out.put("views", views.size());
            if (!common.json) {
                System.out.printf(Locale.ROOT, "%s probe R² on %d held-out episodes (%d clips):%n", kind, r.testEpisodes(), r.testSamples());
                System.out.printf(Locale.ROOT, "  end effector: %.3f  (random init %.3f; pooled only %.3f, random init %.3f; x y z %s)%n", r.r2Ee(), r.r2EeRandomInit(), r.r2EePooled(), r.r2EePooledRandomInit(), text(r.r2EeAxes()));
                if (Double.isNaN(r.r2Object())) System.out.println("  object:       n/a (no cube_x/y/z in observation.environment_state or observation.state, or the cube never moves in the held-out episodes)");
                else System.out.printf(Locale.ROOT, "  object:       %.3f  (random init %.3f; pooled only %.3f, random init %.3f; x y z %s)%n", r.r2Object(), r.r2ObjectRandomInit(), r.r2ObjectPooled(), r.r2ObjectPooledRandomInit(), text(r.r2ObjectAxes()));
                if (kind == ProbeEvaluator.Readout.ATTENTIVE)
                    System.out.printf(Locale.ROOT, "  linear probe: end effector %.3f (random init %.3f), object %.3f (random init %.3f)%n",
                            r.r2EeLinear(), r.r2EeLinearRandomInit(), r.r2ObjectLinear(), r.r2ObjectLinearRandomInit());
                System.out.printf(Locale.ROOT, "  (R² is averaged over the axes that vary by more than %.0f mm in the held-out data; '-' marks the others)%n", 1e3 * ProbeEvaluator.MIN_AXIS_SD_M);
            }
            common.report(out);
        } finally {
            if (views != null) views.forEach(ClipSource::close);
        }
    }

    /**
     * The end-to-end world model's latent: one compact vector per frame, probed linearly (ridge) on the dataset's
     * held-out episodes (every tenth), fitted on frames of the training episodes, beside the same CNN at random init.
     */
    private void probeWorldModel(Path model, ai.djl.Device device) {
        if (!java.nio.file.Files.isDirectory(Path.of(data)))
            throw WmpcException.usage("--data " + data + " is not a dataset folder: the world model's latent is probed on recorded episodes");
        FrameEpisodes episodes = FrameEpisodes.load(Path.of(data), camera);
        try (ConvEncoder enc = ConvEncoder.load(model, device)) {
            double[] r = WorldModelTrainer.linearProbes(episodes, enc, seed);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("readout", "linear");
            out.put("r2_ee", orNull(r[0]));
            out.put("r2_object", orNull(r[1]));
            out.put("r2_ee_random_init", orNull(r[2]));
            out.put("r2_object_random_init", orNull(r[3]));
            out.put("test_episodes", episodes.heldOutEpisodes(1).size());
            out.put("encoder", model.toString());
            out.put("data", data);
            if (!common.json)
                System.out.printf(Locale.ROOT, "linear probe R² of the world model's latent on %d held-out episodes: end effector %.3f "
                        + "(random init %.3f), object %.3f (random init %.3f)%n", episodes.heldOutEpisodes(1).size(), r[0], r[2], r[1], r[3]);
            common.report(out);
        }
    }

    /** Per-axis R² for JSON: null for the axes the data does not vary (and for no data at all). */
    private static java.util.List<Double> axes(double[] v) {
        if (v == null) return null;
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (double x : v) out.add(orNull(x));
        return out;
    }

    private static String text(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.isEmpty() ? "" : " ").append(Double.isFinite(x) ? String.format(Locale.ROOT, "%.3f", x) : "-");
        return b.toString();
    }

    /** JSON has no NaN: an R² that cannot be computed (no object positions in the data) is null. */
    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
