package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * SIGReg (LeJEPA; LeWorldModel's anti-collapse term): pushes a batch of latents toward an isotropic standard Gaussian.
 * The latents are projected on {@code M} random unit directions; for each projection the Epps–Pulley statistic
 * compares its empirical characteristic function with the standard normal's, {@code N ∫ w(t) |φ̂(t) − e^{−t²/2}|² dt}
 * with the Gaussian window {@code w(t) = e^{−t²/2}} over {@code t ∈ [0, 3]} (trapezoid rule on {@link #KNOTS} knots).
 * The loss is the mean over directions. For Gaussian latents it is of order 1 whatever the batch size; for collapsed
 * latents (all equal, or in a low-rank subspace) it grows with the batch size.
 */
public final class SigReg {
    /** Integration knots on [0, 3]. */
    public static final int KNOTS = 17;
    private static final double T_MAX = 3.0;

    private SigReg() {}

    /** {@code M} random unit directions in {@code dim} dimensions as a {@code [dim, M]} array in {@code m}. */
    public static NDArray directions(NDManager m, int dim, int count, Random rng) {
        float[] a = new float[dim * count];
        for (int j = 0; j < count; j++) {
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                double v = rng.nextGaussian();
                a[i * count + j] = (float) v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < dim; i++) a[i * count + j] *= inv;
        }
        return m.create(a, new Shape(dim, count));
    }

    /**
     * The statistic of latents {@code z [..., N, D]} (the batch axis second to last; leading axes, e.g. time, are
     * separate groups whose statistics are averaged) along {@code directions [D, M]}: a scalar, differentiable.
     */
    public static NDArray loss(NDArray z, NDArray directions) {
        NDManager m = z.getManager();
        Shape s = z.getShape();
        long n = s.get(s.dimension() - 2);
        float[] t = new float[KNOTS], window = new float[KNOTS], weights = new float[KNOTS];
        double dt = T_MAX / (KNOTS - 1);
        for (int k = 0; k < KNOTS; k++) {
            t[k] = (float) (k * dt);
            window[k] = (float) Math.exp(-t[k] * t[k] / 2.0);
            weights[k] = (float) ((k == 0 || k == KNOTS - 1 ? dt / 2 : dt) * window[k] * n);
        }
        NDArray proj = z.matMul(directions); // [..., N, M]
        NDArray xt = proj.expandDims(-1).mul(m.create(t)); // [..., N, M, K]
        int batchAxis = xt.getShape().dimension() - 3;
        NDArray re = xt.cos().mean(new int[] {batchAxis}).sub(m.create(window)); // [..., M, K]
        NDArray im = xt.sin().mean(new int[] {batchAxis});
        NDArray err = re.square().add(im.square()); // [..., M, K]
        return err.mul(m.create(weights)).sum(new int[] {-1}).mean();
    }
}
