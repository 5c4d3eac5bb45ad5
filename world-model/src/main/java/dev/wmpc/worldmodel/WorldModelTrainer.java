package dev.wmpc.worldmodel;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Durable;
import dev.wmpc.perception.AdamW;
import dev.wmpc.perception.LossCurvePlot;
import dev.wmpc.perception.ConvEncoder;
import dev.wmpc.perception.FramePreprocessor;
import dev.wmpc.perception.RidgeProbe;
import dev.wmpc.perception.SigReg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the world model end to end, as LeWorldModel: the {@link ConvEncoder} and the {@link AcPredictor} as one
 * network with two losses, next-latent prediction (mean squared error in the predictor's layer-normalised latent space,
 * teacher forcing over the clip plus a rollout over {@code rolloutSteps} autoregressive steps; gradients reach the
 * encoder through both the predictions and their targets, with no stop-gradient and no EMA) and SIGReg on the
 * encoder's latents (all B × T frames of a batch as one sample), weighted by {@code sigregWeight}. The robot state enters as context: every frame of a clip carries
 * the state of the clip's first frame, exactly as a planner's rollout carries the current state.
 *
 * <p>Output folder (replaced atomically at each checkpoint): {@code encoder/}, {@code predictor/} (the model),
 * {@code optimizer.npz} + {@value #STATE_FILE} (exact {@code --resume}), {@value #LOSS_PLOT}, {@value #SUMMARY_FILE}
 * and {@value #MANIFEST_FILE} (how it was made, and the robot and camera it was trained with).
 */
public final class WorldModelTrainer {
    public static final String ENCODER_DIR = "encoder", PREDICTOR_DIR = "predictor";
    public static final String STATE_FILE = "train-state.json", OPTIMIZER_FILE = "optimizer.npz";
    public static final String SUMMARY_FILE = "summary.json", LOSS_PLOT = "loss.png", MANIFEST_FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Frames in the batch the collapse watch encodes. */
    static final int WATCH_FRAMES = 512;

    /**
     * @param train            steps, batch, clip frames, rollout steps, learning-rate schedule, seed, resume
     * @param encoder          the encoder's shape (its image size must match the data)
     * @param predictorWidth   the predictor transformer's width (depth, heads below)
     * @param sigregWeight     λ of SIGReg
     * @param sigregDirections random directions per step
     * @param watchEvery       steps between collapse-watch reports (0: only at the end)
     */
    public record Options(TrainOptions train, ConvEncoder.Config encoder, int predictorWidth, int predictorDepth,
                          int predictorHeads, float sigregWeight, int sigregDirections, int watchEvery, float stateWeight,
                          boolean summedInputs) {
        /** Action and state as tokens of their own in the predictor. */
        public Options(TrainOptions train, ConvEncoder.Config encoder, int predictorWidth, int predictorDepth,
                       int predictorHeads, float sigregWeight, int sigregDirections, int watchEvery, float stateWeight) {
            this(train, encoder, predictorWidth, predictorDepth, predictorHeads, sigregWeight, sigregDirections, watchEvery,
                    stateWeight, false);
        }

        /** Without a state head. */
        public Options(TrainOptions train, ConvEncoder.Config encoder, int predictorWidth, int predictorDepth,
                       int predictorHeads, float sigregWeight, int sigregDirections, int watchEvery) {
            this(train, encoder, predictorWidth, predictorDepth, predictorHeads, sigregWeight, sigregDirections, watchEvery, 0f);
        }

        /** These options with the predictor's action and state added to the latent token ({@code true}) or as tokens. */
        public Options withSummedInputs(boolean summed) {
            return new Options(train, encoder, predictorWidth, predictorDepth, predictorHeads, sigregWeight, sigregDirections,
                    watchEvery, stateWeight, summed);
        }

        public Options {
            if (!(stateWeight >= 0)) throw new IllegalArgumentException("--state-weight must be >= 0, got " + stateWeight);
            if (!(sigregWeight >= 0)) throw new IllegalArgumentException("--sigreg-weight must be >= 0, got " + sigregWeight);
            if (sigregDirections < 1) throw new IllegalArgumentException("--sigreg-directions must be >= 1, got " + sigregDirections);
            if (predictorWidth % predictorHeads != 0)
                throw new IllegalArgumentException("predictor width " + predictorWidth + " must be divisible by its heads " + predictorHeads);
        }
    }

    /** The latents' health on a fixed batch: spread (mean per-dimension std), effective rank, SIGReg statistic. */
    public record Watch(int step, double spread, double effectiveRank, double sigreg) {}

    /** The robot-state entries the state head learns to read from a latent, when the data has them. */
    public static final List<String> STATE_HEAD_NAMES = List.of("ee_x", "ee_y", "ee_z", "gripper");

    /** The state head's entries this dataset has, with their positions in its state vector (empty when it lacks any). */
    static int[] stateHeadIndices(FrameEpisodes data) {
        int[] idx = new int[STATE_HEAD_NAMES.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = data.stateNames().indexOf(STATE_HEAD_NAMES.get(i));
            if (idx[i] < 0) return new int[0];
        }
        return idx;
    }

    /** Called after every update and at every watch. */
    public interface Listener {
        void onStep(int step, int steps, float loss, float prediction, float sigreg, float learningRate, double secondsPerStep);

        default void onWatch(Watch w) {}
    }

    /** Held-out figures: per-step MSE of open-loop rollouts vs copy-last, and linear probes of the latent. */
    public record HeldOut(int starts, double[] predictionMse, double[] copyLastMse, double eeR2, double objectR2,
                          double eeR2RandomInit, double objectR2RandomInit, double stateHeadEeRmse, double stateHeadGripperMae) {}

    public record Result(Path out, int steps, int resumedFrom, double seconds, float firstLoss, float finalLoss,
                         float finalPrediction, float finalSigreg, long parameters, Watch watch, Watch watchAtInit,
                         HeldOut heldOut) {}

    record State(int step, long seed, List<float[]> losses, Watch init) {}

    private WorldModelTrainer() {}

    /** Trains into {@code out} (with {@code options.train().resume()}, continues the run saved there). */
    public static Result train(FrameEpisodes data, Options options, Path out, Device device, Map<String, Object> manifest,
                               Listener listener) {
        TrainOptions o = options.train();
        if (data.size() != options.encoder().imageSize())
            throw WmpcException.usage("the dataset's frames are " + data.size() + " pixels but the encoder reads "
                    + options.encoder().imageSize() + ": build the encoder for " + data.size() + "-pixel frames or record at "
                    + options.encoder().imageSize());
        if (data.actionDim() < 1) throw new WmpcException("the dataset has no actions");
        List<Integer> train = data.training(o.clipFrames());
        if (train.isEmpty())
            throw new WmpcException("no training episode has at least " + o.clipFrames() + " frames (" + data.episodes()
                    + " episodes): record longer episodes or lower --clip-frames");
        boolean resuming = o.resume() && Files.isRegularFile(out.resolve(STATE_FILE));
        if (o.resume() && !resuming && Files.exists(out))
            throw new WmpcException(out + " holds no " + STATE_FILE + " to resume from: train into a new folder or drop --resume");
        if (!o.resume() && Files.exists(out.resolve(STATE_FILE)))
            throw WmpcException.usage(out + " already holds a training run: pass --resume to continue it, or choose a new --out");
        if (!o.resume() && !isEmptyOrAbsent(out))
            throw WmpcException.usage(out + " exists and is not a training run (checkpoints replace the folder): choose a new or empty --out");
        ConvEncoder encoder = null;
        AcPredictor predictor = null;
        State state;
        try {
            if (resuming) {
                state = readState(out);
                if (state.seed() != o.seed())
                    throw WmpcException.usage("--resume: the run in " + out + " was started with --seed " + state.seed()
                            + ", not " + o.seed() + ": resume with the same seed (it draws the batches)");
                encoder = ConvEncoder.load(out.resolve(ENCODER_DIR), device);
                predictor = AcPredictor.load(out.resolve(PREDICTOR_DIR), device);
                if (!encoder.config().equals(withStateHead(options, data, train)))
                    throw new WmpcException("--resume: " + out + " holds an encoder " + encoder.config() + " but the options ask for "
                            + options.encoder() + ": resume with the same settings");
            } else {
                encoder = ConvEncoder.create(withStateHead(options, data, train), device, o.seed());
                predictor = AcPredictor.create(predictorConfig(data, train, options), device, o.seed() + 1);
                state = new State(0, o.seed(), new ArrayList<>(), null);
            }
            return run(data, options, train, encoder, predictor, state, out, manifest, listener);
        } finally {
            if (encoder != null) encoder.close();
            if (predictor != null) predictor.close();
        }
    }

    private static boolean isEmptyOrAbsent(Path dir) {
        if (!Files.exists(dir)) return true;
        if (!Files.isDirectory(dir)) return false;
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** The encoder's shape, with a state head (standardised on the training episodes) when the options ask for one. */
    static ConvEncoder.Config withStateHead(Options options, FrameEpisodes data, List<Integer> train) {
        int[] idx = stateHeadIndices(data);
        if (options.stateWeight() == 0 || idx.length == 0) return options.encoder();
        float[][] all = meanStd(data, train, false);
        float[] mean = new float[idx.length], std = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            mean[i] = all[0][idx[i]];
            std[i] = all[1][idx[i]];
        }
        return options.encoder().withStateHead(STATE_HEAD_NAMES, mean, std);
    }

    /** The predictor's shape for this data: one latent token per frame (plus action and state tokens unless summed), no hand-integrated state. */
    static PredictorConfig predictorConfig(FrameEpisodes data, List<Integer> train, Options options) {
        TrainOptions o = options.train();
        int d = options.encoder().latentDim();
        int[] none = new int[data.actionDim()];
        Arrays.fill(none, -1);
        float[][] a = meanStd(data, train, true), s = meanStd(data, train, false);
        return new PredictorConfig(d, 1, 1, data.actionDim(), data.stateDim(), options.predictorWidth(),
                options.predictorDepth(), options.predictorHeads(), 4, Math.max(8, o.clipFrames()), a[0], a[1], s[0], s[1], none)
                .withSummedInputs(options.summedInputs());
    }

    private static Result run(FrameEpisodes data, Options options, List<Integer> train, ConvEncoder encoder,
                              AcPredictor predictor, State state, Path out, Map<String, Object> manifest, Listener listener) {
        TrainOptions o = options.train();
        long started = System.nanoTime();
        List<Parameter> params = new ArrayList<>(encoder.parameters());
        params.addAll(predictor.parameters());
        List<float[]> losses = new ArrayList<>(state.losses());
        float[] watchFrames = watchBatch(data, o.seed());
        Watch init = state.init() != null ? state.init() : watch(encoder, watchFrames, 0, o.seed());
        Watch last = init;
        try (AdamW optimizer = new AdamW(predictor.manager(), o.weightDecay(), o.gradClip())) {
            if (state.step() > 0) optimizer.load(out.resolve(OPTIMIZER_FILE), state.step());
            long lastStep = System.nanoTime();
            for (int step = state.step(); step < o.steps(); step++) {
                float lr = o.learningRate(step);
                float[] l = step(data, options, train, encoder, predictor, optimizer, params, step, lr);
                losses.add(l);
                long now = System.nanoTime();
                if (listener != null) listener.onStep(step + 1, o.steps(), l[0], l[1], l[2], lr, (now - lastStep) / 1e9);
                lastStep = now;
                if (options.watchEvery() > 0 && (step + 1) % options.watchEvery() == 0) {
                    last = watch(encoder, watchFrames, step + 1, o.seed());
                    if (listener != null) listener.onWatch(last);
                }
                if ((step + 1) % o.checkpointEvery() == 0 && step + 1 < o.steps())
                    checkpoint(encoder, predictor, optimizer, out, new State(step + 1, o.seed(), losses, init), null, manifest);
            }
            if (last.step() != o.steps()) {
                last = watch(encoder, watchFrames, o.steps(), o.seed());
                if (listener != null) listener.onWatch(last);
            }
            HeldOut held = heldOut(data, encoder, predictor, options);
            float[] avg = LossRows.average(losses, 20);
            long count = encoder.parameterCount() + predictor.config().parameterCount();
            Result r = new Result(out, o.steps(), state.step(), (System.nanoTime() - started) / 1e9,
                    losses.isEmpty() ? Float.NaN : losses.get(0)[0], avg[0], avg[1], avg[2], count, last, init, held);
            checkpoint(encoder, predictor, optimizer, out, new State(o.steps(), o.seed(), losses, init), r, manifest);
            return r;
        }
    }

    /** One update on a batch drawn from (seed, step), so a resumed run draws the same batches. Returns total, prediction, SIGReg. */
    private static float[] step(FrameEpisodes data, Options options, List<Integer> train, ConvEncoder encoder,
                                AcPredictor predictor, AdamW optimizer, List<Parameter> params, int step, float lr) {
        TrainOptions o = options.train();
        int b = o.batchSize(), t = o.clipFrames(), k = o.rolloutSteps(), s = data.size();
        int sd = data.stateDim(), ad = data.actionDim(), d = options.encoder().latentDim();
        FramePreprocessor pre = new FramePreprocessor(s);
        int fl = pre.frameLength();
        float[] frames = new float[b * t * fl], states = new float[b * t * sd], actions = new float[b * t * ad];
        boolean head = encoder.config().hasStateHead() && options.stateWeight() > 0;
        int[] idx = head ? stateHeadIndices(data) : new int[0];
        float[] heads = new float[b * t * idx.length];
        Random rng = new Random(o.seed() * 1_000_003L + step);
        for (int i = 0; i < b; i++) {
            FrameEpisodes.Episode ep = data.episode(train.get(rng.nextInt(train.size())));
            int start = rng.nextInt(ep.length() - t + 1);
            for (int j = 0; j < t; j++) {
                pre.preprocessRgb(ep.frames()[start + j], 0, s, s, frames, (i * t + j) * fl);
                System.arraycopy(ep.states()[start], 0, states, (i * t + j) * sd, sd);
                System.arraycopy(ep.actions()[start + j], 0, actions, (i * t + j) * ad, ad);
                for (int q = 0; q < idx.length; q++) heads[(i * t + j) * idx.length + q] = ep.states()[start + j][idx[q]];
            }
        }
        try (NDManager m = predictor.manager().newSubManager()) {
            NDArray x = m.create(frames, new Shape((long) b * t, 3, s, s));
            NDArray st = m.create(states, new Shape(b, t, sd));
            NDArray ac = m.create(actions, new Shape(b, t, ad));
            NDArray dirs = SigReg.directions(m, d, options.sigregDirections(), rng);
            NDArray lambda = m.create(options.sigregWeight());
            NDArray beta = m.create(options.stateWeight());
            NDArray headTargets = head ? encoder.standardiseState(m.create(heads, new Shape((long) b * t, idx.length))) : null;
            float[] out = new float[4];
            try (GradientCollector gc = Engine.getEngine(predictor.manager().getEngine().getEngineName()).newGradientCollector()) {
                NDArray z = encoder.forward(x).reshape(b, t, d);
                NDArray zn = predictor.normalize(z.reshape(b, t, 1, d));
                NDArray pred = predictor.predict(zn, ac, st);
                NDArray target = zn.get(":, 1:");
                NDArray tf = pred.get(":, :{}", t - 1).sub(target).square().mean();
                NDArray seq = NDArrays.concat(new NDList(zn.get(":, :1"), pred.get(":, :1")), 1);
                for (int j = 1; j < k; j++) {
                    NDArray p = predictor.predict(seq, ac.get(":, :{}", j + 1), st.get(":, :{}", j + 1));
                    seq = NDArrays.concat(new NDList(seq, p.get(":, {}:{}", j, j + 1)), 1);
                }
                NDArray roll = seq.get(":, 1:").sub(zn.get(":, 1:{}", k + 1)).square().mean();
                NDArray prediction = tf.add(roll);
                // over every frame of the batch at once: the statistic's power to see collapse grows with the sample
                NDArray sig = SigReg.loss(z.reshape((long) b * t, d), dirs);
                NDArray loss = prediction.add(sig.mul(lambda));
                NDArray stateLoss = null;
                if (head) {
                    // the state head reads each frame's own robot state from its latent (trained with the world model)
                    stateLoss = encoder.readStateStandardised(z.reshape((long) b * t, d)).sub(headTargets).square().mean();
                    loss = loss.add(stateLoss.mul(beta));
                }
                gc.backward(loss);
                out[0] = loss.getFloat();
                out[1] = prediction.getFloat();
                out[2] = sig.getFloat();
                out[3] = stateLoss == null ? 0f : stateLoss.getFloat();
            }
            if (!Float.isFinite(out[0]))
                throw new WmpcException("world-model training diverged at step " + (step + 1) + " (loss " + out[0] + "): lower --lr");
            optimizer.step(params, lr);
            return out;
        }
    }

    /** Preprocessed frames of the collapse watch: {@value #WATCH_FRAMES} frames drawn once from (seed). */
    private static float[] watchBatch(FrameEpisodes data, long seed) {
        FramePreprocessor pre = new FramePreprocessor(data.size());
        int n = (int) Math.min(WATCH_FRAMES, data.frames());
        float[] out = new float[n * pre.frameLength()];
        Random rng = new Random(seed ^ 0x5eedL);
        for (int i = 0; i < n; i++) {
            FrameEpisodes.Episode ep = data.episode(rng.nextInt(data.episodes()));
            pre.preprocessRgb(ep.frames()[rng.nextInt(ep.length())], 0, data.size(), data.size(), out, i * pre.frameLength());
        }
        return out;
    }

    /** The collapse watch on preprocessed frames. */
    static Watch watch(ConvEncoder encoder, float[] frames, int step, long seed) {
        int s = encoder.imageSize(), d = encoder.width();
        int n = frames.length / (3 * s * s);
        float[] z = encodeAll(encoder, frames, n);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += z[i * d + j] / n;
        double[] cov = new double[d * d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++) {
                double xa = z[i * d + a] - mean[a];
                for (int c = a; c < d; c++) cov[a * d + c] += xa * (z[i * d + c] - mean[c]) / (n - 1);
            }
        double trace = 0, frob = 0, spread = 0;
        for (int a = 0; a < d; a++) {
            trace += cov[a * d + a];
            spread += Math.sqrt(cov[a * d + a]) / d;
            for (int c = a; c < d; c++) frob += (a == c ? 1 : 2) * cov[a * d + c] * cov[a * d + c];
        }
        double rank = frob > 0 ? trace * trace / frob : 0;
        double sig;
        try (NDManager m = encoder.manager().newSubManager()) {
            sig = SigReg.loss(m.create(z, new Shape(n, d)), SigReg.directions(m, d, 1024, new Random(seed))).getFloat();
        }
        return new Watch(step, spread, rank, sig);
    }

    /** Encodes {@code n} preprocessed frames in batches of 256, without gradients: {@code [n * D]}. */
    static float[] encodeAll(ConvEncoder encoder, float[] frames, int n) {
        int s = encoder.imageSize(), d = encoder.width(), fl = 3 * s * s;
        float[] out = new float[n * d];
        for (int i = 0; i < n; i += 256) {
            int c = Math.min(256, n - i);
            try (NDManager m = encoder.manager().newSubManager()) {
                NDArray x = m.create(Arrays.copyOfRange(frames, i * fl, (i + c) * fl), new Shape(c, 3, s, s));
                System.arraycopy(encoder.forward(x).toFloatArray(), 0, out, i * d, c * d);
            }
        }
        return out;
    }

    /** Open-loop rollouts and linear probes on the held-out episodes (null when there are none). */
    static HeldOut heldOut(FrameEpisodes data, ConvEncoder encoder, AcPredictor predictor, Options options) {
        int horizon = Math.min(5, predictor.config().maxFrames() - 1);
        List<Integer> held = data.heldOutEpisodes(horizon + 1);
        if (held.isEmpty()) return null;
        int d = encoder.width(), sd = data.stateDim(), ad = data.actionDim();
        Map<Integer, float[]> latents = new LinkedHashMap<>();
        for (int e : held) latents.put(e, encodeEpisode(encoder, data.episode(e), data.size()));
        // open-loop rollouts from (at most 1024) start frames along the recorded actions
        List<int[]> starts = new ArrayList<>();
        for (int e : held) for (int t = 0; t + horizon < data.episode(e).length(); t++) starts.add(new int[] {e, t});
        Random rng = new Random(options.train().seed());
        java.util.Collections.shuffle(starts, rng);
        starts = starts.subList(0, Math.min(1024, starts.size()));
        double[] mse = new double[horizon], copy = new double[horizon];
        try (NDManager m = predictor.manager().newSubManager()) {
            int n = starts.size();
            float[] z0 = new float[n * d], s0 = new float[n * sd], a = new float[n * horizon * ad], truth = new float[n * horizon * d];
            for (int i = 0; i < n; i++) {
                int e = starts.get(i)[0], t = starts.get(i)[1];
                float[] z = latents.get(e);
                FrameEpisodes.Episode ep = data.episode(e);
                System.arraycopy(z, t * d, z0, i * d, d);
                System.arraycopy(ep.states()[t], 0, s0, i * sd, sd);
                for (int h = 0; h < horizon; h++) {
                    System.arraycopy(ep.actions()[t + h], 0, a, (i * horizon + h) * ad, ad);
                    System.arraycopy(z, (t + h + 1) * d, truth, (i * horizon + h) * d, d);
                }
            }
            NDArray ctx = predictor.normalize(m.create(z0, new Shape(n, 1, 1, d)));
            NDArray pred = predictor.rollout(ctx, m.create(s0, new Shape(n, 1, sd)), null, m.create(a, new Shape(n, horizon, ad)));
            NDArray tr = predictor.normalize(m.create(truth, new Shape(n, horizon, 1, d)));
            float[] err = pred.sub(tr).square().reshape(n, horizon, d).mean(new int[] {0}).mean(new int[] {1}).toFloatArray();
            float[] cp = ctx.sub(tr).square().reshape(n, horizon, d).mean(new int[] {0}).mean(new int[] {1}).toFloatArray();
            for (int h = 0; h < horizon; h++) {
                mse[h] = err[h];
                copy[h] = cp[h];
            }
        }
        double[] p = linearProbes(data, encoder, latents, options.train().seed());
        double[] head = stateHeadError(data, encoder, latents);
        return new HeldOut(starts.size(), mse, copy, p[0], p[1], p[2], p[3], head[0], head[1]);
    }

    /** The state head on held-out frames: RMS end-effector error in metres, mean gripper error (NaN without a head). */
    static double[] stateHeadError(FrameEpisodes data, ConvEncoder encoder, Map<Integer, float[]> latents) {
        int[] idx = stateHeadIndices(data);
        if (!encoder.config().hasStateHead() || idx.length == 0) return new double[] {Double.NaN, Double.NaN};
        int d = encoder.width(), k = idx.length;
        double sq = 0, grip = 0;
        long n = 0;
        for (var e : latents.entrySet()) {
            FrameEpisodes.Episode ep = data.episode(e.getKey());
            float[] read;
            try (NDManager m = encoder.manager().newSubManager()) {
                read = encoder.readState(m.create(e.getValue(), new Shape(ep.length(), d))).toFloatArray();
            }
            for (int t = 0; t < ep.length(); t++) {
                for (int j = 0; j < 3; j++) {
                    double diff = read[t * k + j] - ep.states()[t][idx[j]];
                    sq += diff * diff;
                }
                grip += Math.abs(read[t * k + 3] - ep.states()[t][idx[3]]);
                n++;
            }
        }
        return new double[] {Math.sqrt(sq / n), grip / n};
    }

    /**
     * Linear probes of the latent on the held-out episodes (see {@link #probe}), beside the same architecture at random
     * init: {@code [end effector, object, end effector at random init, object at random init]} (R², NaN where the data
     * lacks the target).
     */
    public static double[] linearProbes(FrameEpisodes data, ConvEncoder encoder, long seed) {
        if (data.size() != encoder.imageSize())
            throw new WmpcException("the dataset's frames are " + data.size() + " pixels but the encoder reads "
                    + encoder.imageSize() + ": probe it on data recorded with --camera-size " + encoder.imageSize());
        Map<Integer, float[]> latents = new LinkedHashMap<>();
        for (int e : data.heldOutEpisodes(1)) latents.put(e, encodeEpisode(encoder, data.episode(e), data.size()));
        return linearProbes(data, encoder, latents, seed);
    }

    private static double[] linearProbes(FrameEpisodes data, ConvEncoder encoder, Map<Integer, float[]> held, long seed) {
        double[] trained = probe(data, encoder, held, seed);
        try (ConvEncoder fresh = ConvEncoder.create(encoder.config(), encoder.device(), seed + 7)) {
            Map<Integer, float[]> freshLatents = new LinkedHashMap<>();
            for (int e : held.keySet()) freshLatents.put(e, encodeEpisode(fresh, data.episode(e), data.size()));
            double[] random = probe(data, fresh, freshLatents, seed);
            return new double[] {trained[0], trained[1], random[0], random[1]};
        }
    }

    /** One episode's frames ({@code size}-pixel RGB) through the encoder: {@code [T * D]}. */
    private static float[] encodeEpisode(ConvEncoder encoder, FrameEpisodes.Episode ep, int size) {
        FramePreprocessor pre = new FramePreprocessor(encoder.imageSize());
        float[] frames = new float[ep.length() * pre.frameLength()];
        for (int t = 0; t < ep.length(); t++)
            pre.preprocessRgb(ep.frames()[t], 0, size, size, frames, t * pre.frameLength());
        return encodeAll(encoder, frames, ep.length());
    }

    /**
     * Linear (ridge) probes of the end effector (state ee_x/y/z) and of the first object (the first three environment
     * entries): fitted on frames of the training episodes (about 200 of them at most, λ chosen on a fifth), scored on
     * the held-out episodes' latents {@code held}. NaN for a target the dataset lacks.
     */
    static double[] probe(FrameEpisodes data, ConvEncoder encoder, Map<Integer, float[]> held, long seed) {
        int[] ee = {data.stateNames().indexOf("ee_x"), data.stateNames().indexOf("ee_y"), data.stateNames().indexOf("ee_z")};
        if (ee[0] < 0 || ee[1] < 0 || ee[2] < 0) ee = null;
        boolean object = data.environmentDim() >= 3;
        if (ee == null && !object) return new double[] {Double.NaN, Double.NaN};
        List<float[]> fitX = new ArrayList<>(), valX = new ArrayList<>(), testX = new ArrayList<>();
        List<double[]> fitY = new ArrayList<>(), valY = new ArrayList<>(), testY = new ArrayList<>();
        int d = encoder.width();
        int used = 0, stride = Math.max(1, data.episodes() / 200);
        for (int i = 0; i < data.episodes(); i++) {
            if (data.heldOut(i) || i % stride != 0) continue;
            float[] z = encodeEpisode(encoder, data.episode(i), data.size());
            boolean val = used++ % 5 == 4;
            addRows(data.episode(i), z, d, ee, object, val ? valX : fitX, val ? valY : fitY);
        }
        for (var e : held.entrySet()) addRows(data.episode(e.getKey()), e.getValue(), d, ee, object, testX, testY);
        if (fitX.size() < d + 2 || valX.isEmpty() || testX.isEmpty()) return new double[] {Double.NaN, Double.NaN};
        // an axis that moves less than 5 mm over the held-out frames (a cube reach never touches) is not scored
        return RidgeProbe.linearR2(fitX, fitY, valX, valY, testX, testY, new int[] {3, 3}, 0.005);
    }

    private static void addRows(FrameEpisodes.Episode ep, float[] z, int d, int[] ee, boolean object, List<float[]> xs, List<double[]> ys) {
        for (int t = 0; t < ep.length(); t++) {
            double[] y = new double[6];
            for (int j = 0; j < 3; j++) {
                y[j] = ee != null ? ep.states()[t][ee[j]] : 0;
                y[3 + j] = object ? ep.environment()[t][j] : 0;
            }
            xs.add(Arrays.copyOfRange(z, t * d, (t + 1) * d));
            ys.add(y);
        }
    }

    private static float[][] meanStd(FrameEpisodes data, List<Integer> episodes, boolean actions) {
        int dim = actions ? data.actionDim() : data.stateDim();
        double[] sum = new double[dim], sq = new double[dim];
        long count = 0;
        for (int e : episodes) {
            FrameEpisodes.Episode ep = data.episode(e);
            float[][] v = actions ? ep.actions() : ep.states();
            int rows = actions ? ep.length() - 1 : ep.length();
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < dim; i++) {
                    sum[i] += v[r][i];
                    sq[i] += (double) v[r][i] * v[r][i];
                }
                count++;
            }
        }
        float[] mean = new float[dim], std = new float[dim];
        for (int i = 0; i < dim; i++) {
            double mu = count == 0 ? 0 : sum[i] / count;
            double sdv = count == 0 ? 1 : Math.sqrt(Math.max(0, sq[i] / count - mu * mu));
            mean[i] = (float) mu;
            std[i] = (float) (sdv < 1e-4 ? 1.0 : sdv);
        }
        return new float[][] {mean, std};
    }

    private static void checkpoint(ConvEncoder encoder, AcPredictor predictor, AdamW optimizer, Path out, State state,
                                   Result result, Map<String, Object> manifest) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".ckpt-");
            encoder.save(tmp.resolve(ENCODER_DIR));
            predictor.save(tmp.resolve(PREDICTOR_DIR));
            optimizer.save(tmp.resolve(OPTIMIZER_FILE));
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("step", state.step());
            st.put("seed", state.seed());
            st.put("losses", state.losses());
            if (state.init() != null) st.put("watch_at_init", watchMap(state.init()));
            Files.writeString(tmp.resolve(STATE_FILE), JSON.writeValueAsString(st));
            LossCurvePlot.write(tmp.resolve(LOSS_PLOT), "world-model training loss", List.of("total", "prediction (MSE)",
                    "SIGReg", "state head (MSE)"), state.losses());
            Map<String, Object> man = new LinkedHashMap<>(manifest == null ? Map.of() : manifest);
            man.put("format", 2);
            man.put("kind", "jepa-world-model");
            man.put("steps_done", state.step());
            if (result != null) {
                Map<String, Object> sum = summary(result);
                Files.writeString(tmp.resolve(SUMMARY_FILE), JSON.writeValueAsString(sum));
                man.put("training", sum);
            }
            Files.writeString(tmp.resolve(MANIFEST_FILE), JSON.writeValueAsString(man));
            Durable.replaceDirectory(tmp, out);
        } catch (IOException e) {
            throw new WmpcException("cannot write checkpoint to " + out + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Object> watchMap(Watch w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", w.step());
        m.put("spread", w.spread());
        m.put("effective_rank", w.effectiveRank());
        m.put("sigreg", w.sigreg());
        return m;
    }

    /** The JSON summary (also what {@code wmpc train world-model --json} prints). */
    public static Map<String, Object> summary(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", r.out().toString());
        m.put("steps", r.steps());
        m.put("resumed_from", r.resumedFrom());
        m.put("seconds", r.seconds());
        m.put("parameters", r.parameters());
        m.put("first_loss", r.firstLoss());
        m.put("final_loss", r.finalLoss());
        m.put("final_prediction_mse", r.finalPrediction());
        m.put("final_sigreg", r.finalSigreg());
        m.put("latents", watchMap(r.watch()));
        if (r.watchAtInit() != null) m.put("latents_at_init", watchMap(r.watchAtInit()));
        HeldOut h = r.heldOut();
        if (h != null) {
            m.put("heldout_starts", h.starts());
            m.put("heldout_prediction_mse", h.predictionMse());
            m.put("heldout_copy_last_mse", h.copyLastMse());
            m.put("probe_ee_r2", h.eeR2());
            m.put("probe_object_r2", h.objectR2());
            m.put("probe_ee_r2_random_init", h.eeR2RandomInit());
            m.put("probe_object_r2_random_init", h.objectR2RandomInit());
            if (!Double.isNaN(h.stateHeadEeRmse())) {
                m.put("state_head_heldout_ee_rmse_m", h.stateHeadEeRmse());
                m.put("state_head_heldout_gripper_mae", h.stateHeadGripperMae());
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static State readState(Path out) {
        try {
            Map<String, Object> st = JSON.readValue(out.resolve(STATE_FILE).toFile(), Map.class);
            List<float[]> losses = LossRows.parse(st.get("losses"));
            Watch init = null;
            if (st.get("watch_at_init") instanceof Map<?, ?> w)
                init = new Watch(((Number) w.get("step")).intValue(), ((Number) w.get("spread")).doubleValue(),
                        ((Number) w.get("effective_rank")).doubleValue(), ((Number) w.get("sigreg")).doubleValue());
            return new State(((Number) st.get("step")).intValue(), ((Number) st.get("seed")).longValue(), losses, init);
        } catch (IOException | RuntimeException e) {
            throw new WmpcException("cannot resume from " + out.resolve(STATE_FILE) + ": " + e.getMessage()
                    + " (drop --resume to start afresh)", e);
        }
    }
}
