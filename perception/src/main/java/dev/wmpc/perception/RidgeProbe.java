package dev.wmpc.perception;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Closed-form ridge regression in its primal form, solved by {@link RidgeSolver} from the rows' moments (Σx, Σxxᵀ,
 * Σxyᵀ, Σy), so the cost grows with the number of features, not of samples: a probe can fit on every clip of a dataset.
 *
 * <p>Features are standardised with the statistics of all training rows; each fit centres on its own rows (an
 * intercept) and solves {@code (G + λI) w = b} with {@code G} the standardised, centred Gram matrix. λ is a factor of
 * {@code tr(G)/n} (the mean squared norm of a standardised row, as in the dual form {@code K = XXᵀ}), picked per
 * target group on a validation split of the training rows, then the model is refitted on all training rows.
 */
public final class RidgeProbe {
    private RidgeProbe() {}

    /**
     * A linear probe in one call: fits on the fit rows, picks λ per target group on the validation rows, refits on both
     * and returns each group's mean R² over its columns on the test rows (NaN for a group whose columns never vary).
     * Rows are features {@code x} and targets {@code y}; {@code groups} are the column counts of the target groups; a
     * column whose test standard deviation is at most {@code minSd} is not scored.
     */
    public static double[] linearR2(List<float[]> fitX, List<double[]> fitY, List<float[]> valX, List<double[]> valY,
                                    List<float[]> testX, List<double[]> testY, int[] groups, double minSd) {
        int f = fitX.get(0).length, k = fitY.get(0).length;
        Moments fit = new Moments(f, k), val = new Moments(f, k);
        for (int r = 0; r < fitX.size(); r++) fit.add(fitX.get(r), fitY.get(r));
        for (int r = 0; r < valX.size(); r++) val.add(valX.get(r), valY.get(r));
        List<double[]> per = probe(fit, val, f, groups, valX, valY, testX, testY, minSd);
        double[] out = new double[groups.length];
        for (int g = 0; g < groups.length; g++) out[g] = per.get(g) == null ? Double.NaN : mean(per.get(g));
        return out;
    }

    /** Candidate λ factors of {@code tr(G)/n}. */
    static final double[] LAMBDA_FACTORS = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10};

    /**
     * Sums over rows of features {@code x} (width {@code f}) and targets {@code y} (width {@code k}): {@code n},
     * {@code Σx}, {@code Σxxᵀ} (row-major f × f), {@code Σxyᵀ} (row-major f × k), {@code Σy}.
     */
    static final class Moments {
        final int f, k;
        long n;
        final double[] sx, sxx, sxy, sy;

        Moments(int f, int k) {
            this.f = f;
            this.k = k;
            sx = new double[f];
            sxx = new double[f * f];
            sxy = new double[f * k];
            sy = new double[k];
        }

        /** Adds one row. (Callers with many rows add {@code XᵀX} blocks computed in bulk through {@link #addBlock}.) */
        void add(float[] x, double[] y) {
            n++;
            for (int i = 0; i < f; i++) {
                double xi = x[i];
                sx[i] += xi;
                for (int j = 0; j < f; j++) sxx[i * f + j] += xi * x[j];
                for (int j = 0; j < k; j++) sxy[i * k + j] += xi * y[j];
            }
            for (int j = 0; j < k; j++) sy[j] += y[j];
        }

        /** Adds {@code rows} rows given their sums: {@code xx = XᵀX}, {@code xy = XᵀY}, column sums of X and Y. */
        void addBlock(int rows, double[] x, double[] xx, double[] xy, double[] y) {
            n += rows;
            for (int i = 0; i < sx.length; i++) sx[i] += x[i];
            for (int i = 0; i < sxx.length; i++) sxx[i] += xx[i];
            for (int i = 0; i < sxy.length; i++) sxy[i] += xy[i];
            for (int i = 0; i < sy.length; i++) sy[i] += y[i];
        }

        Moments plus(Moments o) {
            Moments m = new Moments(f, k);
            m.n = n + o.n;
            for (int i = 0; i < f; i++) m.sx[i] = sx[i] + o.sx[i];
            for (int i = 0; i < sxx.length; i++) m.sxx[i] = sxx[i] + o.sxx[i];
            for (int i = 0; i < sxy.length; i++) m.sxy[i] = sxy[i] + o.sxy[i];
            for (int i = 0; i < k; i++) m.sy[i] = sy[i] + o.sy[i];
            return m;
        }

        /** The moments of the first {@code width} features alone. */
        Moments leading(int width) {
            Moments m = new Moments(width, k);
            m.n = n;
            System.arraycopy(sx, 0, m.sx, 0, width);
            for (int i = 0; i < width; i++) {
                System.arraycopy(sxx, i * f, m.sxx, i * width, width);
                System.arraycopy(sxy, i * k, m.sxy, i * k, k);
            }
            System.arraycopy(sy, 0, m.sy, 0, k);
            return m;
        }

        /** Per-feature standard deviation over these rows (plus a floor, so a constant feature stays finite). */
        double[] sd() {
            double[] sd = new double[f];
            for (int i = 0; i < f; i++) {
                double mean = sx[i] / n;
                sd[i] = Math.sqrt(Math.max(0, sxx[i * f + i] / n - mean * mean)) + 1e-6;
            }
            return sd;
        }
    }

    /** A fitted linear map: {@code ŷ = yMean + Σ_i (x_i − xMean_i) w_i}, w already divided by the feature scale. */
    record Model(double[] xMean, double[] yMean, double[] w) {
        double[] predict(float[] x) {
            int f = xMean.length, k = yMean.length;
            double[] out = yMean.clone();
            for (int i = 0; i < f; i++) {
                double d = x[i] - xMean[i];
                if (d == 0) continue;
                for (int j = 0; j < k; j++) out[j] += d * w[i * k + j];
            }
            return out;
        }
    }

    /** Fits ridge on the rows summed in {@code m}, with features scaled by {@code sd}, at λ = factor · tr(G)/n. */
    static Model fit(Moments m, double[] sd, double lambdaFactor) {
        int f = m.f, k = m.k;
        double n = m.n;
        double[] xMean = new double[f], yMean = new double[k];
        for (int i = 0; i < f; i++) xMean[i] = m.sx[i] / n;
        for (int j = 0; j < k; j++) yMean[j] = m.sy[j] / n;
        DMatrixRMaj g = new DMatrixRMaj(f, f), b = new DMatrixRMaj(f, k);
        double trace = 0;
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) g.data[i * f + j] = (m.sxx[i * f + j] - n * xMean[i] * xMean[j]) / (sd[i] * sd[j]);
            for (int j = 0; j < k; j++) b.data[i * k + j] = (m.sxy[i * k + j] - n * xMean[i] * yMean[j]) / sd[i];
            trace += g.data[i * f + i];
        }
        double lambda = lambdaFactor * Math.max(trace / n, 1e-12);
        DMatrixRMaj w = RidgeSolver.solve(g, b, lambda);
        double[] scaled = new double[f * k];
        for (int i = 0; i < f; i++) for (int j = 0; j < k; j++) scaled[i * k + j] = w.data[i * k + j] / sd[i];
        return new Model(xMean, yMean, scaled);
    }

    /**
     * Picks λ per target group on the validation rows, refits on fit + validation rows, and returns each group's
     * per-column R² on the test rows (NaN for a column whose test standard deviation is at most {@code minSd}).
     *
     * @param groups column counts of the target groups, in the order of the targets' columns (e.g. 3 for the end
     *               effector, 3 for the object); a group of width 0 gets a null result
     * @param width  how many leading features to use (the moments may hold more)
     */
    static List<double[]> probe(Moments fit, Moments val, int width, int[] groups, List<float[]> valX, List<double[]> valY,
                                List<float[]> testX, List<double[]> testY, double minSd) {
        Moments f = width == fit.f ? fit : fit.leading(width);
        Moments v = width == val.f ? val : val.leading(width);
        Moments train = f.plus(v);
        double[] sd = train.sd();
        int[] offset = new int[groups.length + 1];
        for (int g = 0; g < groups.length; g++) offset[g + 1] = offset[g] + groups[g];
        double[] best = new double[groups.length];
        double[] bestFactor = new double[groups.length];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        Arrays.fill(bestFactor, 1);
        boolean validate = v.n > 0 && f.n > 1;
        for (double factor : validate ? LAMBDA_FACTORS : new double[0]) {
            Model model = fit(f, sd, factor);
            double[] err = new double[groups.length];
            for (int r = 0; r < valX.size(); r++) {
                double[] p = model.predict(valX.get(r));
                double[] t = valY.get(r);
                for (int g = 0; g < groups.length; g++)
                    for (int j = offset[g]; j < offset[g + 1]; j++) err[g] += (t[j] - p[j]) * (t[j] - p[j]);
            }
            for (int g = 0; g < groups.length; g++)
                if (err[g] < best[g]) { best[g] = err[g]; bestFactor[g] = factor; }
        }
        Map<Double, double[][]> finals = new HashMap<>();
        List<double[]> out = new ArrayList<>();
        for (int g = 0; g < groups.length; g++) {
            if (groups[g] == 0) { out.add(null); continue; }
            double[][] pred = finals.computeIfAbsent(bestFactor[g], factor -> {
                Model model = fit(train, sd, factor);
                double[][] p = new double[testX.size()][];
                for (int r = 0; r < p.length; r++) p[r] = model.predict(testX.get(r));
                return p;
            });
            double[][] truth = new double[pred.length][], part = new double[pred.length][];
            for (int r = 0; r < pred.length; r++) {
                truth[r] = Arrays.copyOfRange(testY.get(r), offset[g], offset[g + 1]);
                part[r] = Arrays.copyOfRange(pred[r], offset[g], offset[g + 1]);
            }
            out.add(r2PerColumn(truth, part, minSd));
        }
        return out;
    }

    /** The mean of the non-NaN values (NaN when there are none). */
    static double mean(double[] each) {
        double sum = 0;
        int used = 0;
        for (double v : each)
            if (!Double.isNaN(v)) {
                sum += v;
                used++;
            }
        return used == 0 ? Double.NaN : sum / used;
    }

    /**
     * Coefficient of determination of each column of {@code truth} by {@code pred}; NaN where the column's standard
     * deviation is at most {@code minSd} (it is not something the data varies).
     */
    static double[] r2PerColumn(double[][] truth, double[][] pred, double minSd) {
        int k = truth[0].length, rows = truth.length;
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (double[] t : truth) mean += t[j] / rows;
            double ssTot = 0, ssRes = 0;
            for (int i = 0; i < rows; i++) {
                double t = truth[i][j];
                ssTot += (t - mean) * (t - mean);
                ssRes += (t - pred[i][j]) * (t - pred[i][j]);
            }
            boolean varies = ssTot >= 1e-12 && Math.sqrt(ssTot / rows) > minSd;
            out[j] = varies ? 1 - ssRes / ssTot : Double.NaN;
        }
        return out;
    }
}
