package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.WmpcException;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class RidgeSolverTest {
    @Test
    void recoversTheWeightsAndShrinksThemAsLambdaGrows() {
        Random r = new Random(3);
        int n = 200, f = 4;
        double[] truth = {1.5, -2, 0.5, 3};
        DMatrixRMaj x = new DMatrixRMaj(n, f), y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < f; j++) {
                x.set(i, j, r.nextGaussian());
                s += truth[j] * x.get(i, j);
            }
            y.set(i, 0, s);
        }
        DMatrixRMaj gram = new DMatrixRMaj(f, f), rhs = new DMatrixRMaj(f, 1);
        CommonOps_DDRM.multTransA(x, x, gram);
        CommonOps_DDRM.multTransA(x, y, rhs);
        DMatrixRMaj before = gram.copy();
        DMatrixRMaj w = RidgeSolver.solve(gram, rhs, 1e-9);
        for (int j = 0; j < f; j++) assertThat(w.get(j, 0)).isCloseTo(truth[j], within(1e-6));
        assertThat(gram.data).as("the Gram matrix is left as it was").containsExactly(before.data);
        double small = CommonOps_DDRM.elementSumAbs(w), large = CommonOps_DDRM.elementSumAbs(RidgeSolver.solve(gram, rhs, 10 * n));
        assertThat(large).as("a strong penalty shrinks the weights").isLessThan(0.5 * small);
    }

    @Test
    void aSingularSystemIsNamed() {
        DMatrixRMaj zero = new DMatrixRMaj(3, 3), rhs = new DMatrixRMaj(3, 1);
        assertThatThrownBy(() -> RidgeSolver.solve(zero, rhs, 0)).isInstanceOf(WmpcException.class).hasMessageContaining("singular");
    }
}
