package dev.wmpc.perception;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An attentive probe, the readout V-JEPA evaluates its frozen encoders with: a learned query cross-attends to a
 * clip's frozen patch tokens (every view's), a residual MLP refines the pooled vector, and a linear head maps it to the
 * targets. Unlike a linear map over the tokens, attention can find the token an object is in and read out where that
 * token is (each token slot has a learned embedding), which is what placing a small object asks for.
 *
 * <p>Trained on the fit rows (shuffled, epoch after epoch) with AdamW (warmup, cosine decay, gradient clipping) on the
 * mean squared error of standardised targets; at {@link #CHECKPOINTS} points of the run the validation rows score it,
 * and each target group keeps the test predictions of its best checkpoint (early stopping on held-out training
 * episodes, never on the test rows).
 */
final class AttentiveProbe {
    /** Training settings. */
    record Settings(int steps, int batch, double learningRate, double weightDecay, long seed) {
        /** The measured settings (batches of 128, lr 3e-3, weight decay 0.05) for a run of {@code steps}. */
        static Settings of(int steps, long seed) { return new Settings(steps, 128, 3e-3, 0.05, seed); }
    }

    /** Training steps by default (batches of 128: about 10 epochs over 40 000 clips). */
    public static final int DEFAULT_STEPS = 3000;
    /** Validation checkpoints over a run: each target group keeps the test predictions of its best one. */
    static final int CHECKPOINTS = 20;
    private static final int MLP_RATIO = 4;
    private static final float CLIP_NORM = 1.0f;

    private AttentiveProbe() {}

    /** Heads of the probe's cross-attention: the most of 8, 6, 4, 3, 2, 1 that divides the token width. */
    static int heads(int dim) {
        for (int h : new int[] {8, 6, 4, 3, 2}) if (dim % h == 0) return h;
        return 1;
    }

    static ParameterSet.Layout layout(int slots, int dim, int outputs) {
        return new ParameterSet.Layout()
                .add("slot", ParameterSet.Init.NORMAL, slots, dim)
                .add("query", ParameterSet.Init.NORMAL, 1, 1, dim)
                .linear("attn.q", dim, dim)
                .linear("attn.kv", dim, 2 * dim)
                .linear("attn.proj", dim, dim)
                .layerNorm("norm", dim)
                .linear("mlp.fc1", dim, MLP_RATIO * dim)
                .linear("mlp.fc2", MLP_RATIO * dim, dim)
                .layerNorm("head.norm", dim)
                .linear("head", dim, outputs);
    }

    /**
     * Fits the probe and scores it.
     *
     * @param tokens  {@code [n, S, D]} frozen tokens of every row (S: the tokens of every view), each put through
     *                {@link #normalise}
     * @param targets n target rows of width k
     * @param nFit    rows {@code [0, nFit)} train the probe
     * @param nTrain  rows {@code [nFit, nTrain)} choose the checkpoint; rows {@code [nTrain, n)} are scored
     * @param groups  column counts of the target groups (e.g. 3 end effector, 3 object; 0 gives a null result)
     * @param minSd   a test column whose standard deviation is at most this gets NaN (see {@link RidgeProbe#r2PerColumn})
     * @return each group's per-column R² on the test rows, at the group's best validation checkpoint
     */
    static List<double[]> probe(NDArray tokens, List<double[]> targets, int nFit, int nTrain, int[] groups, Settings settings,
                                double minSd) {
        Shape s = tokens.getShape();
        int n = (int) s.get(0), slots = (int) s.get(1), dim = (int) s.get(2), k = targets.get(0).length;
        if (nFit < 1 || nTrain <= nFit || nTrain >= n)
            throw new IllegalArgumentException("attentive probe needs fit, validation and test rows, got " + nFit + " / " + (nTrain - nFit) + " / " + (n - nTrain));
        int[] offset = new int[groups.length + 1];
        for (int g = 0; g < groups.length; g++) offset[g + 1] = offset[g] + groups[g];
        // Targets standardised with the fit rows' statistics; a column that barely moves keeps a floor of minSd so
        // its jitter does not dominate the loss.
        double[] mean = new double[k], sd = new double[k];
        for (int i = 0; i < nFit; i++) for (int j = 0; j < k; j++) mean[j] += targets.get(i)[j] / nFit;
        for (int i = 0; i < nFit; i++) for (int j = 0; j < k; j++) sd[j] += Math.pow(targets.get(i)[j] - mean[j], 2) / nFit;
        for (int j = 0; j < k; j++) sd[j] = Math.max(Math.sqrt(sd[j]), minSd);
        float[] y = new float[n * k];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) y[i * k + j] = (float) ((targets.get(i)[j] - mean[j]) / sd[j]);

        try (NDManager m = NDManager.newBaseManager(tokens.getDevice());
             AdamW optimizer = new AdamW(m, (float) settings.weightDecay(), CLIP_NORM, name -> name.equals("slot") || name.equals("query"))) {
            NDArray x = tokens;
            NDArray yAll = m.create(y, new Shape(n, k));
            ParameterSet params = ParameterSet.create(m, layout(slots, dim, k), settings.seed());
            params.requireGradients();
            int heads = heads(dim);
            int total = settings.steps(), warmup = Math.max(1, total / 20);
            int every = Math.max(1, total / CHECKPOINTS);
            Random rng = new Random(settings.seed());
            int[] order = new int[nFit];
            for (int i = 0; i < nFit; i++) order[i] = i;
            double[] bestVal = new double[groups.length];
            java.util.Arrays.fill(bestVal, Double.POSITIVE_INFINITY);
            double[][] bestTest = new double[n - nTrain][k];
            int cursor = nFit; // the next row of the shuffled order; reshuffled at each epoch
            for (int step = 0; step < total; step++) {
                int size = Math.min(settings.batch(), nFit);
                long[] idx = new long[size];
                for (int i = 0; i < size; i++) {
                    if (cursor == nFit) {
                        for (int a = nFit - 1; a > 0; a--) {
                            int b = rng.nextInt(a + 1), t = order[a];
                            order[a] = order[b];
                            order[b] = t;
                        }
                        cursor = 0;
                    }
                    idx[i] = order[cursor++];
                }
                double lr = step < warmup ? settings.learningRate() * (step + 1) / warmup
                        : settings.learningRate() * 0.5 * (1 + Math.cos(Math.PI * (step - warmup) / Math.max(1, total - warmup)));
                try (NDManager sm = m.newSubManager()) {
                    NDArray index = sm.create(idx);
                    NDArray xb = x.get(index), yb = yAll.get(index);
                    xb.attach(sm); // an indexed array lands in its source's manager
                    yb.attach(sm);
                    params.tempAttach(sm);
                    try (GradientCollector gc = Engine.getEngine(sm.getEngine().getEngineName()).newGradientCollector()) {
                        NDArray loss = forward(params, xb, heads).sub(yb).square().mean();
                        gc.backward(loss);
                    }
                    optimizer.step(params.arrays(), (float) lr);
                }
                if ((step + 1) % every != 0 && step + 1 != total) continue;
                // Validation error per group; each group keeps the test predictions of its best checkpoint.
                double[][] val = predict(params, x, nFit, nTrain, heads, settings.batch(), k);
                double[] err = new double[groups.length];
                for (int r = 0; r < val.length; r++)
                    for (int g = 0; g < groups.length; g++)
                        for (int j = offset[g]; j < offset[g + 1]; j++) err[g] += Math.pow(val[r][j] - y[(nFit + r) * k + j], 2);
                double[][] test = null;
                for (int g = 0; g < groups.length; g++) {
                    if (groups[g] == 0 || err[g] >= bestVal[g]) continue;
                    bestVal[g] = err[g];
                    if (test == null) test = predict(params, x, nTrain, n, heads, settings.batch(), k);
                    for (int r = 0; r < test.length; r++) System.arraycopy(test[r], offset[g], bestTest[r], offset[g], groups[g]);
                }
            }
            List<double[]> out = new ArrayList<>();
            for (int g = 0; g < groups.length; g++) {
                if (groups[g] == 0) { out.add(null); continue; }
                double[][] truth = new double[n - nTrain][], pred = new double[n - nTrain][];
                for (int r = 0; r < truth.length; r++) {
                    truth[r] = java.util.Arrays.copyOfRange(targets.get(nTrain + r), offset[g], offset[g + 1]);
                    pred[r] = new double[groups[g]];
                    for (int j = 0; j < groups[g]; j++) pred[r][j] = mean[offset[g] + j] + sd[offset[g] + j] * bestTest[r][offset[g] + j];
                }
                out.add(RidgeProbe.r2PerColumn(truth, pred, minSd));
            }
            return out;
        }
    }

    /**
     * Tokens {@code [..., D]} normalised over their last axis (a LayerNorm without its affine part, which the probe's
     * key/value map absorbs), in the tokens' manager. Done once per clip, not at every step.
     */
    static NDArray normalise(NDArray tokens) {
        NDArray c = tokens.sub(tokens.mean(new int[] {-1}, true));
        return c.div(c.square().mean(new int[] {-1}, true).add(1e-6f).sqrt());
    }

    /** Normalised tokens {@code [B, S, D]} → standardised predictions {@code [B, k]}, in the tokens' manager. */
    static NDArray forward(ParameterSet p, NDArray x, int heads) {
        Shape s = x.getShape();
        long b = s.get(0), slots = s.get(1), dim = s.get(2), hd = dim / heads;
        NDArray kv = Transformer.linear(p, "attn.kv", x.add(p.get("slot")))
                .reshape(b, slots, 2, heads, hd).transpose(2, 0, 3, 1, 4); // [2, B, H, S, hd]
        NDArray query = p.get("query");
        NDArray q = Transformer.linear(p, "attn.q", query).reshape(1, heads, 1, hd)
                .mul(JepaTrainer.scalar(x, 1.0 / Math.sqrt(hd)));
        NDArray att = q.matMul(kv.get(0).transpose(0, 1, 3, 2)).softmax(-1); // [B, H, 1, S]
        NDArray pooled = Transformer.linear(p, "attn.proj", att.matMul(kv.get(1)).reshape(b, dim)); // [B, D]
        NDArray h = pooled.add(query.reshape(1, dim));
        NDArray mlp = Transformer.linear(p, "mlp.fc1", Transformer.layerNorm(p, "norm", h));
        h = h.add(Transformer.linear(p, "mlp.fc2", Activation.gelu(mlp)));
        return Transformer.linear(p, "head", Transformer.layerNorm(p, "head.norm", h));
    }

    /** Predictions (standardised) of rows {@code [from, to)}. */
    private static double[][] predict(ParameterSet p, NDArray x, int from, int to, int heads, int batch, int k) {
        double[][] out = new double[to - from][];
        for (int b = from; b < to; b += batch) {
            int end = Math.min(to, b + batch);
            try (NDManager sm = x.getManager().newSubManager()) {
                NDArray xb = x.get(b + ":" + end);
                xb.attach(sm);
                p.tempAttach(sm);
                float[] v = forward(p, xb, heads).toFloatArray();
                for (int r = 0; r < end - b; r++) {
                    double[] row = new double[k];
                    for (int j = 0; j < k; j++) row[j] = v[r * k + j];
                    out[b - from + r] = row;
                }
            }
        }
        return out;
    }
}
