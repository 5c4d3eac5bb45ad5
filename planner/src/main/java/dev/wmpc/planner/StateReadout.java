package dev.wmpc.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.AdamW;
import dev.wmpc.perception.RidgeSolver;
import dev.wmpc.worldmodel.LatentEpisode;
import dev.wmpc.worldmodel.LatentSequenceSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Where the end effector is in an image, read from its latent: a ridge-regression map from the layer-normalised
 * latent {@code [N * D]} to the end-effector position (metres, robot base frame), fitted on the training latents and
 * the robot's own recorded proprioception ({@code observation.state}'s ee_x, ee_y, ee_z), so it needs no labels beyond
 * what every robot dataset holds.
 *
 * <p>The planner uses it to read the goal image's end-effector position; a plan's own end-effector path is known
 * exactly (the current position plus the planned deltas), so the proprio term of the energy
 * ({@link ProprioGoalEnergy}) falls steadily as the arm nears the goal, where the image latents' L1 alone is flat
 * until the hand overlaps its goal pose. {@link #energyPerMetre()} puts the two terms on one scale: the mean latent
 * L1 between two random training frames divided by the mean per-axis distance between their end effectors.
 */
public final class StateReadout {
    public static final String FILE = "state-readout.json";
    public static final List<String> NAMES = List.of("ee_x", "ee_y", "ee_z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int tokens, width;
    private final float[] mean;     // [in] feature means
    private final float[] weights;  // [3][in]
    private final float[] bias;     // [3]
    private final double energyPerMetre, heldOutRmse, lambda;
    private final Mlp mlp; // non-linear correction added to the ridge map, or null
    private Gripper gripper; // the gripper-opening map, or null when the data has none

    /**
     * A ridge map from the centred latent to the gripper opening (0 closed .. 1 open, the recorded state's
     * {@code gripper}), fitted beside the position map when the training data opens and closes the gripper.
     */
    record Gripper(float[] weights, float bias, double heldOutRmse) {
        /** The opening (clamped to 0..1) for a latent centred by {@code mean}. */
        double read(float[] latent, float[] mean) {
            double g = bias;
            for (int k = 0; k < mean.length; k++) g += weights[k] * (latent[k] - mean[k]);
            return Math.max(0, Math.min(1, g));
        }
    }

    /** A one-hidden-layer ReLU network on the centred latent: {@code relu(x W1 + b1) W2 + b2}, row-major weights. */
    record Mlp(int hidden, float[] w1, float[] b1, float[] w2, float[] b2) {
        double[] apply(float[] latent, float[] mean) {
            int in = mean.length;
            float[] h = b1.clone();
            for (int k = 0; k < in; k++) {
                float x = latent[k] - mean[k];
                if (x == 0) continue;
                int o = k * hidden;
                for (int j = 0; j < hidden; j++) h[j] += x * w1[o + j];
            }
            double[] out = {b2[0], b2[1], b2[2]};
            for (int j = 0; j < hidden; j++) {
                if (h[j] <= 0) continue;
                for (int q = 0; q < 3; q++) out[q] += h[j] * w2[j * 3 + q];
            }
            return out;
        }
    }

    StateReadout(int tokens, int width, float[] mean, float[] weights, float[] bias, double energyPerMetre, double heldOutRmse,
                 double lambda) {
        this(tokens, width, mean, weights, bias, energyPerMetre, heldOutRmse, lambda, null);
    }

    StateReadout(int tokens, int width, float[] mean, float[] weights, float[] bias, double energyPerMetre, double heldOutRmse,
                 double lambda, Mlp mlp) {
        if (mean.length != tokens * width || weights.length != 3 * tokens * width || bias.length != 3)
            throw new WmpcException("state readout: " + tokens + " tokens of width " + width + " need " + tokens * width
                    + " means and " + 3 * tokens * width + " weights, got " + mean.length + " and " + weights.length
                    + "; refit it with 'wmpc train all'");
        this.tokens = tokens;
        this.width = width;
        this.mean = mean;
        this.weights = weights;
        this.bias = bias;
        this.energyPerMetre = energyPerMetre;
        this.heldOutRmse = heldOutRmse;
        this.lambda = lambda;
        if (mlp != null && (mlp.w1().length != tokens * width * mlp.hidden() || mlp.b1().length != mlp.hidden()
                || mlp.w2().length != 3 * mlp.hidden() || mlp.b2().length != 3))
            throw new WmpcException("state readout: the network's weights do not fit " + tokens * width + " inputs and "
                    + mlp.hidden() + " hidden units; refit it with 'wmpc train all'");
        this.mlp = mlp;
    }

    /** Hidden units of the non-linear correction (0: the ridge map alone). */
    public int hidden() { return mlp == null ? 0 : mlp.hidden(); }

    public int tokens() { return tokens; }
    public int width() { return width; }
    /** Latent energy per metre of mean per-axis end-effector distance (scales the proprio term). */
    public double energyPerMetre() { return energyPerMetre; }
    /** RMS error (metres, over the three axes) on held-out episodes. */
    public double heldOutRmse() { return heldOutRmse; }

    /** The gripper opening (0 closed .. 1 open, clamped) in a layer-normalised latent, or NaN when this readout has no gripper map. */
    public double readGripper(float[] latent) {
        if (gripper == null) return Double.NaN;
        requireLatent(latent);
        return gripper.read(latent, mean);
    }

    private void requireLatent(float[] latent) {
        if (latent.length != mean.length)
            throw new WmpcException("the state readout reads latents of " + mean.length + " numbers, got " + latent.length
                    + ": it belongs to another encoder; refit it on this model's latents");
    }

    /** Held-out RMS error of the gripper opening, or NaN without a gripper map. */
    public double gripperHeldOutRmse() { return gripper == null ? Double.NaN : gripper.heldOutRmse(); }

    StateReadout withGripper(Gripper g) {
        if (g != null && g.weights().length != mean.length)
            throw new WmpcException("state readout: the gripper map has " + g.weights().length + " weights for " + mean.length
                    + " latent numbers; refit it with 'wmpc train all'");
        this.gripper = g;
        return this;
    }

    /** End-effector xyz from a layer-normalised latent {@code [N * D]}. */
    public double[] read(float[] latent) {
        requireLatent(latent);
        double[] out = new double[3];
        int in = mean.length;
        for (int j = 0; j < 3; j++) {
            double s = bias[j];
            for (int k = 0; k < in; k++) s += weights[j * in + k] * (latent[k] - mean[k]);
            out[j] = s;
        }
        if (mlp != null) {
            double[] c = mlp.apply(latent, mean);
            for (int j = 0; j < 3; j++) out[j] += c[j];
        }
        return out;
    }

    /**
     * Fits the readout on {@code source}'s training episodes (at most {@code maxFrames} frames, sampled with
     * {@code seed}): a ridge map whose strength is chosen on the held-out episodes, then (when {@code hidden > 0}) a
     * small ReLU network trained on the ridge map's errors, kept only if it does better on the held-out episodes.
     * Also measures the energy scale.
     */
    public static StateReadout fit(LatentSequenceSource source, int maxFrames, long seed, int hidden) {
        return fit(source, maxFrames, seed, hidden, NET_STEPS);
    }

    /** As {@link #fit(LatentSequenceSource, int, long, int)} with {@code steps} optimizer steps for the network. */
    public static StateReadout fit(LatentSequenceSource source, int maxFrames, long seed, int hidden, int steps) {
        List<String> names = source.stateNames();
        int[] idx = new int[3];
        for (int j = 0; j < 3; j++) {
            idx[j] = names.indexOf(NAMES.get(j));
            if (idx[j] < 0)
                throw new WmpcException("the dataset's observation.state has no " + NAMES.get(j) + " (names: " + names
                        + "): the state readout needs the end-effector position in the recorded state");
        }
        int gripperIdx = names.indexOf("gripper");
        if (gripperIdx >= 0) idx = new int[] {idx[0], idx[1], idx[2], gripperIdx};
        var spec = source.spec();
        int n = spec.gridHeight() * spec.gridWidth(), d = spec.latentDim(), in = n * d;
        Random r = new Random(seed);
        List<float[]> trainX = new ArrayList<>(), testX = new ArrayList<>();
        List<double[]> trainY = new ArrayList<>(), testY = new ArrayList<>();
        collect(source, source.training(), idx, maxFrames, r, trainX, trainY);
        collect(source, source.heldOut().isEmpty() ? source.training() : source.heldOut(), idx, Math.max(50, maxFrames / 5), r, testX, testY);
        if (trainX.size() < 10) throw new WmpcException("the state readout needs at least 10 training frames, got " + trainX.size());

        float[] mu = new float[in];
        for (float[] x : trainX) for (int k = 0; k < in; k++) mu[k] += x[k];
        for (int k = 0; k < in; k++) mu[k] /= trainX.size();
        double[] yMean = new double[3];
        for (double[] y : trainY) for (int j = 0; j < 3; j++) yMean[j] += y[j] / trainY.size();

        // The gripper is fitted too when the training data moves it (by more than 0.05 of its range).
        double gMean = 0, gVar = 0;
        boolean withGripper = idx.length == 4;
        if (withGripper) {
            for (double[] yv : trainY) gMean += yv[3] / trainY.size();
            for (double[] yv : trainY) gVar += (yv[3] - gMean) * (yv[3] - gMean) / trainY.size();
            withGripper = Math.sqrt(gVar) > 0.05;
        }
        int outs = withGripper ? 4 : 3;
        DMatrixRMaj x = new DMatrixRMaj(trainX.size(), in), y = new DMatrixRMaj(trainX.size(), outs);
        for (int i = 0; i < trainX.size(); i++) {
            float[] v = trainX.get(i);
            for (int k = 0; k < in; k++) x.unsafe_set(i, k, v[k] - mu[k]);
            for (int j = 0; j < 3; j++) y.unsafe_set(i, j, trainY.get(i)[j] - yMean[j]);
            if (withGripper) y.unsafe_set(i, 3, trainY.get(i)[3] - gMean);
        }
        DMatrixRMaj xtx = new DMatrixRMaj(in, in), xty = new DMatrixRMaj(in, outs);
        CommonOps_DDRM.multTransA(x, x, xtx);
        CommonOps_DDRM.multTransA(x, y, xty);
        double scale = 0;
        for (int k = 0; k < in; k++) scale += xtx.get(k, k);
        scale /= in;

        StateReadout best = null;
        Gripper bestGripper = null;
        for (double rel : new double[] {1e-3, 1e-2, 1e-1, 1}) {
            double lambda = rel * scale;
            DMatrixRMaj w;
            try {
                w = RidgeSolver.solve(xtx, xty, lambda);
            } catch (WmpcException singular) {
                continue; // a stronger lambda may still solve
            }
            float[] wt = new float[3 * in];
            for (int j = 0; j < 3; j++) for (int k = 0; k < in; k++) wt[j * in + k] = (float) w.get(k, j);
            float[] b = {(float) yMean[0], (float) yMean[1], (float) yMean[2]};
            double rmse = new StateReadout(n, d, mu, wt, b, 0, 0, lambda).rmse(testX, testY);
            if (best == null || rmse < best.heldOutRmse)
                best = new StateReadout(n, d, mu, wt, b, 0, rmse, lambda);
            if (withGripper) {
                float[] gw = new float[in];
                for (int k = 0; k < in; k++) gw[k] = (float) w.get(k, 3);
                Gripper g = new Gripper(gw, (float) gMean, 0);
                double se = 0;
                for (int i = 0; i < testX.size(); i++) {
                    double e = g.read(testX.get(i), mu) - testY.get(i)[3];
                    se += e * e;
                }
                double grmse = Math.sqrt(se / Math.max(1, testX.size()));
                if (bestGripper == null || grmse < bestGripper.heldOutRmse()) bestGripper = new Gripper(gw, (float) gMean, grmse);
            }
        }
        if (best == null) throw new WmpcException("the state readout's ridge system could not be solved");

        // Energy scale: mean latent L1 between random frame pairs over their mean per-axis end-effector distance.
        double latentSum = 0, metreSum = 0;
        for (int p = 0; p < 2000; p++) {
            int i = r.nextInt(trainX.size()), j = r.nextInt(trainX.size());
            float[] a = trainX.get(i), b = trainX.get(j);
            double l = 0;
            for (int k = 0; k < in; k++) l += Math.abs(a[k] - b[k]);
            latentSum += l / in;
            double m = 0;
            for (int q = 0; q < 3; q++) m += Math.abs(trainY.get(i)[q] - trainY.get(j)[q]);
            metreSum += m / 3;
        }
        double perMetre = metreSum > 0 ? latentSum / metreSum : 1;
        StateReadout linear = new StateReadout(n, d, best.mean, best.weights, best.bias, perMetre, best.heldOutRmse, best.lambda);
        // A gripper map that does not beat half the held-out spread does not read the gripper (at 64x64 the open and
        // the closed fingers differ by a pixel or two): leave it out rather than pull plans toward its guess.
        if (bestGripper != null) {
            double m = 0, v = 0;
            for (double[] yv : testY) m += yv[3] / testY.size();
            for (double[] yv : testY) v += (yv[3] - m) * (yv[3] - m) / testY.size();
            if (!(bestGripper.heldOutRmse() < 0.5 * Math.sqrt(v))) bestGripper = null;
        }
        linear.withGripper(bestGripper);
        // A network on a few hundred frames overfits, and a handful of held-out episodes cannot tell: ridge alone.
        if (hidden <= 0 || trainX.size() < MIN_NET_FRAMES) return linear;
        Mlp net = fitCorrection(linear, trainX, trainY, testX, testY, hidden, steps, seed);
        if (net == null) return linear;
        StateReadout withNet = new StateReadout(n, d, best.mean, best.weights, best.bias, perMetre, 0, best.lambda, net);
        double rmse = withNet.rmse(testX, testY);
        return rmse < linear.heldOutRmse
                ? new StateReadout(n, d, best.mean, best.weights, best.bias, perMetre, rmse, best.lambda, net).withGripper(bestGripper) : linear;
    }

    /** Hidden units of the non-linear correction {@link #fit(LatentSequenceSource, int, long)} trains. */
    public static final int DEFAULT_HIDDEN = 128;
    private static final int NET_STEPS = 3000, NET_BATCH = 256;
    /** Fewest training frames for which the network correction is tried. */
    public static final int MIN_NET_FRAMES = 500;

    /** As {@link #fit(LatentSequenceSource, int, long, int)} with the default network ({@value #DEFAULT_HIDDEN} hidden units). */
    public static StateReadout fit(LatentSequenceSource source, int maxFrames, long seed) {
        return fit(source, maxFrames, seed, DEFAULT_HIDDEN);
    }

    double rmse(List<float[]> xs, List<double[]> ys) {
        double se = 0;
        for (int i = 0; i < xs.size(); i++) {
            double[] p = read(xs.get(i));
            for (int j = 0; j < 3; j++) se += (p[j] - ys.get(i)[j]) * (p[j] - ys.get(i)[j]);
        }
        return Math.sqrt(se / (3.0 * Math.max(1, xs.size())));
    }

    /**
     * Trains the ReLU network on what the ridge map gets wrong (AdamW, cosine learning rate, mean squared error in
     * centimetres), keeping the weights that do best on the held-out frames. Its output layer starts at zero, so it
     * starts as the ridge map. Deterministic for a seed on one thread.
     */
    private static Mlp fitCorrection(StateReadout linear, List<float[]> trainX, List<double[]> trainY, List<float[]> testX,
                                     List<double[]> testY, int hidden, int steps, long seed) {
        int in = linear.mean.length, n = trainX.size();
        float[] res = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double[] p = linear.read(trainX.get(i));
            for (int j = 0; j < 3; j++) res[i * 3 + j] = (float) (100 * (trainY.get(i)[j] - p[j])); // centimetres
        }
        Random r = new Random(seed * 31 + 7);
        float[] w1 = new float[in * hidden];
        double std = Math.sqrt(2.0 / in);
        for (int k = 0; k < w1.length; k++) w1[k] = (float) (r.nextGaussian() * std);
        Mlp best = null;
        double bestRmse = linear.heldOutRmse;
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu());
             AdamW adam = new AdamW(m, 1e-4f, 0)) {
            ai.djl.ndarray.NDArray[] params = {
                    m.create(w1, new ai.djl.ndarray.types.Shape(in, hidden)), m.zeros(new ai.djl.ndarray.types.Shape(hidden)),
                    m.zeros(new ai.djl.ndarray.types.Shape(hidden, 3)), m.zeros(new ai.djl.ndarray.types.Shape(3))};
            Map<String, ai.djl.ndarray.NDArray> named = new LinkedHashMap<>();
            String[] names = {"w1", "b1", "w2", "b2"};
            for (int q = 0; q < 4; q++) {
                params[q].setRequiresGradient(true);
                named.put(names[q], params[q]);
            }
            float[] xb = new float[NET_BATCH * in], yb = new float[NET_BATCH * 3];
            for (int step = 1; step <= steps; step++) {
                for (int b = 0; b < NET_BATCH; b++) {
                    int i = r.nextInt(n);
                    float[] x = trainX.get(i);
                    for (int k = 0; k < in; k++) xb[b * in + k] = x[k] - linear.mean[k];
                    System.arraycopy(res, i * 3, yb, b * 3, 3);
                }
                float lr = (float) (1e-3 * 0.5 * (1 + Math.cos(Math.PI * (step - 1) / steps)));
                // Every temporary of the step (gradients' products included) is freed with the scope.
                try (ai.djl.ndarray.NDManager s = m.newSubManager(); var scope = new ai.djl.ndarray.NDScope()) {
                    var x = s.create(xb, new ai.djl.ndarray.types.Shape(NET_BATCH, in));
                    var y = s.create(yb, new ai.djl.ndarray.types.Shape(NET_BATCH, 3));
                    try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        var h = x.matMul(params[0]).add(params[1]);
                        // Not maximum(0f): DJL wraps the 0 in a buffer nothing owns, and autograd reads it in backward.
                        h = ai.djl.nn.Activation.relu(h);
                        var loss = h.matMul(params[2]).add(params[3]).sub(y).square().mean();
                        gc.backward(loss);
                    }
                    adam.step(named, lr); // decays the two matrices, not the biases; no clipping
                }
                if (step % 500 == 0 || step == steps) {
                    float[] b2 = params[3].toFloatArray(), w2 = params[2].toFloatArray();
                    for (int k = 0; k < 3; k++) b2[k] /= 100;
                    for (int k = 0; k < w2.length; k++) w2[k] /= 100;
                    Mlp cand = new Mlp(hidden, params[0].toFloatArray(), params[1].toFloatArray(), w2, b2);
                    double rmse = new StateReadout(linear.tokens, linear.width, linear.mean, linear.weights, linear.bias,
                            linear.energyPerMetre, 0, linear.lambda, cand).rmse(testX, testY);
                    if (rmse < bestRmse) {
                        bestRmse = rmse;
                        best = cand;
                    }
                }
            }
        }
        return best;
    }

    private static void collect(LatentSequenceSource source, List<Integer> episodes, int[] idx, int max, Random r,
                                List<float[]> xs, List<double[]> ys) {
        var spec = source.spec();
        int f = spec.frameFloats(), s = spec.stateDim();
        List<int[]> all = new ArrayList<>();
        for (int e : episodes) for (int t = 0; t < source.episode(e).length(); t++) all.add(new int[] {e, t});
        java.util.Collections.shuffle(all, r);
        for (int[] et : all.subList(0, Math.min(max, all.size()))) {
            LatentEpisode ep = source.episode(et[0]);
            float[] z = new float[f];
            ep.copyLatents(et[1], 1, z, 0);
            layerNorm(z, spec.latentDim());
            xs.add(z);
            double[] y = new double[idx.length];
            for (int j = 0; j < idx.length; j++) y[j] = ep.states()[et[1] * s + idx[j]];
            ys.add(y);
        }
    }

    /** Per-token layer norm without affine (eps 1e-6), as the predictor normalises encoder latents. */
    public static void layerNorm(float[] v, int width) {
        for (int o = 0; o < v.length; o += width) {
            double m = 0, var = 0;
            for (int k = 0; k < width; k++) m += v[o + k];
            m /= width;
            for (int k = 0; k < width; k++) var += (v[o + k] - m) * (v[o + k] - m);
            double inv = 1 / Math.sqrt(var / width + 1e-6);
            for (int k = 0; k < width; k++) v[o + k] = (float) ((v[o + k] - m) * inv);
        }
    }

    /** Writes {@code dir/state-readout.json} atomically. */
    public void save(Path dir) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put("names", NAMES);
        m.put("tokens", tokens);
        m.put("width", width);
        m.put("energy_per_metre", energyPerMetre);
        m.put("heldout_rmse_m", heldOutRmse);
        m.put("lambda", lambda);
        m.put("bias", bias);
        m.put("mean", mean);
        m.put("weights", weights);
        if (mlp != null) {
            m.put("hidden", mlp.hidden());
            m.put("w1", mlp.w1());
            m.put("b1", mlp.b1());
            m.put("w2", mlp.w2());
            m.put("b2", mlp.b2());
        }
        if (gripper != null) {
            m.put("gripper_bias", gripper.bias());
            m.put("gripper_heldout_rmse", gripper.heldOutRmse());
            m.put("gripper_weights", gripper.weights());
        }
        dev.wmpc.dataset.Durable.writeAtomically(dir.resolve(FILE), JSON.writeValueAsBytes(m));
    }

    /** Reads {@code dir/state-readout.json}; a clear error when it is damaged or of another shape. */
    public static StateReadout load(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            var n = JSON.readTree(f.toFile());
            int tokens = n.get("tokens").asInt(), width = n.get("width").asInt();
            Mlp net = n.has("hidden") ? new Mlp(n.get("hidden").asInt(), floats(n.get("w1")), floats(n.get("b1")),
                    floats(n.get("w2")), floats(n.get("b2"))) : null;
            Gripper g = n.has("gripper_weights") ? new Gripper(floats(n.get("gripper_weights")),
                    (float) n.get("gripper_bias").asDouble(), n.get("gripper_heldout_rmse").asDouble()) : null;
            return new StateReadout(tokens, width, floats(n.get("mean")), floats(n.get("weights")), floats(n.get("bias")),
                    n.get("energy_per_metre").asDouble(), n.get("heldout_rmse_m").asDouble(), n.get("lambda").asDouble(), net)
                    .withGripper(g);
        } catch (IOException | NullPointerException e) {
            throw new WmpcException("cannot read the state readout " + f + " (" + e.getMessage()
                    + "): retrain the model with 'wmpc train all', or delete the file to plan on the latent energy alone");
        }
    }

    private static float[] floats(com.fasterxml.jackson.databind.JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) a.get(i).asDouble();
        return v;
    }
}
