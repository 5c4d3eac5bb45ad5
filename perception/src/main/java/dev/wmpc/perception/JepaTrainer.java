package dev.wmpc.perception;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * V-JEPA self-supervised training of a {@link VideoEncoder}: a context encoder sees the visible tokens of a clip,
 * a target encoder (EMA of the context encoder) sees all of them, and a narrow predictor with mask tokens predicts
 * the target encoder's (layer-normalised) latents of the masked tokens under an L1 loss. An optional VICReg-style
 * spread penalty on the context encoder's output tokens ({@link TrainConfig#varianceWeight()},
 * {@link TrainConfig#covarianceWeight()}) keeps the latents from gathering in a few directions. AdamW with warmup and
 * cosine decay, global gradient-norm clipping, EMA momentum rising to 1. Each step runs in its own NDManager.
 */
public final class JepaTrainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JepaTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String STATE_FILE = "state.json", OPTIMIZER_FILE = "optimizer.npz";

    /**
     * What a step reports. {@code loss} is the prediction loss, {@code regulariser} the weighted spread penalty (0 when
     * off). {@code targetStd} and {@code targetRank} are NaN on steps without a collapse check.
     */
    public record StepStats(int step, int totalSteps, double loss, double learningRate, double momentum, double gradNorm,
                            double clipsPerSecond, double targetStd, double seconds, double regulariser, double targetRank) {}

    /** The saved progress of a run (checkpoint state.json). */
    public record CheckpointState(int step, EncoderConfig encoder, TrainConfig train, List<Double> losses,
                                  List<Double> targetStds, double seconds) {}

    /** How a run ended. */
    public record Result(int steps, int startStep, double firstLoss, double finalLoss, double minLoss, double seconds,
                         double clipsPerSecond, double finalTargetStd, double finalTargetRank, long parameterCount, List<Double> losses) {}

    private final EncoderConfig config;
    private TrainConfig train;
    private final EncoderNetwork encoderNet;
    private final PredictorNetwork predictorNet;
    private final NDManager root;
    private final ParameterSet online;
    private final ParameterSet target;
    private final AdamW optimizer;
    private final FramePreprocessor preprocessor;
    /** The batch's pixels, reused every step: tensors alias it (from_blob), so no direct buffer per step waits for GC. */
    private java.nio.ByteBuffer batchBuffer;
    private int step;
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> targetStds = new ArrayList<>();
    private double elapsed;

    private JepaTrainer(EncoderConfig config, TrainConfig train, NDManager root, ParameterSet online, ParameterSet target) {
        this.config = config;
        this.train = train;
        this.encoderNet = new EncoderNetwork(config, root);
        this.predictorNet = new PredictorNetwork(encoderNet);
        this.root = root;
        this.online = online;
        this.target = target;
        this.optimizer = new AdamW(root, (float) train.weightDecay(), (float) train.clipNorm());
        this.preprocessor = new FramePreprocessor(config.imageSize());
        online.requireGradients();
        if (train.frames() % config.tubelet() != 0)
            throw new WmpcException("training clips of " + train.frames() + " frames are not whole tubelets of " + config.tubelet());
    }

    static ParameterSet.Layout onlineLayout(EncoderConfig c) {
        return new ParameterSet.Layout().addAll(EncoderNetwork.layout(c)).addAll(PredictorNetwork.layout(c));
    }

    /** A fresh run: random context encoder and predictor from the seed, target = copy of the context encoder. */
    public static JepaTrainer create(EncoderConfig config, TrainConfig train, Device device) {
        NDManager root = NDManager.newBaseManager(VideoEncoder.checkDevice(device));
        try {
            ParameterSet.Layout layout = onlineLayout(config);
            ParameterSet online = ParameterSet.create(root, layout, train.seed());
            ParameterSet target = ParameterSet.create(root, EncoderNetwork.layout(config), train.seed());
            target.copyFrom(online);
            return new JepaTrainer(config, train, root, online, target);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** Continues a run from a checkpoint folder; {@code steps} > 0 changes the run's total steps. */
    public static JepaTrainer resume(Path checkpoint, int steps, Device device) {
        Path stateFile = checkpoint.resolve(STATE_FILE);
        if (!Files.isRegularFile(stateFile))
            throw new WmpcException("cannot resume: no checkpoint at " + checkpoint + " (run without --resume to start fresh)");
        CheckpointState state;
        try {
            state = JSON.readValue(stateFile.toFile(), CheckpointState.class);
        } catch (IOException e) {
            throw new WmpcException("cannot resume: " + stateFile + " is unreadable: " + e.getMessage(), e);
        }
        TrainConfig train = steps > 0 ? state.train().withSteps(steps) : state.train();
        NDManager root = NDManager.newBaseManager(VideoEncoder.checkDevice(device));
        try {
            ParameterSet.Layout layout = onlineLayout(state.encoder());
            JepaTrainer t = new JepaTrainer(state.encoder(), train, root,
                    ParameterSet.load(root, layout, checkpoint.resolve("online.params")),
                    ParameterSet.load(root, EncoderNetwork.layout(state.encoder()), checkpoint.resolve("target.params")));
            t.optimizer.load(checkpoint.resolve(OPTIMIZER_FILE), state.step());
            t.step = state.step();
            t.losses.addAll(state.losses());
            t.targetStds.addAll(state.targetStds());
            t.elapsed = state.seconds();
            return t;
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    public EncoderConfig encoderConfig() { return config; }
    public TrainConfig trainConfig() { return train; }
    public int step() { return step; }
    public List<Double> losses() { return List.copyOf(losses); }

    /** Arrays held by the trainer's long-lived manager: constant across steps when nothing leaks. */
    public int liveArrays() { return root.getManagedArrays().size(); }

    /**
     * Trains until the configured step count. Writes a checkpoint every {@code checkpointEvery} steps and at the
     * end when {@code checkpoint} is not null. Throws {@link WmpcException} when the representation collapses.
     */
    public Result train(ClipSource source, Path checkpoint, Consumer<StepStats> listener) {
        checkSource(source);
        int start = step;
        long t0 = System.nanoTime();
        double rate = Double.NaN;
        int lowStd = 0;
        double lastStd = targetStds.isEmpty() ? Double.NaN : targetStds.get(targetStds.size() - 1);
        double lastRank = Double.NaN;
        while (step < train.steps()) {
            long s0 = System.nanoTime();
            boolean stats = train.statsEvery() > 0 && (step % train.statsEvery() == 0 || step == train.steps() - 1);
            double[] out = runStep(source, step, stats);
            double loss = out[0];
            if (!Double.isFinite(loss) || !Double.isFinite(out[4]))
                throw new WmpcException("training diverged at step " + step + ": loss is " + loss + " (lower --lr)");
            losses.add(loss);
            double dt = (System.nanoTime() - s0) / 1e9;
            double r = train.batch() / dt;
            rate = Double.isNaN(rate) ? r : 0.9 * rate + 0.1 * r;
            if (stats) {
                lastStd = out[2];
                lastRank = out[5];
                targetStds.add(lastStd);
                lowStd = lastStd < train.collapseStd() ? lowStd + 1 : 0;
                log.debug("step {} loss {} target per-dim std mean {} min {}, participation ratio {}", step, loss, out[2], out[3], out[5]);
                if (lowStd >= 3)
                    throw new WmpcException(String.format(java.util.Locale.ROOT,
                            "encoder collapsed at step %d: target latents' mean per-dimension std is %.2e (< %.0e for 3 checks); "
                                    + "every clip maps to the same latent. Lower --lr, raise the EMA start momentum or use more varied data",
                            step, lastStd, train.collapseStd()));
            }
            step++;
            elapsed += dt;
            if (listener != null)
                listener.accept(new StepStats(step, train.steps(), loss, train.learningRateAt(step - 1),
                        train.momentumAt(step - 1), out[1], rate, stats ? out[2] : Double.NaN, elapsed, out[4], stats ? out[5] : Double.NaN));
            if (checkpoint != null && train.checkpointEvery() > 0 && step % train.checkpointEvery() == 0 && step < train.steps())
                saveCheckpoint(checkpoint);
        }
        if (checkpoint != null) saveCheckpoint(checkpoint);
        double secs = (System.nanoTime() - t0) / 1e9;
        List<Double> run = losses.subList(start, losses.size());
        double min = run.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        return new Result(step, start, run.isEmpty() ? Double.NaN : run.get(0), run.isEmpty() ? Double.NaN : run.get(run.size() - 1),
                min, secs, (step - start) * (double) train.batch() / Math.max(secs, 1e-9), lastStd, lastRank, online.size(), List.copyOf(losses));
    }

    private void checkSource(ClipSource source) {
        if (source.episodes() == 0) throw new WmpcException("no episodes in " + source.describe());
        for (int e = 0; e < source.episodes(); e++) if (source.length(e) >= train.frames()) return;
        throw new WmpcException("no episode in " + source.describe() + " has " + train.frames() + " frames for a training clip");
    }

    /** The clips of a step as {@code [B, T, 3, S, S]} floats, drawn from the step's own random stream. */
    float[] sampleBatch(ClipSource source, Random rng) {
        int frames = train.frames(), len = preprocessor.frameLength();
        float[] data = new float[train.batch() * frames * len];
        for (int b = 0; b < train.batch(); b++) {
            int ep, n;
            do {
                ep = rng.nextInt(source.episodes());
                n = source.length(ep);
            } while (n < frames);
            VideoClip clip = source.clip(ep, rng.nextInt(n - frames + 1), frames);
            for (int f = 0; f < frames; f++)
                preprocessor.preprocessRgb(clip.rgb(), clip.frameOffset(f), clip.width(), clip.height(), data, (b * frames + f) * len);
        }
        return data;
    }

    /** One step; returns {loss, grad norm, mean target std, min target std}. */
    private double[] runStep(ClipSource source, int s, boolean stats) {
        Random rng = new Random(train.seed() * 1_000_003L + s);
        int frames = train.frames(), size = config.imageSize(), batch = train.batch();
        int tub = frames / config.tubelet(), g = config.gridSize();
        float[] data = sampleBatch(source, rng);
        MaskSpec spec = train.masks().get(s % train.masks().size());
        MaskGenerator.BatchMask mask = new MaskGenerator(tub, g, g).sampleBatch(spec, batch, rng);
        double lr = train.learningRateAt(s), momentum = train.momentumAt(s);
        try (NDManager sm = root.newSubManager()) {
            online.tempAttach(sm);
            target.tempAttach(sm);
            if (batchBuffer == null || batchBuffer.capacity() != data.length * 4)
                batchBuffer = java.nio.ByteBuffer.allocateDirect(data.length * 4).order(java.nio.ByteOrder.nativeOrder());
            batchBuffer.clear();
            batchBuffer.asFloatBuffer().put(data);
            NDArray clips = sm.create(batchBuffer, new Shape(batch, frames, 3, size, size), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray ctxIdx = sm.create(mask.context(), new Shape(batch, mask.contextCount()));
            NDArray tgtIdx = sm.create(mask.target(), new Shape(batch, mask.targetCount()));

            // Target encoder on all tokens (no gradients), normalised per token, masked tokens picked.
            NDArray full = encoderNet.forward(target, clips).stopGradient();
            Shape d = new Shape(config.dim());
            NDArray normalised = LayerNorm.layerNorm(full, d, sm.ones(d), sm.zeros(d), 1e-6f).singletonOrThrow();
            NDArray targets = EncoderNetwork.gatherTokens(normalised, tgtIdx);
            double stdMean = Double.NaN, stdMin = Double.NaN, rank = Double.NaN;
            if (stats) {
                // Spread of the (normalised) targets across the batch's tokens, per dimension: ~1 when healthy,
                // -> 0 when every token maps to the same latent.
                NDArray flat = normalised.reshape(-1, config.dim());
                NDArray std = flat.sub(flat.mean(new int[] {0}, true)).square().mean(new int[] {0}).sqrt();
                stdMean = std.mean().getFloat();
                stdMin = std.min().getFloat();
                rank = participationRatio(flat);
            }

            double loss, penalty = 0;
            try (GradientCollector gc = Engine.getEngine(sm.getEngine().getEngineName()).newGradientCollector()) {
                NDArray ctx = EncoderNetwork.gatherTokens(encoderNet.embed(online, clips), ctxIdx);
                ctx = encoderNet.blocks(online, ctx);
                NDArray pred = predictorNet.forward(online, ctx, ctxIdx, tgtIdx, tub);
                NDArray l = pred.sub(targets).abs().mean();
                if (train.varianceWeight() > 0 || train.covarianceWeight() > 0) {
                    NDArray p = spreadPenalty(ctx.reshape(-1, config.dim()), train.varianceWeight(), train.covarianceWeight());
                    loss = l.getFloat();
                    penalty = p.getFloat();
                    l = l.add(p);
                } else {
                    loss = l.getFloat();
                }
                gc.backward(l);
            }

            Map<String, NDArray> params = online.arrays();
            double norm = optimizer.step(params, (float) lr);

            // EMA of the context encoder into the target encoder.
            float m = (float) momentum;
            for (Map.Entry<String, NDArray> e : target.arrays().entrySet())
                e.getValue().muli(m).addi(params.get(e.getKey()).mul(1 - m));
            return new double[] {loss, norm, stdMean, stdMin, penalty, rank};
        }
    }

    /**
     * The participation ratio {@code tr(C)² / ‖C‖²_F} of the covariance {@code C} of tokens {@code [n, D]}: the number
     * of directions their variance is spread over, from 1 (all along one line) to D (the same in every direction).
     * Per-dimension std stays healthy when everything varies along a few shared directions; this does not.
     */
    static double participationRatio(NDArray tokens) {
        NDArray centred = tokens.sub(tokens.mean(new int[] {0}, true));
        NDArray cov = centred.transpose().matMul(centred).div(tokens.getShape().get(0));
        double trace = centred.square().sum().getFloat() / tokens.getShape().get(0);
        return trace * trace / cov.square().sum().getFloat();
    }

    /**
     * VICReg-style spread of tokens {@code [n, D]}: {@code varianceWeight} × the mean hinge {@code max(0, 1 − std_d)}
     * keeping each dimension's standard deviation at 1 or more, plus {@code covarianceWeight} × the sum of squared
     * off-diagonal covariances over D, keeping the dimensions decorrelated. JEPA's loss alone lets the latents' variance
     * gather in a few directions (dimensional collapse) while every dimension still varies.
     */
    static NDArray spreadPenalty(NDArray tokens, double varianceWeight, double covarianceWeight) {
        long n = tokens.getShape().get(0), dim = tokens.getShape().get(1);
        NDArray centred = tokens.sub(tokens.mean(new int[] {0}, true));
        NDArray variance = centred.square().sum(new int[] {0}).div(scalar(tokens, n - 1));
        NDArray hinge = variance.add(1e-4f).sqrt().neg().add(1f).maximum(scalar(tokens, 0)).mean();
        NDArray cov = centred.transpose().matMul(centred).div(scalar(tokens, n - 1));
        NDArray offDiagonal = cov.square().sum().sub(variance.square().sum()).div(scalar(tokens, dim));
        return hinge.mul(scalar(tokens, varianceWeight)).add(offDiagonal.mul(scalar(tokens, covarianceWeight)));
    }

    /**
     * A float scalar owned by {@code like}'s manager, for arithmetic that autograd records. DJL's {@code mul(Number)},
     * {@code div(Number)} and {@code maximum(Number)} wrap the number in a tensor over a direct buffer that only their
     * at-once-closed wrapper keeps alive; autograd saves that tensor for the backward pass, so a garbage collection
     * between forward and backward freed the memory the gradient then read (trainings that should be identical
     * differed, now and then).
     */
    static NDArray scalar(NDArray like, double value) {
        return like.getManager().create((float) value);
    }

    /** Writes the run's state to a temporary sibling folder and renames it over {@code dir}. */
    public void saveCheckpoint(Path dir) {
        try {
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp-");
            try {
                online.save(tmp.resolve("online.params"));
                target.save(tmp.resolve("target.params"));
                optimizer.save(tmp.resolve(OPTIMIZER_FILE));
                JSON.writeValue(tmp.resolve(STATE_FILE).toFile(),
                        new CheckpointState(step, config, train, List.copyOf(losses), List.copyOf(targetStds), elapsed));
                Durable.replaceDirectory(tmp, dir.toAbsolutePath());
            } finally {
                Durable.deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new WmpcException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Saves the target encoder (V-JEPA's evaluation encoder) as a model folder. */
    public void saveEncoder(Path dir) {
        VideoEncoder.save(dir, config, target);
    }

    /** A copy of the current target encoder. */
    public VideoEncoder encoder() {
        return VideoEncoder.fromParameters(config, target);
    }

    @Override public void close() {
        root.close();
    }
}
