package dev.wmpc.perception;

import java.util.Random;

/**
 * Draws V-JEPA multi-block masks over a {@code t × h × w} token grid (tokens in row-major (t, h, w) order) and
 * batches them: every clip in a batch keeps the same number of context and target tokens (the batch minimum,
 * subsampled at random), as the predictor needs rectangular tensors.
 */
public final class MaskGenerator {
    private final int t;
    private final int h;
    private final int w;
    private final int minContext;

    /** A mask of one clip: which tokens the predictor must predict. */
    public record TokenMask(boolean[] masked) {
        public int maskedCount() {
            int n = 0;
            for (boolean b : masked) if (b) n++;
            return n;
        }

        public int[] context() { return indices(false); }
        public int[] target() { return indices(true); }

        private int[] indices(boolean value) {
            int n = 0;
            for (boolean b : masked) if (b == value) n++;
            int[] out = new int[n];
            int k = 0;
            for (int i = 0; i < masked.length; i++) if (masked[i] == value) out[k++] = i;
            return out;
        }
    }

    /** Index tensors for a batch: {@code context[b * contextCount + i]}, {@code target[b * targetCount + i]}. */
    public record BatchMask(int batch, int contextCount, int targetCount, long[] context, long[] target) {}

    /** The size of one block in tokens. */
    public record BlockShape(int t, int h, int w) {}

    public MaskGenerator(int t, int h, int w) {
        this(t, h, w, Math.max(1, (t * h * w) / 16));
    }

    public MaskGenerator(int t, int h, int w, int minContext) {
        if (t < 1 || h < 1 || w < 1) throw new IllegalArgumentException("token grid " + t + "x" + h + "x" + w + " is empty");
        this.t = t;
        this.h = h;
        this.w = w;
        this.minContext = minContext;
    }

    public int tokens() { return t * h * w; }

    /** Draws one block's size for the spec. */
    public BlockShape blockShape(MaskSpec spec, Random rng) {
        double area = spec.spatialScale() * h * w;
        double aspect = spec.minAspect() + rng.nextDouble() * (spec.maxAspect() - spec.minAspect());
        int bh = clamp((int) Math.round(Math.sqrt(area * aspect)), h);
        int bw = clamp((int) Math.round(Math.sqrt(area / aspect)), w);
        int bt = clamp((int) Math.round(spec.temporalScale() * t), t);
        return new BlockShape(bt, bh, bw);
    }

    private static int clamp(int v, int max) {
        return Math.max(1, Math.min(max, v));
    }

    /** One clip's mask: the union of the spec's blocks; redrawn if it would leave fewer than the minimum context. */
    public TokenMask sample(MaskSpec spec, Random rng) {
        for (int attempt = 0; ; attempt++) {
            boolean[] m = new boolean[tokens()];
            for (int b = 0; b < spec.blocks(); b++) {
                BlockShape s = blockShape(spec, rng);
                int t0 = rng.nextInt(t - s.t() + 1), h0 = rng.nextInt(h - s.h() + 1), w0 = rng.nextInt(w - s.w() + 1);
                for (int it = t0; it < t0 + s.t(); it++)
                    for (int ih = h0; ih < h0 + s.h(); ih++)
                        for (int iw = w0; iw < w0 + s.w(); iw++) m[(it * h + ih) * w + iw] = true;
            }
            TokenMask mask = new TokenMask(m);
            int ctx = tokens() - mask.maskedCount();
            if (ctx >= minContext && mask.maskedCount() > 0) return mask;
            if (attempt > 50) {
                // Pathological grid: keep a random minimum context.
                for (int i = 0; i < minContext; i++) m[rng.nextInt(m.length)] = false;
                if (new TokenMask(m).maskedCount() > 0) return new TokenMask(m);
            }
        }
    }

    /** Masks for a batch, truncated at random to the batch's smallest context and target counts. */
    public BatchMask sampleBatch(MaskSpec spec, int batch, Random rng) {
        TokenMask[] masks = new TokenMask[batch];
        int minCtx = Integer.MAX_VALUE, minTgt = Integer.MAX_VALUE;
        for (int b = 0; b < batch; b++) {
            masks[b] = sample(spec, rng);
            int tgt = masks[b].maskedCount();
            minTgt = Math.min(minTgt, tgt);
            minCtx = Math.min(minCtx, tokens() - tgt);
        }
        long[] ctx = new long[batch * minCtx];
        long[] tgt = new long[batch * minTgt];
        for (int b = 0; b < batch; b++) {
            fillSubset(masks[b].context(), minCtx, ctx, b * minCtx, rng);
            fillSubset(masks[b].target(), minTgt, tgt, b * minTgt, rng);
        }
        return new BatchMask(batch, minCtx, minTgt, ctx, tgt);
    }

    private static void fillSubset(int[] from, int k, long[] out, int offset, Random rng) {
        int[] a = from.clone();
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(a.length - i);
            int tmp = a[i]; a[i] = a[j]; a[j] = tmp;
        }
        java.util.Arrays.sort(a, 0, k);
        for (int i = 0; i < k; i++) out[offset + i] = a[i];
    }
}
