package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SigRegTest {
    static final int N = 512, D = 16;

    static float stat(float[] z) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray dirs = SigReg.directions(m, D, 256, new Random(3));
            return SigReg.loss(m.create(z, new Shape(N, D)), dirs).getFloat();
        }
    }

    static float[] gaussian(long seed, double scale) {
        Random r = new Random(seed);
        float[] z = new float[N * D];
        for (int i = 0; i < z.length; i++) z[i] = (float) (scale * r.nextGaussian());
        return z;
    }

    @Test
    void lowForStandardGaussianSamples() {
        assertThat(stat(gaussian(1, 1))).isLessThan(1.5f);
        assertThat(stat(gaussian(2, 1))).isLessThan(1.5f);
    }

    @Test
    void highForCollapsedShrunkOrLowRankSamples() {
        float gaussian = stat(gaussian(1, 1));
        float[] same = new float[N * D];
        for (int i = 0; i < N; i++) for (int j = 0; j < D; j++) same[i * D + j] = 0.3f * j / D;
        assertThat(stat(same)).as("every sample the same").isGreaterThan(50 * gaussian);
        assertThat(stat(gaussian(4, 0.1))).as("a Gaussian of std 0.1").isGreaterThan(30 * gaussian);
        // rank 2: every sample in the span of two directions
        Random r = new Random(5);
        float[] low = new float[N * D];
        for (int i = 0; i < N; i++) {
            double a = r.nextGaussian(), b = r.nextGaussian();
            for (int j = 0; j < D; j++) low[i * D + j] = (float) (j % 2 == 0 ? a : b);
        }
        assertThat(stat(low)).as("rank 2 of 16").isGreaterThan(20 * gaussian);
    }

    @Test
    void averagesOverLeadingGroupsAndIsDifferentiable() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray dirs = SigReg.directions(m, D, 64, new Random(3));
            NDArray a = m.create(gaussian(1, 1), new Shape(N, D)), b = m.create(gaussian(4, 0.1), new Shape(N, D));
            float both = SigReg.loss(a.stack(b), dirs).getFloat();
            float sep = (SigReg.loss(a, dirs).getFloat() + SigReg.loss(b, dirs).getFloat()) / 2;
            assertThat(both).isCloseTo(sep, org.assertj.core.data.Percentage.withPercentage(0.1));
            // the gradient pushes a shrunk cloud outward: one small step along -grad lowers the statistic
            NDArray z = m.create(gaussian(4, 0.3), new Shape(N, D));
            z.setRequiresGradient(true);
            float before;
            try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray l = SigReg.loss(z, dirs);
                before = l.getFloat();
                gc.backward(l);
            }
            NDArray moved = z.sub(z.getGradient().mul(m.create(0.05f)));
            assertThat(SigReg.loss(moved, dirs).getFloat()).isLessThan(before);
        }
    }
}
