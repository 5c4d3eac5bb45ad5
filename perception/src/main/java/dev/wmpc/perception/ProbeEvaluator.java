package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.WmpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Linear probes of a frozen encoder: ridge regression (closed form, EJML) from its latents of 2-frame clips to the
 * end-effector and object positions of the clip's last frame, fitted on training episodes and scored (R²) on
 * held-out episodes (every fifth). Features: the pooled vector concatenated with all patch latents of the frame.
 * The same architecture at random init is probed alongside as the baseline.
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
                         double[] r2EePooledRandomInitAxes, double[] r2ObjectPooledRandomInitAxes, int trainSamples, int testSamples, int trainEpisodes, int testEpisodes) {
        public double r2Ee() { return RidgeProbe.mean(r2EeAxes); }
        public double r2Object() { return r2ObjectAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectAxes); }
        public double r2EeRandomInit() { return RidgeProbe.mean(r2EeRandomInitAxes); }
        public double r2ObjectRandomInit() { return r2ObjectRandomInitAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectRandomInitAxes); }
        public double r2EePooled() { return RidgeProbe.mean(r2EePooledAxes); }
        public double r2ObjectPooled() { return r2ObjectPooledAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectPooledAxes); }
        public double r2EePooledRandomInit() { return RidgeProbe.mean(r2EePooledRandomInitAxes); }
        public double r2ObjectPooledRandomInit() { return r2ObjectPooledRandomInitAxes == null ? Double.NaN : RidgeProbe.mean(r2ObjectPooledRandomInitAxes); }
    }

    private final int maxTrain;
    private final int maxTest;

    public ProbeEvaluator(int maxTrain, int maxTest) {
        this.maxTrain = maxTrain;
        this.maxTest = maxTest;
    }

    public ProbeEvaluator() { this(1500, 1000); }

    private record Sample(int episode, int frame) {}

    /** Probes the encoder and a randomly initialised encoder of the same config. */
    public Report evaluate(VideoEncoder encoder, ClipSource source, long seed) {
        int episodes = source.episodes();
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
            Clip c = source.clip(s.episode(), s.frame(), 1);
            if (c.eePosition() == null) throw new WmpcException(source.describe() + " has no end-effector positions to probe");
            ee[i] = toDouble(c.eePosition()[0]);
            if (c.objectPosition() == null) haveObject = false;
            else obj[i] = toDouble(c.objectPosition()[0]);
        }
        int nTrain = train.size();
        int valStart = fitSamples.size();
        int[] trainIdx = IntStream.range(0, nTrain).toArray();
        int[] fit = IntStream.range(0, valStart).toArray();
        int[] val = IntStream.range(valStart, nTrain).toArray();
        if (fit.length < 5 || val.length == 0) { fit = trainIdx; val = trainIdx; }
        int[] testIdx = IntStream.range(nTrain, all.size()).toArray();

        double[][][] grams = grams(encoder, source, all, nTrain);
        double[][][] gramsRandom;
        try (VideoEncoder random = VideoEncoder.create(encoder.config(), seed ^ 0x5EEDL, encoder.device())) {
            gramsRandom = grams(random, source, all, nTrain);
        }
        double sd = MIN_AXIS_SD_M;
        List<double[][]> targets = java.util.Arrays.asList(ee, haveObject ? obj : null);
        List<double[]> full = RidgeProbe.probe(grams[0], targets, fit, val, trainIdx, testIdx, sd);
        List<double[]> fullRandom = RidgeProbe.probe(gramsRandom[0], targets, fit, val, trainIdx, testIdx, sd);
        List<double[]> pooled = RidgeProbe.probe(grams[1], targets, fit, val, trainIdx, testIdx, sd);
        List<double[]> pooledRandom = RidgeProbe.probe(gramsRandom[1], targets, fit, val, trainIdx, testIdx, sd);
        return new Report(full.get(0), full.get(1), fullRandom.get(0), fullRandom.get(1), pooled.get(0), pooled.get(1),
                pooledRandom.get(0), pooledRandom.get(1),
                nTrain, testIdx.length, trainEpisodes, testEpisodes);
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

    /** Gram matrices of standardised features (statistics from training rows): [0] pooled + all patches, [1] pooled only. */
    private static double[][][] grams(VideoEncoder encoder, ClipSource source, List<Sample> samples, int nTrain) {
        EncoderConfig c = encoder.config();
        FramePreprocessor pre = new FramePreprocessor(c.imageSize());
        int tub = c.tubelet(), len = pre.frameLength();
        try (NDManager m = NDManager.newBaseManager(encoder.device())) {
            NDList pooled = new NDList(), grid = new NDList();
            int batch = 32;
            for (int s = 0; s < samples.size(); s += batch) {
                int n = Math.min(batch, samples.size() - s);
                float[] data = new float[n * tub * len];
                for (int i = 0; i < n; i++) {
                    Sample smp = samples.get(s + i);
                    Clip clip = source.clip(smp.episode(), smp.frame() - tub + 1, tub);
                    for (int f = 0; f < tub; f++)
                        pre.preprocessRgb(clip.rgb(), clip.frameOffset(f), clip.width(), clip.height(), data, (i * tub + f) * len);
                }
                try (NDManager step = m.newSubManager()) {
                    NDArray lat = encoder.encode(step, step.create(data, new Shape(n, tub, 3, c.imageSize(), c.imageSize())));
                    NDArray last = lat.get(":, -1"); // [n, N, D]
                    NDArray p = last.mean(new int[] {1});
                    NDArray q = last.reshape(n, -1);
                    p.attach(m);
                    q.attach(m);
                    pooled.add(p);
                    grid.add(q);
                }
            }
            NDArray pf = NDArrays.concat(pooled, 0);
            NDArray both = NDArrays.concat(new NDList(pf, NDArrays.concat(grid, 0)), 1);
            return new double[][][] {gram(both, nTrain), gram(pf, nTrain)};
        }
    }

    private static double[][] gram(NDArray x, int nTrain) {
        NDArray tr = x.get("0:" + nTrain);
        NDArray mean = tr.mean(new int[] {0}, true);
        NDArray std = tr.sub(mean).square().mean(new int[] {0}, true).sqrt().add(1e-6f);
        NDArray z = x.sub(mean).div(std);
        NDArray k = z.matMul(z.transpose()).div(z.getShape().get(1));
        int n = (int) k.getShape().get(0);
        float[] flat = k.toFloatArray();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[i][j] = flat[i * n + j];
        return out;
    }
}
