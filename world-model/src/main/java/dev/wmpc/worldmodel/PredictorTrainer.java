package dev.wmpc.worldmodel;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Durable;
import dev.wmpc.perception.AdamW;
import dev.wmpc.perception.LossCurvePlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains an {@link AcPredictor} on latent sequences: teacher-forcing L1 over whole clips plus rollout L1 over k
 * autoregressive steps (gradients flow through the rollout), AdamW with warm-up + cosine, atomic checkpoints of the
 * whole output folder (model + optimizer + losses), exact resume, a loss-curve PNG and a JSON summary.
 *
 * <p>Output folder: {@code config.json} + {@code parameters.npz} (the model, loadable by {@link AcPredictor#load}),
 * {@code optimizer.npz} + {@code train-state.json} (for {@code --resume}), {@code loss.png}, {@code summary.json}.
 */
public final class PredictorTrainer {
    public static final String STATE_FILE = "train-state.json";
    public static final String OPTIMIZER_FILE = "optimizer.npz";
    public static final String SUMMARY_FILE = "summary.json";
    public static final String LOSS_PLOT = "loss.png";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Called after every update (for progress bars). */
    public interface Listener {
        void onStep(int step, int steps, float loss, float learningRate, double secondsPerStep);
    }

    /** What training did. {@code eval} is null when the source holds no held-out episodes. */
    public record Result(Path out, int steps, int resumedFrom, double seconds, float firstLoss, float finalLoss,
                         float finalTeacherForcingLoss, float finalRolloutLoss, long parameters,
                         WorldModelEval.Report eval) {}

    /** Saved with every checkpoint: enough to resume exactly. */
    record State(int step, long seed, List<float[]> losses) {}

    private PredictorTrainer() {}

    /**
     * Trains a predictor shaped like {@code base} (its sizes must match the source) into {@code out}; with
     * {@code options.resume()} continues the run saved there.
     */
    public static Result train(LatentSequenceSource source, PredictorConfig base, TrainOptions options, Path out,
                               Device device, Listener listener) {
        LatentSpec spec = source.spec();
        checkMatches(base, spec);
        List<Integer> train = new ArrayList<>();
        for (int e : source.training()) if (source.episode(e).length() >= options.clipFrames()) train.add(e);
        if (train.isEmpty())
            throw new WmpcException("no training episode has at least " + options.clipFrames() + " latent frames ("
                    + source.episodes() + " episodes): record longer episodes or lower --clip-frames");
        if (options.clipFrames() > base.maxFrames())
            throw WmpcException.usage("--clip-frames " + options.clipFrames() + " exceeds the predictor's maxFrames "
                    + base.maxFrames());

        boolean resuming = options.resume() && Files.isRegularFile(out.resolve(STATE_FILE));
        if (options.resume() && !resuming && Files.exists(out.resolve(AcPredictor.CONFIG_FILE)))
            throw new WmpcException(out + " holds a model but no " + STATE_FILE + " to resume from: train into a new "
                    + "folder or drop --resume");
        State state;
        AcPredictor model;
        if (resuming) {
            state = readState(out);
            model = AcPredictor.load(out, device);
            checkMatches(model.config(), spec);
        } else {
            state = new State(0, options.seed(), new ArrayList<>());
            model = AcPredictor.create(withStatistics(base, source, train), device, options.seed());
        }
        long started = System.nanoTime();
        int resumedFrom = state.step();
        List<float[]> losses = new ArrayList<>(state.losses());
        try (model; AdamW optimizer = new AdamW(model.manager(), options.weightDecay(), options.gradClip())) {
            if (resuming) optimizer.load(out.resolve(OPTIMIZER_FILE), state.step());
            long lastStep = System.nanoTime();
            for (int step = state.step(); step < options.steps(); step++) {
                float lr = options.learningRate(step);
                float[] l = trainStep(model, optimizer, source, train, options, step, lr);
                losses.add(l);
                long now = System.nanoTime();
                if (listener != null) listener.onStep(step + 1, options.steps(), l[0], lr, (now - lastStep) / 1e9);
                lastStep = now;
                if ((step + 1) % options.checkpointEvery() == 0 && step + 1 < options.steps())
                    checkpoint(model, optimizer, out, new State(step + 1, options.seed(), losses), null);
            }
            WorldModelEval.Report eval = source.heldOut().isEmpty() ? null
                    : WorldModelEval.evaluate(model, source, source.heldOut(), Math.min(5, model.config().maxFrames() - 1), 256);
            float[] last = LossRows.average(losses, 20);
            Result result = new Result(out, options.steps(), resumedFrom, (System.nanoTime() - started) / 1e9,
                    losses.isEmpty() ? Float.NaN : losses.get(0)[0], last[0], last[1], last[2],
                    model.config().parameterCount(), eval);
            checkpoint(model, optimizer, out, new State(options.steps(), options.seed(), losses), result);
            return result;
        }
    }

    /** One update on a batch drawn with a generator seeded by (seed, step), so resumed runs draw the same batches. */
    private static float[] trainStep(AcPredictor model, AdamW optimizer, LatentSequenceSource source,
                                     List<Integer> train, TrainOptions o, int step, float lr) {
        LatentSpec spec = source.spec();
        int b = o.batchSize(), t = o.clipFrames(), n = spec.tokens(), d = spec.latentDim();
        int sd = spec.stateDim(), ad = spec.actionDim(), k = o.rolloutSteps();
        float[] z = new float[b * t * n * d];
        float[] s = new float[b * t * sd];
        float[] a = new float[b * t * ad];
        Random rng = new Random(o.seed() * 1_000_003L + step);
        for (int i = 0; i < b; i++) {
            LatentEpisode ep = source.episode(train.get(rng.nextInt(train.size())));
            int start = rng.nextInt(ep.length() - t + 1);
            ep.copyLatents(start, t, z, i * t * n * d);
            ep.copyStates(start, t, s, i * t * sd);
            ep.copyActions(start, t, a, i * t * ad);
        }
        try (NDManager m = model.manager().newSubManager()) {
            NDArray target = model.normalize(m.create(z, new Shape(b, t, n, d)));
            NDArray states = m.create(s, new Shape(b, t, sd));
            NDArray actions = m.create(a, new Shape(b, t, ad));
            float[] out = new float[3];
            try (GradientCollector gc = Engine.getEngine(model.manager().getEngine().getEngineName())
                    .newGradientCollector()) {
                NDArray pred = model.predict(target, actions, states);
                NDArray tf = pred.get(":, :{}", t - 1).sub(target.get(":, 1:")).abs().mean();
                // autoregressive rollout from frame 0, feeding predictions back in (true states and actions)
                NDArray seq = NDArrays.concat(new NDList(target.get(":, :1"), pred.get(":, :1")), 1);
                for (int j = 1; j < k; j++) {
                    NDArray p = model.predict(seq, actions.get(":, :{}", j + 1), states.get(":, :{}", j + 1));
                    seq = NDArrays.concat(new NDList(seq, p.get(":, {}:{}", j, j + 1)), 1);
                }
                NDArray roll = seq.get(":, 1:").sub(target.get(":, 1:{}", k + 1)).abs().mean();
                NDArray loss = tf.add(roll);
                gc.backward(loss);
                out[0] = loss.getFloat();
                out[1] = tf.getFloat();
                out[2] = roll.getFloat();
            }
            if (!Float.isFinite(out[0]))
                throw new WmpcException("predictor training diverged at step " + (step + 1) + " (loss " + out[0]
                        + "): lower --lr");
            optimizer.step(model.parameters(), lr);
            return out;
        }
    }

    /** Fills the action/state normalisation and the state integration from the training episodes. */
    static PredictorConfig withStatistics(PredictorConfig base, LatentSequenceSource source, List<Integer> train) {
        LatentSpec spec = source.spec();
        float[][] a = meanStd(source, train, spec.actionDim(), true);
        float[][] s = meanStd(source, train, spec.stateDim(), false);
        return base.withStatistics(a[0], a[1], s[0], s[1], integration(source.stateNames(), spec.actionDim(),
                base.stateIntegration()));
    }

    /**
     * Which state entries the commanded Δxyz moves: the first three action entries add to the state entries named
     * ee_x, ee_y, ee_z when the state has them; otherwise the config's own choice stands.
     */
    static int[] integration(List<String> stateNames, int actionDim, int[] fallback) {
        int x = stateNames.indexOf("ee_x"), y = stateNames.indexOf("ee_y"), zz = stateNames.indexOf("ee_z");
        if (x < 0 || y < 0 || zz < 0 || actionDim < 3) return fallback;
        int[] out = new int[actionDim];
        java.util.Arrays.fill(out, -1);
        out[0] = x;
        out[1] = y;
        out[2] = zz;
        return out;
    }

    private static float[][] meanStd(LatentSequenceSource source, List<Integer> episodes, int dim, boolean actions) {
        double[] sum = new double[dim], sq = new double[dim];
        long count = 0;
        for (int e : episodes) {
            LatentEpisode ep = source.episode(e);
            float[] v = actions ? ep.actions() : ep.states();
            int rows = actions ? ep.length() - 1 : ep.length(); // the last action leads nowhere
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < dim; i++) {
                    double x = v[r * dim + i];
                    sum[i] += x;
                    sq[i] += x * x;
                }
                count++;
            }
        }
        float[] mean = new float[dim], std = new float[dim];
        for (int i = 0; i < dim; i++) {
            double mu = count == 0 ? 0 : sum[i] / count;
            double var = count == 0 ? 1 : Math.max(0, sq[i] / count - mu * mu);
            mean[i] = (float) mu;
            double sd = Math.sqrt(var);
            // an entry the data never varies (e.g. dz in a planar task) keeps unit scale, so a planner's other values
            // for it stay in range instead of being amplified by a tiny std
            std[i] = (float) (sd < 1e-4 ? 1.0 : sd);
        }
        return new float[][] {mean, std};
    }

    private static void checkMatches(PredictorConfig c, LatentSpec spec) {
        if (c.gridHeight() != spec.gridHeight() || c.gridWidth() != spec.gridWidth() || c.latentDim() != spec.latentDim()
                || c.stateDim() != spec.stateDim() || c.actionDim() != spec.actionDim())
            throw new WmpcException("predictor expects " + c.gridHeight() + "x" + c.gridWidth() + " tokens of "
                    + c.latentDim() + ", state " + c.stateDim() + ", action " + c.actionDim() + " but the latents hold "
                    + spec.gridHeight() + "x" + spec.gridWidth() + " tokens of " + spec.latentDim() + ", state "
                    + spec.stateDim() + ", action " + spec.actionDim() + " (pick the preset matching the encoder)");
    }

    private static void checkpoint(AcPredictor model, AdamW optimizer, Path out, State state, Result result) {
        try {
            Path tmp = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".ckpt-" + System.nanoTime());
            model.save(tmp);
            optimizer.save(tmp.resolve(OPTIMIZER_FILE));
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("step", state.step());
            st.put("seed", state.seed());
            st.put("losses", state.losses());
            Files.writeString(tmp.resolve(STATE_FILE), JSON.writeValueAsString(st));
            LossCurvePlot.write(tmp.resolve(LOSS_PLOT), "predictor training loss (L1)", List.of("total", "teacher forcing", "rollout"),
                    state.losses());
            if (result != null) Files.writeString(tmp.resolve(SUMMARY_FILE), JSON.writeValueAsString(summary(result)));
            Durable.replaceDirectory(tmp, out);
        } catch (IOException e) {
            throw new WmpcException("cannot write checkpoint to " + out + ": " + e.getMessage(), e);
        }
    }

    /** The JSON summary (also what {@code wmpc train predictor --json} prints). */
    public static Map<String, Object> summary(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", r.out().toString());
        m.put("steps", r.steps());
        m.put("resumed_from", r.resumedFrom());
        m.put("seconds", r.seconds());
        m.put("first_loss", r.firstLoss());
        m.put("final_loss", r.finalLoss());
        m.put("final_teacher_forcing_l1", r.finalTeacherForcingLoss());
        m.put("final_rollout_l1", r.finalRolloutLoss());
        m.put("parameters", r.parameters());
        if (r.eval() != null) {
            m.put("eval_l1", r.eval().l1());
            m.put("eval_copy_last_l1", r.eval().copyLastL1());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static State readState(Path out) {
        try {
            Map<String, Object> st = JSON.readValue(out.resolve(STATE_FILE).toFile(), Map.class);
            List<float[]> losses = LossRows.parse(st.get("losses"));
            return new State(((Number) st.get("step")).intValue(), ((Number) st.get("seed")).longValue(), losses);
        } catch (IOException | RuntimeException e) {
            throw new WmpcException("cannot resume from " + out.resolve(STATE_FILE) + ": " + e.getMessage()
                    + " (drop --resume to start afresh)", e);
        }
    }
}
