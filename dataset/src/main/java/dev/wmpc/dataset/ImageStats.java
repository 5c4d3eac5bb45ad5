package dev.wmpc.dataset;

import java.util.List;

/** Accumulates per-channel pixel statistics (values scaled to [0,1]) of RGB24 frames, with exact 256-bin quantiles. */
final class ImageStats {
    private final long[][] hist = new long[3][256];
    private final double[] sum = new double[3], sumSq = new double[3];
    private long pixels;
    private int frames;

    void add(byte[] rgb) {
        for (int i = 0; i < rgb.length; i += 3) {
            hist[0][rgb[i] & 0xff]++;
            hist[1][rgb[i + 1] & 0xff]++;
            hist[2][rgb[i + 2] & 0xff]++;
        }
        pixels += rgb.length / 3;
        frames++;
    }

    FeatureStats toStats() {
        double[] min = new double[3], max = new double[3], mean = new double[3], std = new double[3];
        double[][] q = new double[FeatureStats.QUANTILES.length][3];
        for (int c = 0; c < 3; c++) {
            double s = 0, ss = 0;
            int lo = 255, hi = 0;
            for (int v = 0; v < 256; v++) {
                long n = hist[c][v];
                if (n == 0) continue;
                lo = Math.min(lo, v); hi = Math.max(hi, v);
                s += n * (v / 255.0); ss += n * (v / 255.0) * (v / 255.0);
            }
            min[c] = lo / 255.0; max[c] = hi / 255.0;
            mean[c] = pixels == 0 ? 0 : s / pixels;
            std[c] = pixels == 0 ? 0 : Math.sqrt(Math.max(0, ss / pixels - mean[c] * mean[c]));
            for (int k = 0; k < FeatureStats.QUANTILES.length; k++) {
                long target = (long) Math.ceil(FeatureStats.QUANTILES[k] * pixels);
                long acc = 0;
                int v = 0;
                for (; v < 255; v++) { acc += hist[c][v]; if (acc >= target) break; }
                q[k][c] = v / 255.0;
            }
        }
        return new FeatureStats(List.of(3, 1, 1), min, max, mean, std, frames, q);
    }
}
