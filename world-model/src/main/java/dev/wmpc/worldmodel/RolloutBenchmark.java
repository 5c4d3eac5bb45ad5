package dev.wmpc.worldmodel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;

/**
 * Times batched rollouts of a (randomly initialised) predictor: KV-cached and naive, next to the engine's sgemm rate
 * measured in the same process, with FLOPs counted analytically ({@link PredictorConfig#rolloutFlops}).
 */
public final class RolloutBenchmark {
    private RolloutBenchmark() {}

    /** The figures of one benchmark run. */
    public record Result(String model, int samples, int horizon, int contextFrames, int threads, int repeats,
                         double msPerRollout, double gflopPerRollout, double achievedGflops, double sgemmGflops,
                         double naiveMsPerRollout, double naiveGflopPerRollout, double kvSpeedup,
                         double nativeGrowthMb) {}

    /**
     * Runs {@code repeats} timed rollouts (after one warm-up) of {@code samples} x {@code horizon} from one context
     * frame; {@code naiveRepeats} of the naive rollout (0 skips it).
     */
    public static Result run(PredictorConfig config, Device device, int samples, int horizon, int repeats,
                             int naiveRepeats, long seed) {
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        try (AcPredictor model = AcPredictor.create(config, device, seed);
             NDManager m = NDManager.newBaseManager(device)) {
            Random rng = new Random(seed + 1);
            NDArray z = gaussian(m, rng, config.tokens(), config.latentDim());
            NDArray s = gaussian(m, rng, config.stateDim());
            NDArray actions = gaussian(m, rng, samples, horizon, config.actionDim());
            model.rollout(z, s, null, actions).close(); // warm-up
            double nativeBefore = NativeMemory.residentOutsideHeapMb();
            double[] ms = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                model.rollout(z, s, null, actions).close();
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            double growth = NativeMemory.residentOutsideHeapMb() - nativeBefore;
            double naiveMs = Double.NaN;
            if (naiveRepeats > 0) {
                double[] nms = new double[naiveRepeats];
                for (int i = 0; i < naiveRepeats; i++) {
                    long t = System.nanoTime();
                    model.rolloutNaive(z, s, null, actions).close();
                    nms[i] = (System.nanoTime() - t) / 1e6;
                }
                naiveMs = median(nms);
            }
            double sgemm = sgemmGflops(m, 2048, 3);
            double msPer = median(ms);
            double gflop = config.rolloutFlops(samples, 1, horizon) / 1e9;
            double naiveGflop = config.naiveRolloutFlops(samples, 1, horizon) / 1e9;
            return new Result(config.toString(), samples, horizon, 1, threads, repeats, msPer, gflop,
                    gflop / (msPer / 1e3), sgemm, naiveMs, naiveGflop, naiveMs / msPer, growth);
        }
    }

    /** GFLOP/s of an n x n x n float32 matMul through the engine (best of {@code repeats}, after a warm-up). */
    public static double sgemmGflops(NDManager parent, int n, int repeats) {
        try (NDManager m = parent.newSubManager()) {
            Random rng = new Random(0);
            NDArray a = gaussian(m, rng, n, n);
            NDArray b = gaussian(m, rng, n, n);
            a.matMul(b).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                NDArray c = a.matMul(b);
                c.toFloatArray(); // force completion on asynchronous devices
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
                c.close();
            }
            return 2.0 * n * n * (double) n / best / 1e9;
        }
    }

    private static NDArray gaussian(NDManager m, Random rng, long... shape) {
        Shape s = new Shape(shape);
        float[] v = new float[(int) s.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return m.create(v, s);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
