package dev.wmpc.perception;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Closed-form ridge regression in its dual (kernel) form, solved with EJML: given the Gram matrix of standardised
 * training features {@code K = X Xᵀ} and centred targets, {@code α = (K + λI)⁻¹ y} and predictions
 * {@code K_test α + mean}. The dual suits probes where features (patch latents) outnumber samples.
 */
final class RidgeProbe {
    private RidgeProbe() {}

    /** Fits on rows {@code fit} of the Gram matrix and predicts rows {@code eval}; returns predictions [eval, k]. */
    static double[][] fitPredict(double[][] gram, double[][] y, int[] fit, int[] eval, double lambda) {
        int n = fit.length, k = y[0].length;
        double[] mean = new double[k];
        for (int i : fit) for (int j = 0; j < k; j++) mean[j] += y[i][j] / n;
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        DMatrixRMaj b = new DMatrixRMaj(n, k);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) a.set(r, c, gram[fit[r]][fit[c]]);
            a.add(r, r, lambda);
            for (int j = 0; j < k; j++) b.set(r, j, y[fit[r]][j] - mean[j]);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(n);
        DMatrixRMaj alpha = new DMatrixRMaj(n, k);
        if (!solver.setA(a)) {
            solver = LinearSolverFactory_DDRM.linear(n);
            if (!solver.setA(a)) throw new IllegalStateException("ridge system is singular at lambda " + lambda);
        }
        solver.solve(b, alpha);
        DMatrixRMaj kt = new DMatrixRMaj(eval.length, n);
        for (int r = 0; r < eval.length; r++) for (int c = 0; c < n; c++) kt.set(r, c, gram[eval[r]][fit[c]]);
        DMatrixRMaj pred = new DMatrixRMaj(eval.length, k);
        CommonOps_DDRM.mult(kt, alpha, pred);
        double[][] out = new double[eval.length][k];
        for (int r = 0; r < eval.length; r++) for (int j = 0; j < k; j++) out[r][j] = pred.get(r, j) + mean[j];
        return out;
    }

    /** Coefficient of determination averaged over output columns (columns without variance are skipped). */
    static double r2(double[][] truth, int[] rows, double[][] pred) {
        return mean(r2PerColumn(truth, rows, pred));
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

    /** Coefficient of determination of each output column over {@code rows}; NaN where the column does not vary there. */
    static double[] r2PerColumn(double[][] truth, int[] rows, double[][] pred) {
        return r2PerColumn(truth, rows, pred, 0);
    }

    /**
     * Coefficient of determination of each output column over {@code rows}; NaN where the column's standard deviation
     * there is at most {@code minSd} (it is not something the data varies).
     */
    static double[] r2PerColumn(double[][] truth, int[] rows, double[][] pred, double minSd) {
        int k = truth[0].length;
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (int r : rows) mean += truth[r][j] / rows.length;
            double ssTot = 0, ssRes = 0;
            for (int i = 0; i < rows.length; i++) {
                double t = truth[rows[i]][j];
                ssTot += (t - mean) * (t - mean);
                ssRes += (t - pred[i][j]) * (t - pred[i][j]);
            }
            boolean varies = ssTot >= 1e-12 && Math.sqrt(ssTot / rows.length) > minSd;
            out[j] = varies ? 1 - ssRes / ssTot : Double.NaN;
        }
        return out;
    }

    /** Mean squared error over all entries. */
    static double mse(double[][] truth, int[] rows, double[][] pred) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < rows.length; i++)
            for (int j = 0; j < pred[i].length; j++) {
                double d = truth[rows[i]][j] - pred[i][j];
                s += d * d;
                n++;
            }
        return s / n;
    }

    /**
     * Picks λ on a validation split of the training rows, refits on all training rows, returns the test R² of each
     * output column (NaN for columns whose test standard deviation is at most {@code minSd}).
     */
    static double[] probe(double[][] gram, double[][] y, int[] fit, int[] val, int[] train, int[] test, double minSd) {
        return probe(gram, java.util.List.<double[][]>of(y), fit, val, train, test, minSd).get(0);
    }

    /**
     * {@link #probe(double[][], double[][], int[], int[], int[], int[], double)} for several targets over the same
     * features: each candidate λ is solved once for all of them (one factorisation), and each target gets its own
     * best λ. A null target gives a null result.
     */
    static java.util.List<double[]> probe(double[][] gram, java.util.List<double[][]> targets, int[] fit, int[] val,
                                          int[] train, int[] test, double minSd) {
        int groups = targets.size();
        int[] offset = new int[groups + 1];
        for (int g = 0; g < groups; g++) offset[g + 1] = offset[g] + (targets.get(g) == null ? 0 : targets.get(g)[0].length);
        double[][] y = new double[gram.length][offset[groups]];
        for (int g = 0; g < groups; g++)
            if (targets.get(g) != null)
                for (int r = 0; r < gram.length; r++) System.arraycopy(targets.get(g)[r], 0, y[r], offset[g], offset[g + 1] - offset[g]);
        double trace = 0;
        for (int i : train) trace += gram[i][i];
        double scale = trace / train.length;
        double[] best = new double[groups];
        double[] bestLambda = new double[groups];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(bestLambda, scale);
        for (double f : new double[] {1e-4, 1e-3, 1e-2, 1e-1, 1, 10}) {
            double lambda = f * scale;
            double[][] pred = fitPredict(gram, y, fit, val, lambda);
            for (int g = 0; g < groups; g++) {
                if (offset[g + 1] == offset[g]) continue;
                double e = 0;
                for (int i = 0; i < val.length; i++)
                    for (int j = offset[g]; j < offset[g + 1]; j++) {
                        double d = y[val[i]][j] - pred[i][j];
                        e += d * d;
                    }
                if (e < best[g]) { best[g] = e; bestLambda[g] = lambda; }
            }
        }
        java.util.List<double[]> out = new java.util.ArrayList<>();
        java.util.Map<Double, double[][]> finals = new java.util.HashMap<>();
        for (int g = 0; g < groups; g++) {
            if (offset[g + 1] == offset[g]) { out.add(null); continue; }
            double[][] pred = finals.computeIfAbsent(bestLambda[g], l -> fitPredict(gram, y, train, test, l));
            int k = offset[g + 1] - offset[g];
            double[][] truth = new double[gram.length][], part = new double[test.length][k];
            for (int r = 0; r < gram.length; r++) truth[r] = targets.get(g)[r];
            for (int i = 0; i < test.length; i++) System.arraycopy(pred[i], offset[g], part[i], 0, k);
            out.add(r2PerColumn(truth, test, part, minSd));
        }
        return out;
    }
}
