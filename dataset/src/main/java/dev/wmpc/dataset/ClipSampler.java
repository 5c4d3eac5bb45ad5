package dev.wmpc.dataset;

import dev.wmpc.core.WmpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random clips for training: every valid (episode, start) window of the given length is equally likely.
 * Same seed, same sequence of clips.
 */
public final class ClipSampler {
    private final EpisodeDataset dataset;
    private final int length;
    private final String camera;
    private final long[] cumulative;
    private final SplittableRandom random;

    public ClipSampler(EpisodeDataset dataset, int length, long seed) { this(dataset, length, dataset.cameras().get(0), seed); }

    public ClipSampler(EpisodeDataset dataset, int length, String camera, long seed) {
        if (length <= 0) throw new IllegalArgumentException("clip length must be positive, got " + length);
        this.dataset = dataset;
        this.length = length;
        this.camera = camera;
        this.random = new SplittableRandom(seed);
        cumulative = new long[dataset.episodes() + 1];
        for (int e = 0; e < dataset.episodes(); e++)
            cumulative[e + 1] = cumulative[e] + Math.max(0, dataset.length(e) - length + 1);
        if (cumulative[dataset.episodes()] == 0)
            throw new WmpcException("no episode has " + length + " frames: use shorter clips or record longer episodes");
    }

    /** Number of distinct clips. */
    public long windows() { return cumulative[cumulative.length - 1]; }

    public Clip next() {
        long w = random.nextLong(windows());
        int lo = 0, hi = cumulative.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] <= w) lo = mid; else hi = mid;
        }
        return dataset.clip(lo, (int) (w - cumulative[lo]), length, camera);
    }

    public List<Clip> batch(int n) {
        List<Clip> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(next());
        return out;
    }
}
