package dev.wmpc.launch;

import ai.djl.Device;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.worldmodel.LatentCache;
import dev.wmpc.worldmodel.PredictorConfig;
import dev.wmpc.worldmodel.PredictorTrainer;
import dev.wmpc.worldmodel.TrainOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc train predictor}: encodes the dataset once with the frozen encoder (a latent cache reused across runs),
 * then trains the action-conditioned predictor on the latents.
 */
@Command(name = "predictor", mixinStandardHelpOptions = true,
        description = "Train the action-conditioned latent predictor on a dataset encoded by a frozen encoder.")
public final class TrainPredictorCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "LeRobot v3 dataset folder.")
    Path data;

    @Option(names = "--encoder", required = true, paramLabel = "MODEL", description = "Encoder model folder (from 'wmpc train encoder').")
    Path encoder;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Output predictor folder (model + checkpoint).")
    Path out;

    @Option(names = "--steps", defaultValue = "2000", paramLabel = "K", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--preset", paramLabel = "NAME", description = "Predictor size: tiny (192 x 6) or small (384 x 12) (default: the encoder's width: 192 -> tiny, else small).")
    String preset;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "B", description = "Clips per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--clip-frames", defaultValue = "6", paramLabel = "T", description = "Latent frames per training clip (default: ${DEFAULT-VALUE}).")
    int clipFrames;

    @Option(names = "--rollout-steps", defaultValue = "2", paramLabel = "K", description = "Autoregressive steps of the rollout loss (default: ${DEFAULT-VALUE}).")
    int rolloutSteps;

    @Option(names = "--lr", defaultValue = "3e-4", paramLabel = "LR", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Steps between checkpoints (default: steps/4 within 50..500).")
    Integer checkpointEvery;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the weights and the batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue the run checkpointed in --out.")
    boolean resume;

    @Option(names = "--cache", paramLabel = "DIR", description = "Latent cache folder (default: $XDG_CACHE_HOME/wmpc/latents or ~/.cache/wmpc/latents).")
    Path cache;

    @Option(names = "--camera", paramLabel = "KEY", description = "Camera feature to encode (default: the dataset's first).")
    String camera;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "N", description = "Frames per latent step; actions dx/dy/dz are summed over it (default: ${DEFAULT-VALUE}).")
    int stride;

    @Override public Integer call() {
        common.applyLogging();
        if (!Files.isDirectory(data)) throw WmpcException.usage("--data " + data + " is not a folder: pass a dataset folder");
        if (steps < 1) throw WmpcException.usage("--steps must be >= 1, got " + steps);
        Device dev = VideoEncoder.parseDevice(device);
        PrintStream err = System.err;
        LatentCache latents;
        try (VideoEncoder enc = VideoEncoder.load(encoder, dev)) {
            latents = LatentCache.openOrBuild(cacheRoot(cache), data, encoder, enc, camera, stride,
                    (done, total) -> progress(err, "encoding", done, total, ""));
        }
        var spec = latents.spec();
        int width = spec.latentDim();
        PredictorConfig.Preset p = preset != null ? PredictorConfig.Preset.parse(preset)
                : width == 192 ? PredictorConfig.Preset.TINY : PredictorConfig.Preset.SMALL;
        PredictorConfig config = new PredictorConfig(spec.latentDim(), spec.gridHeight(), spec.gridWidth(),
                spec.actionDim(), spec.stateDim(), p.width, p.depth, p.heads, 4, Math.max(8, clipFrames), null, null,
                null, null, null);
        TrainOptions d = TrainOptions.defaults(steps, seed);
        TrainOptions o;
        try {
            o = new TrainOptions(steps, batch, clipFrames, rolloutSteps, lr, d.minLearningRate(), d.warmupSteps(),
                    d.weightDecay(), d.gradClip(), checkpointEvery == null ? d.checkpointEvery() : checkpointEvery, seed,
                    resume);
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage());
        }
        PredictorTrainer.Result r = PredictorTrainer.train(latents, config, o, out, dev,
                (step, total, loss, rate, sec) -> progress(err, "training", step, total,
                        String.format(Locale.ROOT, "loss %.4f  lr %.2e  %.0f ms/step", loss, rate, sec * 1e3)));
        System.out.printf(Locale.ROOT, "predictor %s: %d steps in %.0f s, loss %.4f -> %.4f (latent cache %s)%n", out,
                r.steps(), r.seconds(), r.firstLoss(), r.finalLoss(), latents.dir());
        if (r.eval() != null)
            System.out.printf(Locale.ROOT, "held-out L1 by step %s vs copy-last %s%n", fmt(r.eval().l1()),
                    fmt(r.eval().copyLastL1()));
        var summary = new java.util.LinkedHashMap<>(PredictorTrainer.summary(r));
        summary.put("latent_cache", latents.dir().toString());
        summary.put("stride", latents.stride());
        common.report(summary);
        return 0;
    }

    /** The latent cache root: the option, else $XDG_CACHE_HOME/wmpc/latents, else ~/.cache/wmpc/latents. */
    static Path cacheRoot(Path option) {
        if (option != null) return option;
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("wmpc").resolve("latents");
    }

    static void progress(PrintStream err, String label, int done, int total, String extra) {
        int width = 24, filled = total == 0 ? width : (int) ((long) width * done / total);
        err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total
                + "  " + extra + "   ");
        if (done >= total) err.println();
        err.flush();
    }

    static String fmt(java.util.List<Double> v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.size(); i++) b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v.get(i)));
        return b.append("]").toString();
    }
}
