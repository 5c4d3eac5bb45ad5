package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RidgeProbeTest {
    /** Rows of 12 features; targets: 3 columns linear in the features (plus 1% noise), 3 columns of pure noise. */
    private record Data(List<float[]> x, List<double[]> y) {}

    private static Data data(int rows, long seed) {
        Random rnd = new Random(seed), wr = new Random(99);
        double[][] w = new double[12][3];
        for (double[] r : w) for (int j = 0; j < 3; j++) r[j] = wr.nextGaussian();
        List<float[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            float[] x = new float[12];
            for (int i = 0; i < 12; i++) x[i] = (float) (5 + (i + 1) * rnd.nextGaussian()); // offset and unequal scales
            double[] y = new double[6];
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 12; i++) y[j] += x[i] * w[i][j] / (i + 1);
                y[j] += 0.01 * rnd.nextGaussian() + 0.3;
                y[3 + j] = rnd.nextGaussian();
            }
            xs.add(x);
            ys.add(y);
        }
        return new Data(xs, ys);
    }

    private static RidgeProbe.Moments moments(Data d) {
        RidgeProbe.Moments m = new RidgeProbe.Moments(12, 6);
        for (int r = 0; r < d.x().size(); r++) m.add(d.x().get(r), d.y().get(r));
        return m;
    }

    @Test void recoversALinearMapAndFindsNothingInNoise() {
        Data fit = data(300, 1), val = data(100, 2), test = data(200, 3);
        List<double[]> r2 = RidgeProbe.probe(moments(fit), moments(val), 12, new int[] {3, 3}, val.x(), val.y(), test.x(), test.y(), 0);
        for (double v : r2.get(0)) assertThat(v).isGreaterThan(0.99);
        for (double v : r2.get(1)) assertThat(v).isLessThan(0.05);
    }

    @Test void leadingFeaturesAloneExplainLess() {
        // The first 2 of 12 features carry a small share of the signal: a probe restricted to them must score lower.
        Data fit = data(300, 1), val = data(100, 2), test = data(200, 3);
        double all = RidgeProbe.mean(RidgeProbe.probe(moments(fit), moments(val), 12, new int[] {3, 3}, val.x(), val.y(), test.x(), test.y(), 0).get(0));
        double two = RidgeProbe.mean(RidgeProbe.probe(moments(fit), moments(val), 2, new int[] {3, 3}, val.x(), val.y(), test.x(), test.y(), 0).get(0));
        assertThat(two).isLessThan(all - 0.3);
    }

    @Test void blockMomentsEqualRowByRowMoments() {
        Data d = data(50, 4);
        RidgeProbe.Moments rows = moments(d), block = new RidgeProbe.Moments(12, 6);
        double[] sx = new double[12], xx = new double[144], xy = new double[72];
        double[] sy = new double[6];
        for (int r = 0; r < 50; r++) {
            float[] x = d.x().get(r);
            double[] y = d.y().get(r);
            for (int i = 0; i < 12; i++) {
                sx[i] += x[i];
                for (int j = 0; j < 12; j++) xx[i * 12 + j] += (double) x[i] * x[j];
                for (int j = 0; j < 6; j++) xy[i * 6 + j] += x[i] * y[j];
            }
            for (int j = 0; j < 6; j++) sy[j] += y[j];
        }
        block.addBlock(50, sx, xx, xy, sy);
        double[] sd = rows.sd();
        double[] a = RidgeProbe.fit(rows, sd, 1e-2).predict(d.x().get(7)), b = RidgeProbe.fit(block, sd, 1e-2).predict(d.x().get(7));
        for (int j = 0; j < 6; j++) assertThat(b[j]).isCloseTo(a[j], within(1e-3));
    }
}
