package dev.wmpc.worldmodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.WmpcException;
import java.util.ArrayList;
import java.util.List;

/**
 * Open-loop prediction quality: from every start frame of the given episodes, roll the predictor {@code horizon}
 * steps along the recorded actions and compare with the recorded latents (mean L1 in the normalised latent space),
 * next to the copy-last-frame baseline.
 */
public final class WorldModelEval {
    private WorldModelEval() {}

    /** Mean L1 per step 1..horizon ({@code l1[0]} is step 1), the copy-last baseline, and the number of starts. */
    public record Report(List<Double> l1, List<Double> copyLastL1, int samples) {}

    /** At most this many start frames are used (evenly strided) so evaluation time stays bounded. */
    public static final int MAX_STARTS = 4096;

    public static Report evaluate(AcPredictor model, LatentSequenceSource source, List<Integer> episodes, int horizon,
                                  int batch) {
        if (horizon < 1) throw WmpcException.usage("--horizon must be >= 1, got " + horizon);
        if (horizon > model.config().maxFrames())
            throw WmpcException.usage("--horizon " + horizon + " exceeds the predictor's maxFrames "
                    + model.config().maxFrames());
        List<int[]> starts = new ArrayList<>();
        for (int e : episodes) {
            int len = source.episode(e).length();
            for (int t = 0; t + horizon < len; t++) starts.add(new int[] {e, t});
        }
        if (starts.isEmpty())
            throw new WmpcException("no evaluation episode has more than " + horizon + " latent frames: lower --horizon"
                    + " or record longer episodes");
        if (starts.size() > MAX_STARTS) {
            List<int[]> strided = new ArrayList<>();
            double stride = starts.size() / (double) MAX_STARTS;
            for (int i = 0; i < MAX_STARTS; i++) strided.add(starts.get((int) (i * stride)));
            starts = strided;
        }
        LatentSpec spec = source.spec();
        int n = spec.tokens(), d = spec.latentDim(), f = spec.frameFloats();
        double[] l1 = new double[horizon], copy = new double[horizon];
        for (int from = 0; from < starts.size(); from += batch) {
            int b = Math.min(batch, starts.size() - from);
            float[] ctx = new float[b * f], truth = new float[b * horizon * f];
            float[] st = new float[b * spec.stateDim()], act = new float[b * horizon * spec.actionDim()];
            for (int i = 0; i < b; i++) {
                int[] s = starts.get(from + i);
                LatentEpisode ep = source.episode(s[0]);
                ep.copyLatents(s[1], 1, ctx, i * f);
                ep.copyLatents(s[1] + 1, horizon, truth, i * horizon * f);
                ep.copyStates(s[1], 1, st, i * spec.stateDim());
                ep.copyActions(s[1], horizon, act, i * horizon * spec.actionDim());
            }
            try (NDManager m = model.manager().newSubManager()) {
                NDArray context = m.create(ctx, new Shape(b, 1, n, d));
                NDArray pred = model.rollout(context, m.create(st, new Shape(b, 1, spec.stateDim())), null,
                        m.create(act, new Shape(b, horizon, spec.actionDim())));
                NDArray target = model.normalize(m.create(truth, new Shape(b, horizon, n, d)));
                NDArray last = model.normalize(context); // [b, 1, n, d] broadcasts over the horizon
                float[] err = pred.sub(target).abs().reshape(b, horizon, (long) n * d).mean(new int[] {2})
                        .sum(new int[] {0}).toFloatArray();
                float[] base = last.sub(target).abs().reshape(b, horizon, (long) n * d).mean(new int[] {2})
                        .sum(new int[] {0}).toFloatArray();
                for (int h = 0; h < horizon; h++) {
                    l1[h] += err[h];
                    copy[h] += base[h];
                }
            }
        }
        List<Double> l1s = new ArrayList<>(), copies = new ArrayList<>();
        for (int h = 0; h < horizon; h++) {
            l1s.add(l1[h] / starts.size());
            copies.add(copy[h] / starts.size());
        }
        return new Report(l1s, copies, starts.size());
    }
}
