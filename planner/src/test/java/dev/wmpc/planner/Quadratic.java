package dev.wmpc.planner;

import java.util.concurrent.atomic.AtomicInteger;

/** A known energy: squared distance of every step to a target step (translation scaled to metres). */
final class Quadratic implements TrajectoryCost {
    final float[] target;
    final AtomicInteger calls = new AtomicInteger();
    double maxAbsTranslation;
    double maxAbsGripper;
    float[] firstSampleOfFirstCall;

    Quadratic(float... targetStep) { this.target = targetStep; }

    @Override public float[] cost(float[] actions, int samples, int horizon, int actionDim) {
        if (calls.getAndIncrement() == 0) firstSampleOfFirstCall = java.util.Arrays.copyOf(actions, horizon * actionDim);
        float[] e = new float[samples];
        for (int s = 0; s < samples; s++) {
            double sum = 0;
            for (int h = 0; h < horizon; h++)
                for (int a = 0; a < actionDim; a++) {
                    double v = actions[(s * horizon + h) * actionDim + a];
                    if (a < 3) maxAbsTranslation = Math.max(maxAbsTranslation, Math.abs(v));
                    else maxAbsGripper = Math.max(maxAbsGripper, Math.abs(v));
                    double d = (v - target[a]) * (a < 3 ? 20 : 1); // translation in units of 5 cm
                    sum += d * d;
                }
            e[s] = (float) sum;
        }
        return e;
    }
}
