package dev.wmpc.launch;

import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.ClipSource;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.JepaTrainer;
import dev.wmpc.perception.LossCurvePlot;
import dev.wmpc.perception.TrainConfig;
import dev.wmpc.perception.VideoEncoder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wmpc train encoder}: V-JEPA self-supervised training of the video encoder. */
@Command(name = "encoder", mixinStandardHelpOptions = true,
        description = {"Train the video encoder self-supervised (V-JEPA: predict latents of masked space-time blocks).",
                "MODEL gets config.json + encoder.params; MODEL/training gets the checkpoint, loss-curve.png and summary.json."})
public final class TrainEncoderCommand implements Runnable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TrainEncoderCommand.class);

    @Mixin CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder, or 'synthetic[:EPISODES:FRAMES]' (moving squares).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Model folder to write.")
    Path out;

    @Option(names = "--preset", defaultValue = "tiny", description = "Encoder size: tiny (64x64, dim 192, depth 6) or small (128x128, dim 384, depth 12) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--steps", paramLabel = "K", description = "Optimizer steps in the run (default: 2000; with --resume: the checkpoint's).")
    Integer steps;

    @Option(names = "--batch", defaultValue = "16", description = "Clips per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--frames", defaultValue = "4", description = "Frames per training clip, a multiple of 2 (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--lr", defaultValue = "2e-4", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--camera", paramLabel = "KEY[,KEY...]",
            description = "Dataset camera (video feature) to read (default: the first); several, comma-separated, train one encoder on every camera's clips.")
    String camera;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--variance-weight", defaultValue = "" + TrainConfig.DEFAULT_VARIANCE_WEIGHT, paramLabel = "W",
            description = "Weight of the variance hinge on the context encoder's tokens, which keeps every latent dimension spread (0: off; default: ${DEFAULT-VALUE}).")
    double varianceWeight;

    @Option(names = "--covariance-weight", defaultValue = "" + TrainConfig.DEFAULT_COVARIANCE_WEIGHT, paramLabel = "W",
            description = "Weight of the off-diagonal covariance penalty on the same tokens, which keeps the dimensions decorrelated (0: off; default: ${DEFAULT-VALUE}).")
    double covarianceWeight;

    @Option(names = "--stem-channels", defaultValue = "0", paramLabel = "C",
            description = "Add a convolutional stem to the patch embedding, ending in C channels (e.g. 128 for tiny; "
                    + "0: the plain linear patch embedding, as the shipped model; default: ${DEFAULT-VALUE}).")
    int stemChannels;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra-op threads (default: all cores).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue from MODEL/training/checkpoint (its config; --steps may extend the run).")
    boolean resume;

    private EncoderConfig encoderConfig() {
        EncoderConfig base = EncoderConfig.Preset.parse(preset).config();
        if (stemChannels == 0) return base;
        try {
            return base.withStemChannels(stemChannels);
        } catch (WmpcException e) {
            throw WmpcException.usage("--stem-channels " + stemChannels + " does not fit the " + preset + " preset: " + e.getMessage());
        }
    }

    @Override public void run() {
        common.applyLogging();
        if (threads != null) System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        var dev = VideoEncoder.parseDevice(device);
        Path trainingDir = out.resolve("training");
        Path checkpoint = trainingDir.resolve("checkpoint");
        if (!resume && Files.exists(checkpoint))
            throw WmpcException.usage(out + " already holds a training run: pass --resume to continue it, or choose another --out");
        TrainConfig fresh = null;
        if (!resume) {
            try {
                int k = steps == null ? 2000 : steps;
                fresh = TrainConfig.defaults(k, batch, seed).withFrames(frames).withLearningRate(lr, Math.max(1, Math.min(200, k / 10)))
                        .withCheckpointEvery(checkpointEvery).withRegulariser(varianceWeight, covarianceWeight);
            } catch (IllegalArgumentException e) {
                throw WmpcException.usage(e.getMessage());
            }
        }
        try (ClipSource source = ClipSource.open(data, seed, camera);
             JepaTrainer trainer = resume ? JepaTrainer.resume(checkpoint, steps == null ? 0 : steps, dev)
                     : JepaTrainer.create(encoderConfig(), fresh, dev)) {
            PrintStream err = System.err;
            Progress progress = new Progress(err, !common.json || System.console() != null);
            double[] rss = {Double.NaN, Double.NaN};
            int rssAt = Math.max(trainer.step() + 1, Math.min(trainer.trainConfig().steps(), trainer.step() + 20));
            int traceEvery = Math.max(1, (trainer.trainConfig().steps() - trainer.step()) / 10);
            java.util.List<Map<String, Object>> memory = new java.util.ArrayList<>();
            JepaTrainer.Result r = trainer.train(source, checkpoint, s -> {
                progress.update(s);
                if (s.step() == rssAt) rss[0] = residentMb();
                if (s.step() % traceEvery == 0) {
                    Runtime rt = Runtime.getRuntime();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", s.step());
                    m.put("rss_mb", residentMb());
                    m.put("java_heap_mb", rt.totalMemory() / 1048576.0);
                    m.put("live_arrays", trainer.liveArrays());
                    memory.add(m);
                    log.debug("memory at step {}: {}", s.step(), m);
                }
            });
            rss[1] = residentMb();
            progress.finish();
            trainer.saveEncoder(out);
            LossCurvePlot.write(trainingDir.resolve("loss-curve.png"), r.losses(),
                    "V-JEPA encoder (" + trainer.encoderConfig().dim() + "-d, depth " + trainer.encoderConfig().depth() + ") on " + source.describe());
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("model", out.toString());
            summary.put("data", source.describe());
            summary.put("encoder", trainer.encoderConfig());
            summary.put("steps", r.steps());
            summary.put("resumed_from_step", r.startStep());
            summary.put("batch", trainer.trainConfig().batch());
            summary.put("frames", trainer.trainConfig().frames());
            summary.put("variance_weight", trainer.trainConfig().varianceWeight());
            summary.put("covariance_weight", trainer.trainConfig().covarianceWeight());
            summary.put("parameters", r.parameterCount());
            summary.put("first_loss", r.firstLoss());
            summary.put("final_loss", r.finalLoss());
            summary.put("min_loss", r.minLoss());
            summary.put("target_std", r.finalTargetStd());
            summary.put("target_participation_ratio", r.finalTargetRank());
            summary.put("seconds", r.seconds());
            summary.put("clips_per_s", r.clipsPerSecond());
            summary.put("rss_mb_early", rss[0]);
            summary.put("rss_mb_end", rss[1]);
            summary.put("memory_trace", memory);
            summary.put("device", dev.toString());
            summary.put("loss_curve", trainingDir.resolve("loss-curve.png").toString());
            try {
                Files.writeString(trainingDir.resolve("summary.json"), CommonOptions.toJson(summary) + "\n");
            } catch (IOException e) {
                throw new WmpcException("cannot write " + trainingDir.resolve("summary.json") + ": " + e.getMessage(), e);
            }
            if (!common.json)
                System.out.printf(Locale.ROOT, "trained %d steps in %.1f s (%.1f clips/s): loss %.4f -> %.4f; model in %s%n",
                        r.steps() - r.startStep(), r.seconds(), r.clipsPerSecond(), r.firstLoss(), r.finalLoss(), out);
            common.report(summary);
        }
    }

    /** Resident set size of this process in MB (Linux), NaN elsewhere: native memory shows here. */
    static double residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** A one-line progress bar on stderr (redrawn in place on a terminal, a line per 5% otherwise). */
    static final class Progress {
        private final PrintStream out;
        private final boolean enabled;
        private final boolean tty = System.console() != null;
        private int lastPercent = -1;

        Progress(PrintStream out, boolean enabled) {
            this.out = out;
            this.enabled = enabled;
        }

        void update(JepaTrainer.StepStats s) {
            if (!enabled) return;
            int percent = (int) (100L * s.step() / s.totalSteps());
            if (!tty && percent / 5 == lastPercent / 5 && s.step() != s.totalSteps()) return;
            lastPercent = percent;
            int width = 30, filled = width * s.step() / s.totalSteps();
            double eta = s.clipsPerSecond() > 0 ? (s.totalSteps() - s.step()) * (s.seconds() / Math.max(1, s.step())) : 0;
            String line = String.format(Locale.ROOT, "[%s%s] %d/%d loss %.4f%s  %.1f clips/s  lr %.1e  eta %ds",
                    "=".repeat(filled), " ".repeat(width - filled), s.step(), s.totalSteps(), s.loss(),
                    s.regulariser() > 0 ? String.format(Locale.ROOT, " (+ spread %.3f)", s.regulariser()) : "",
                    s.clipsPerSecond(), s.learningRate(), Math.round(eta));
            if (tty) out.print("\r" + line);
            else out.println(line);
            out.flush();
        }

        void finish() {
            if (enabled && tty) out.println();
        }
    }
}
