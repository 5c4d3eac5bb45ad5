package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.WmpcException;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Linear probes of a frozen encoder: ridge regression (closed form, EJML) from its latents of 2-frame clips to the
 * end-effector and object positions of the clip's last frame, fitted on training episodes and scored (R²) on
 * held-out episodes (every fifth). Features: the pooled vector concatenated with every patch token of the frame,
 * each token projected on the top {@code components} principal directions of the tokens (estimated on training clips).
 * The projection is linear, so the probe stays a linear map of the latents; it keeps the feature count at
 * {@code D + N·components} (4288 for {@code tiny}) instead of {@code N·D} (12288), which lets the primal solve
 * ({@link RidgeProbe}) fit on tens of thousands of clips, where a dual solve on all patch latents was cubic in the
 * clip count and stopped at a few thousand. The same architecture at random init is probed the same way as the
 * baseline.
 *
 * <p>R² is computed per axis and averaged over the axes the held-out data varies: an axis whose held-out standard
 * deviation is under {@link #MIN_AXIS_SD_M} is not a degree of freedom of the data (a cube resting on the table keeps
 * z = 2.5 cm, up to physics jitter of a tenth of a millimetre) and its R² would only measure noise; it is reported as
 * NaN and left out of the mean.
 */
public final class ProbeEvaluator {
    /** Held-out standard deviation (metres) under which an axis counts as constant. */
    public static final double MIN_AXIS_SD_M = 1e-3;

    /** Probe results; the scalar R² values are the means of the per-axis ones (x, y, z) over the axes that vary. */
    public record Report(double[] r2EeAxes, double[] r2ObjectAxes, double[] r2EeRandomInitAxes,
                         double[] r2ObjectRandomInitAxes, double[] r2EePooledAxes, double[] r2ObjectPooledAxes,
                         double[] r2EePooledRandomInitAxes, double[] r2ObjectPooledRandomInitAxes, int trainSamples, int testSamples,
                         int trainEpisodes, int testEpisodes, int tokenComponents, Readout readout,
                         double[] r2EeLinearAxes, double[] r2ObjectLinearAxes, double[] r2EeLinearRandomInitAxes,
                         double[] r2ObjectLinearRandomInitAxes) {
        public double r2Ee() { return RidgeProbe.mean(r2EeAxes); }
        public double r2Object() { return r2ObjectAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectAxes); }
        public double r2EeRandomInit() { return RidgeProbe.mean(r2EeRandomInitAxes); }
        public double r2ObjectRandomInit() { return r2ObjectRandomInitAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectRandomInitAxes); }
        public double r2EePooled() { return RidgeProbe.mean(r2EePooledAxes); }
        public double r2ObjectPooled() { return r2ObjectPooledAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectPooledAxes); }
        public double r2EePooledRandomInit() { return RidgeProbe.mean(r2EePooledRandomInitAxes); }
        public double r2ObjectPooledRandomInit() { return r2ObjectPooledRandomInitAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectPooledRandomInitAxes); }
        /** The linear probe's figures (the same as the headline ones when the readout is linear). */
        public double r2EeLinear() { return RidgeProbe.mean(r2EeLinearAxes); }
        public double r2ObjectLinear() { return r2ObjectLinearAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectLinearAxes); }
        public double r2EeLinearRandomInit() { return RidgeProbe.mean(r2EeLinearRandomInitAxes); }
        public double r2ObjectLinearRandomInit() { return r2ObjectLinearRandomInitAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectLinearRandomInitAxes); }
    }

    /** How the latents are read out. */
    public enum Readout {
        /** Ridge regression (the default): one linear map of the pooled vector and the projected tokens. */
        LINEAR,
        /**
         * V-JEPA's attentive probe ({@link AttentiveProbe}): a learned query cross-attends to the tokens. The
         * linear probe is fitted too and reported beside it; the pooled-only figures stay linear.
         */
        ATTENTIVE;

        @Override public String toString() { return name().toLowerCase(java.util.Locale.ROOT); }

        /** Parses a readout name; unknown names fail listing the known ones. */
        public static Readout parse(String name) {
            for (Readout r : values()) if (r.name().equalsIgnoreCase(name)) return r;
            throw new IllegalArgumentException("unknown readout '" + name + "': use linear or attentive");
        }
    }

    /** The attentive probe's training steps by default (batches of 128). */
    public static final int DEFAULT_PROBE_STEPS = AttentiveProbe.DEFAULT_STEPS;

    /** Principal directions of the patch tokens each token is projected on (all of them when the width is smaller). */
    public static final int DEFAULT_COMPONENTS = 64;
    /** Training clips the token basis is estimated from. */
    static final int BASIS_SAMPLES = 2000;
    private static final int BATCH = 64;
    /** Training rows per XᵀX product. */
    static final int FLUSH_ROWS = 2048;

    private final int maxTrain;
    private final int maxTest;
    private final int components;
    private final int flushRows;
    private final Readout readout;
    private final int steps;

    /**
     * @param maxTrain   most training clips (fit + validation), spread evenly over the training episodes
     * @param maxTest    most held-out clips
     * @param components principal directions kept per patch token
     */
    public ProbeEvaluator(int maxTrain, int maxTest, int components) {
        this(maxTrain, maxTest, components, FLUSH_ROWS, Readout.LINEAR, AttentiveProbe.DEFAULT_STEPS);
    }

    /**
     * As {@link #ProbeEvaluator(int, int, int)}, with a readout; {@code steps} is the attentive probe's training
     * length in batches of 128 (unused by the linear readout).
     */
    public ProbeEvaluator(int maxTrain, int maxTest, int components, Readout readout, int steps) {
        this(maxTrain, maxTest, components, FLUSH_ROWS, readout, steps);
    }

    /** As the public constructors, summing training rows into the moments {@code flushRows} at a time. */
    ProbeEvaluator(int maxTrain, int maxTest, int components, int flushRows, Readout readout, int steps) {
        if (components < 1) throw new IllegalArgumentException("token components must be >= 1, got " + components);
        if (steps < 1) throw new IllegalArgumentException("probe steps must be >= 1, got " + steps);
        this.maxTrain = maxTrain;
        this.maxTest = maxTest;
        this.components = components;
        this.flushRows = flushRows;
        this.readout = readout;
        this.steps = steps;
    }

    ProbeEvaluator(int maxTrain, int maxTest, int components, int flushRows) {
        this(maxTrain, maxTest, components, flushRows, Readout.LINEAR, AttentiveProbe.DEFAULT_STEPS);
    }

    public ProbeEvaluator(int maxTrain, int maxTest) { this(maxTrain, maxTest, DEFAULT_COMPONENTS); }

    private record Sample(int episode, int frame) {}

    /** Probes the encoder and a randomly initialised encoder of the same config. */
    public Report evaluate(VideoEncoder encoder, ClipSource source, long seed) {
        return evaluate(encoder, List.of(source), seed);
    }

    /**
     * Probes the encoder on several views of the same episodes (one source per camera): each clip's features are the
     * concatenation of every view's (pooled vectors first, then every view's projected tokens), so the probe stays
     * one linear map of the latents of all views. Targets and episodes come from the first view; every view must
     * have the same episodes of the same lengths.
     */
    public Report evaluate(VideoEncoder encoder, List<ClipSource> views, long seed) {
        if (views.isEmpty()) throw new IllegalArgumentException("no views to probe");
        ClipSource source = views.get(0);
        int episodes = source.episodes();
        for (ClipSource v : views.subList(1, views.size())) {
            boolean same = v.episodes() == episodes;
            for (int e = 0; same && e < episodes; e++) same = v.length(e) == source.length(e);
            if (!same) throw new WmpcException("the views " + source.describe() + " and " + v.describe()
                    + " do not hold the same episodes: probe cameras of one dataset");
        }
        if (episodes < 2) throw new WmpcException("probing needs at least 2 episodes (train and held-out) in " + source.describe());
        // Held out: every fifth episode (4, 9, 14, ...; the last one when there are fewer than five), so a dataset
        // recorded task after task has every task on both sides. λ is chosen on every fifth training episode.
        List<Integer> testEps = new ArrayList<>(), trainEps = new ArrayList<>();
        for (int e = 0; e < episodes; e++) {
            boolean held = episodes < 5 ? e == episodes - 1 : e % 5 == 4;
            (held ? testEps : trainEps).add(e);
        }
        List<Integer> fitEps = new ArrayList<>(), valEps = new ArrayList<>();
        for (int i = 0; i < trainEps.size(); i++) (trainEps.size() >= 5 && i % 5 == 4 ? valEps : fitEps).add(trainEps.get(i));
        int tub = encoder.config().tubelet();
        List<Sample> fitSamples = samples(source, fitEps, tub, maxTrain * fitEps.size() / Math.max(1, trainEps.size()));
        List<Sample> valSamples = samples(source, valEps, tub, Math.max(1, maxTrain - fitSamples.size()));
        List<Sample> train = new ArrayList<>(fitSamples);
        train.addAll(valSamples);
        List<Sample> test = samples(source, testEps, tub, maxTest);
        int testEpisodes = testEps.size(), trainEpisodes = trainEps.size();
        if (train.size() < 10 || test.isEmpty())
            throw new WmpcException("too few probe samples in " + source.describe() + ": episodes must have at least " + tub + " frames");
        List<Sample> all = new ArrayList<>(train);
        all.addAll(test);
        double[][] ee = new double[all.size()][];
        double[][] obj = new double[all.size()][];
        boolean haveObject = true;
        for (int i = 0; i < all.size(); i++) {
            Sample s = all.get(i);
            VideoClip c = source.clip(s.episode(), s.frame(), 1);
            if (c.eePosition() == null) throw new WmpcException(source.describe() + " has no end-effector positions to probe");
            ee[i] = toDouble(c.eePosition()[0]);
            if (c.objectPosition() == null) haveObject = false;
            else obj[i] = toDouble(c.objectPosition()[0]);
        }
        int nFit = fitSamples.size(), nTrain = train.size();
        if (nFit < 5 || valSamples.isEmpty()) { nFit = nTrain; } // too few episodes to validate: λ from the training rows
        List<double[]> targets = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            double[] y = new double[haveObject ? 6 : 3];
            System.arraycopy(ee[i], 0, y, 0, 3);
            if (haveObject) System.arraycopy(obj[i], 0, y, 3, 3);
            targets.add(y);
        }
        int[] groups = {3, haveObject ? 3 : 0};
        int d = encoder.config().dim() * views.size(); // the pooled vectors of every view
        List<double[]> full, fullRandom, linear, linearRandom, pooled, pooledRandom;
        try (NDManager keep = NDManager.newBaseManager(encoder.device())) {
            boolean attentive = readout == Readout.ATTENTIVE;
            Features trained = features(encoder, views, all, nFit, nTrain, targets, attentive ? keep : null);
            linear = trained.probe(trained.width, groups);
            pooled = trained.probe(d, groups);
            full = attentive ? attentive(trained, targets, nFit, nTrain, groups, seed) : linear;
            if (attentive) trained.tokens().close();
            try (VideoEncoder r = VideoEncoder.create(encoder.config(), seed ^ 0x5EEDL, encoder.device())) {
                Features random = features(r, views, all, nFit, nTrain, targets, attentive ? keep : null);
                linearRandom = random.probe(random.width, groups);
                pooledRandom = random.probe(d, groups);
                fullRandom = attentive ? attentive(random, targets, nFit, nTrain, groups, seed) : linearRandom;
            }
            return new Report(full.get(0), full.get(1), fullRandom.get(0), fullRandom.get(1), pooled.get(0), pooled.get(1),
                    pooledRandom.get(0), pooledRandom.get(1), nTrain, test.size(), trainEpisodes, testEpisodes, trained.components,
                    readout, linear.get(0), linear.get(1), linearRandom.get(0), linearRandom.get(1));
        }
    }

    private List<double[]> attentive(Features f, List<double[]> targets, int nFit, int nTrain, int[] groups, long seed) {
        if (nFit >= nTrain)
            throw new WmpcException("the attentive probe needs validation episodes to choose its checkpoint: probe a dataset of at least 6 episodes");
        return AttentiveProbe.probe(f.tokens(), targets, nFit, nTrain, groups,
                AttentiveProbe.Settings.of(steps, seed), MIN_AXIS_SD_M);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    /** Evenly spaced clip end frames over the episodes, at most {@code max}. */
    private static List<Sample> samples(ClipSource source, List<Integer> episodes, int tub, int max) {
        if (episodes.isEmpty() || max <= 0) return new ArrayList<>();
        long total = 0;
        for (int e : episodes) total += Math.max(0, source.length(e) - tub + 1);
        int stride = (int) Math.max(1, (total + max - 1) / max);
        List<Sample> out = new ArrayList<>();
        long k = 0;
        for (int e : episodes)
            for (int f = tub - 1; f < source.length(e); f++, k++)
                if (k % stride == 0) out.add(new Sample(e, f));
        return out;
    }

    /**
     * One encoder's probe data: the moments of the fit and validation rows' features (pooled vector first, then every
     * patch token projected on the top principal directions of the tokens), and the validation and test rows
     * themselves.
     */
    private record Features(int width, int components, RidgeProbe.Moments fit, RidgeProbe.Moments val,
                            List<float[]> valX, List<double[]> valY, List<float[]> testX, List<double[]> testY,
                            NDArray tokens) {
        List<double[]> probe(int w, int[] groups) {
            return RidgeProbe.probe(fit, val, w, groups, valX, valY, testX, testY, MIN_AXIS_SD_M);
        }
    }

    /** Encodes {@code samples[from, to)} in batches and hands each batch's last-tubelet latents {@code [b, N, D]} on. */
    private static void encodeBatches(VideoEncoder encoder, ClipSource source, List<Sample> samples, int from, int to,
                                      NDManager m, java.util.function.BiConsumer<Integer, NDArray> each) {
        for (int s = from; s < to; s += BATCH) {
            try (NDManager step = m.newSubManager()) {
                each.accept(s, encodeBatch(encoder, source, samples, s, Math.min(BATCH, to - s), step));
            }
        }
    }

    /** The last-tubelet latents {@code [n, N, D]} of {@code samples[s, s+n)}, in {@code step}. */
    private static NDArray encodeBatch(VideoEncoder encoder, ClipSource source, List<Sample> samples, int s, int n, NDManager step) {
        EncoderConfig c = encoder.config();
        FramePreprocessor pre = new FramePreprocessor(c.imageSize());
        int tub = c.tubelet(), len = pre.frameLength();
        float[] data = new float[n * tub * len];
        for (int i = 0; i < n; i++) {
            Sample smp = samples.get(s + i);
            VideoClip clip = source.clip(smp.episode(), smp.frame() - tub + 1, tub);
            for (int f = 0; f < tub; f++)
                pre.preprocessRgb(clip.rgb(), clip.frameOffset(f), clip.width(), clip.height(), data, (i * tub + f) * len);
        }
        NDArray lat = encoder.encode(step, step.create(data, new Shape(n, tub, 3, c.imageSize(), c.imageSize())));
        return lat.get(":, -1");
    }

    /** One view's token basis: the mean token, the mean pooled vector and the top principal directions [D, k]. */
    private record Basis(NDArray tokenMean, NDArray pooledMean, NDArray directions) {}

    /**
     * Rows {@code [0, nFit)} of {@code samples} are fitted, {@code [nFit, nTrain)} validate λ, the rest are scored. Each
     * view's token basis (mean and top principal directions of its patch tokens) comes from up to
     * {@link #BASIS_SAMPLES} training clips spread over them. A row is every view's pooled vector, then every view's
     * projected tokens. With {@code keepTokens}, every clip's tokens (all views', normalised per token:
     * {@link AttentiveProbe#normalise}) are kept there too, {@code [n, views·N, D]}.
     */
    private Features features(VideoEncoder encoder, List<ClipSource> views, List<Sample> samples, int nFit, int nTrain,
                              List<double[]> targets, NDManager keepTokens) {
        EncoderConfig c = encoder.config();
        int d = c.dim(), tokens = c.tokensPerTubelet(), k = Math.min(components, d), nv = views.size();
        int width = nv * (d + tokens * k);
        int yw = targets.get(0).length;
        try (NDManager m = NDManager.newBaseManager(encoder.device())) {
            // 1. Each view's token basis, from training clips only.
            List<Sample> basisSamples = new ArrayList<>();
            int stride = Math.max(1, (nTrain + BASIS_SAMPLES - 1) / BASIS_SAMPLES);
            for (int i = 0; i < nTrain; i += stride) basisSamples.add(samples.get(i));
            List<Basis> bases = new ArrayList<>();
            for (ClipSource view : views) bases.add(basis(encoder, view, basisSamples, k, m));
            // 2. Every clip's features; moments of the training rows (XᵀX summed over blocks of FLUSH_ROWS rows), the
            // validation and test rows kept.
            RidgeProbe.Moments fit = new RidgeProbe.Moments(width, yw), val = new RidgeProbe.Moments(width, yw);
            Pending pendingFit = new Pending(fit, targets, flushRows), pendingVal = new Pending(val, targets, flushRows);
            List<float[]> valX = new ArrayList<>(), testX = new ArrayList<>();
            // Every clip's tokens, written batch by batch into one array (no second copy of them at the end).
            NDArray all = keepTokens == null ? null : keepTokens.zeros(new Shape(samples.size(), (long) nv * tokens, d));
            for (int s = 0; s < samples.size(); s += BATCH) {
                int b = Math.min(BATCH, samples.size() - s);
                try (NDManager step = m.newSubManager()) {
                    NDList pooled = new NDList(), projected = new NDList(), tokenViews = new NDList();
                    for (int v = 0; v < nv; v++) {
                        NDArray lat = encodeBatch(encoder, views.get(v), samples, s, b, step);
                        if (keepTokens != null) tokenViews.add(AttentiveProbe.normalise(lat));
                        Basis basis = bases.get(v);
                        pooled.add(lat.mean(new int[] {1}).sub(basis.pooledMean()));
                        projected.add(lat.sub(basis.tokenMean()).reshape(-1, d).matMul(basis.directions()).reshape(b, tokens * k));
                    }
                    if (all != null) all.set(new NDIndex(s + ":" + (s + b)), nv == 1 ? tokenViews.get(0) : NDArrays.concat(tokenViews, 1));
                    pooled.addAll(projected);
                    NDArray x = NDArrays.concat(pooled, 1); // [b, width]
                    for (int[] part : split(s, b, nFit, nTrain)) {
                        int from = part[0] - s, to = part[1] - s;
                        NDArray rows = x.get(from + ":" + to);
                        if (part[2] > 0) { // validation or test rows: kept
                            float[] flat = rows.toFloatArray();
                            for (int r = 0; r < to - from; r++)
                                (part[2] == 1 ? valX : testX).add(java.util.Arrays.copyOfRange(flat, r * width, (r + 1) * width));
                        }
                        if (part[2] < 2) (part[2] == 0 ? pendingFit : pendingVal).add(rows, part[0], m);
                    }
                }
            }
            pendingFit.flush();
            pendingVal.flush();
            return new Features(width, k, fit, val, valX, targets.subList(nFit, nTrain), testX, targets.subList(nTrain, samples.size()), all);
        }
    }

    /** One view's token basis from {@code basisSamples}, in {@code m}. */
    private static Basis basis(VideoEncoder encoder, ClipSource view, List<Sample> basisSamples, int k, NDManager m) {
        EncoderConfig c = encoder.config();
        int d = c.dim(), tokens = c.tokensPerTubelet();
        double[] tokenSum = new double[d], pooledSum = new double[d];
        double[] tokenSq = new double[d * d];
        encodeBatches(encoder, view, basisSamples, 0, basisSamples.size(), m, (s, lat) -> {
            NDArray t = lat.reshape(-1, d);
            add(tokenSum, t.sum(new int[] {0}).toFloatArray());
            add(tokenSq, t.transpose().matMul(t).toFloatArray());
            add(pooledSum, lat.mean(new int[] {1}).sum(new int[] {0}).toFloatArray());
        });
        long nTok = (long) basisSamples.size() * tokens;
        double[] tokenMean = new double[d], pooledMean = new double[d];
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            tokenMean[i] = tokenSum[i] / nTok;
            pooledMean[i] = pooledSum[i] / basisSamples.size();
        }
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) cov.set(i, j, tokenSq[i * d + j] / nTok - tokenMean[i] * tokenMean[j]);
        float[] directions = topComponents(cov, k); // [d, k] row-major
        return new Basis(m.create(toFloat(tokenMean)), m.create(toFloat(pooledMean)), m.create(directions, new Shape(d, k)));
    }

    /** Feature rows waiting to be summed into moments in one block (one XᵀX product per FLUSH_ROWS rows). */
    private static final class Pending {
        private final RidgeProbe.Moments into;
        private final List<double[]> targets;
        private final NDList rows = new NDList();
        private final List<Integer> firstRow = new ArrayList<>();
        private final int flushRows;
        private int count;

        Pending(RidgeProbe.Moments into, List<double[]> targets, int flushRows) {
            this.into = into;
            this.targets = targets;
            this.flushRows = flushRows;
        }

        /** Keeps {@code x} (rows {@code first ..} of the samples) in {@code keep} until a block is full. */
        void add(NDArray x, int first, NDManager keep) {
            x.attach(keep);
            rows.add(x);
            firstRow.add(first);
            count += (int) x.getShape().get(0);
            if (count >= flushRows) flush();
        }

        void flush() {
            if (count == 0) return;
            int yw = into.k;
            double[] yf = new double[count * yw];
            double[] ySum = new double[yw];
            int r = 0;
            for (int i = 0; i < rows.size(); i++)
                for (int j = 0; j < rows.get(i).getShape().get(0); j++, r++) {
                    double[] y = targets.get(firstRow.get(i) + j);
                    for (int c = 0; c < yw; c++) {
                        yf[r * yw + c] = y[c];
                        ySum[c] += y[c];
                    }
                }
            try (NDManager tmp = rows.get(0).getManager().newSubManager()) {
                NDArray x32 = rows.size() == 1 ? rows.get(0) : NDArrays.concat(rows, 0);
                x32.attach(tmp); // x and everything computed from it is freed with tmp
                // Summed in double: over tens of thousands of clips, float sums left the centred Gram matrix
                // indefinite at the smallest λ (Cholesky refused it).
                NDArray x = x32.toType(DataType.FLOAT64, false), xt = x.transpose();
                into.addBlock(count, x.sum(new int[] {0}).toDoubleArray(), xt.matMul(x).toDoubleArray(),
                        xt.matMul(tmp.create(yf, new Shape(count, yw))).toDoubleArray(), ySum);
                if (rows.size() > 1) rows.forEach(NDArray::close);
            }
            rows.clear();
            firstRow.clear();
            count = 0;
        }
    }

    /** Splits rows {@code [s, s+b)} at nFit and nTrain: {from, to, 0 fit | 1 validation | 2 test}. */
    private static List<int[]> split(int s, int b, int nFit, int nTrain) {
        List<int[]> out = new ArrayList<>();
        int[] bounds = {0, nFit, nTrain, Integer.MAX_VALUE};
        for (int kind = 0; kind < 3; kind++) {
            int from = Math.max(s, bounds[kind]), to = Math.min(s + b, bounds[kind + 1]);
            if (from < to) out.add(new int[] {from, to, kind});
        }
        return out;
    }

    /** The {@code k} eigenvectors of a symmetric matrix with the largest eigenvalues, as a row-major [d, k] array. */
    static float[] topComponents(DMatrixRMaj cov, int k) {
        int d = cov.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(cov.copy())) throw new IllegalStateException("eigen-decomposition of the token covariance failed");
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).getReal(), eig.getEigenvalue(a).getReal()));
        float[] out = new float[d * k];
        for (int c = 0; c < k; c++) {
            DMatrixRMaj vec = eig.getEigenVector(order[c]);
            for (int i = 0; i < d; i++) out[i * k + c] = (float) vec.get(i, 0);
        }
        return out;
    }

    private static void add(double[] acc, float[] v) {
        for (int i = 0; i < acc.length; i++) acc[i] += v[i];
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
