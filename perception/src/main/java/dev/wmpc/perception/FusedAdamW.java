package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One AdamW step over named parameters with their gradients: the global gradient norm, then PyTorch's fused Adam
 * update per parameter (decoupled weight decay, bias correction folded into the rate) with the norm clip as a rescale.
 * The moments are the caller's, so a trainer can checkpoint them.
 */
final class FusedAdamW {
    private FusedAdamW() {}

    /**
     * Updates every parameter in place.
     *
     * @param first  first moments, by parameter name
     * @param second second moments, by parameter name
     * @param decays which parameters get weight decay (by name and array)
     * @param t      the step number, from 1
     * @return the gradient norm before clipping
     */
    static double step(Map<String, NDArray> params, Map<String, NDArray> first, Map<String, NDArray> second, double lr,
                       double weightDecay, Predicate<Map.Entry<String, NDArray>> decays, double clipNorm, int t) {
        NDList squares = new NDList();
        for (NDArray w : params.values()) squares.add(w.getGradient().square().sum());
        double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
        float rescale = (float) (norm > clipNorm ? clipNorm / (norm + 1e-6) : 1.0);
        double c1 = 1 - Math.pow(0.9, t), c2 = 1 - Math.pow(0.999, t);
        float lrBias = (float) (lr * Math.sqrt(c2) / c1);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray w = e.getValue();
            float wd = decays.test(e) ? (float) weightDecay : 0f;
            w.getNDArrayInternal().adamUpdate(new NDList(w, w.getGradient(), first.get(e.getKey()), second.get(e.getKey())),
                    new NDList(w), (float) lr, lrBias, wd, rescale, -1f, 0.9f, 0.999f, 1e-8f, false, true);
        }
        return norm;
    }

    /** The usual rule: matrices decay, vectors (biases, norms) do not. */
    static boolean isMatrix(Map.Entry<String, NDArray> e) {
        return e.getValue().getShape().dimension() >= 2;
    }
}
