package dev.wmpc.perception;

import dev.wmpc.core.WmpcException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The project's ridge-regression solve: the normal equations {@code (G + λI) W = B} for a Gram matrix {@code G = XᵀX}
 * (f × f) and {@code B = XᵀY} (f × k), by Cholesky, or by LU where rounding left {@code G + λI} not quite positive
 * definite. How the rows are centred or scaled and how λ is chosen is the caller's.
 */
public final class RidgeSolver {
    private RidgeSolver() {}

    /**
     * The weights {@code W} (f × k). {@code gram} is left as it was, so one Gram matrix serves several λ.
     *
     * @throws WmpcException when {@code G + λI} is singular
     */
    public static DMatrixRMaj solve(DMatrixRMaj gram, DMatrixRMaj rhs, double lambda) {
        int f = gram.numRows;
        if (gram.numCols != f || rhs.numRows != f)
            throw new IllegalArgumentException("ridge system of " + gram.numRows + "x" + gram.numCols + " by " + rhs.numRows + " rows");
        DMatrixRMaj a = gram.copy();
        for (int i = 0; i < f; i++) a.data[i * f + i] += lambda;
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(f);
        if (!solver.setA(a)) {
            solver = LinearSolverFactory_DDRM.linear(f);
            if (!solver.setA(a)) throw new WmpcException("the ridge system is singular at lambda " + lambda);
        }
        DMatrixRMaj w = new DMatrixRMaj(f, rhs.numCols);
        solver.solve(rhs, w);
        // LU does not refuse every singular matrix; what it then returns is not finite
        for (double v : w.data) if (!Double.isFinite(v)) throw new WmpcException("the ridge system is singular at lambda " + lambda);
        return w;
    }
}
