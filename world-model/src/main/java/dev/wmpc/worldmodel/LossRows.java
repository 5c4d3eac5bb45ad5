package dev.wmpc.worldmodel;

import java.util.ArrayList;
import java.util.List;

/** A training run's loss log as checkpoints keep it: one row of losses per step (total first). */
final class LossRows {
    private LossRows() {}

    /** The rows of a checkpoint's JSON {@code losses} (a list of lists of numbers). */
    @SuppressWarnings("unchecked")
    static List<float[]> parse(Object json) {
        List<float[]> losses = new ArrayList<>();
        for (Object row : (List<Object>) json) {
            List<Object> r = (List<Object>) row;
            float[] f = new float[r.size()];
            // JSON has no NaN: a loss a run does not have (no state head) is written as the string "NaN"
            for (int i = 0; i < f.length; i++) f[i] = r.get(i) instanceof Number n ? n.floatValue() : Float.parseFloat(r.get(i).toString());
            losses.add(f);
        }
        return losses;
    }

    /** The mean of the first three columns over the last {@code last} rows (NaN when there are none). */
    static float[] average(List<float[]> losses, int last) {
        float[] avg = new float[3];
        int n = Math.min(last, losses.size());
        if (n == 0) return new float[] {Float.NaN, Float.NaN, Float.NaN};
        for (int i = losses.size() - n; i < losses.size(); i++)
            for (int j = 0; j < 3; j++) avg[j] += losses.get(i)[j] / n;
        return avg;
    }
}
