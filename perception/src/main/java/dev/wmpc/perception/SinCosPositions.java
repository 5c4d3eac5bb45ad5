package dev.wmpc.perception;

/**
 * Fixed 3D sine-cosine positional embeddings for a (t, h, w) token grid, tokens in row-major (t, h, w) order.
 * The width is split into a time part (about a quarter) and equal height and width parts; each part is the
 * classic 1D sin-cos code of that coordinate.
 */
final class SinCosPositions {
    private SinCosPositions() {}

    /** {@code [t * h * w, dim]} row-major. */
    static float[] grid(int t, int h, int w, int dim) {
        int dt = 2 * (dim / 8);
        int rest = dim - dt;
        int dh = 2 * (rest / 4);
        int dw = rest - dh;
        float[] out = new float[t * h * w * dim];
        int row = 0;
        for (int it = 0; it < t; it++)
            for (int ih = 0; ih < h; ih++)
                for (int iw = 0; iw < w; iw++) {
                    int o = row * dim;
                    encode(it, dt, out, o);
                    encode(ih, dh, out, o + dt);
                    encode(iw, dw, out, o + dt + dh);
                    row++;
                }
        return out;
    }

    private static void encode(int pos, int width, float[] out, int offset) {
        int half = width / 2;
        for (int i = 0; i < half; i++) {
            double omega = 1.0 / Math.pow(10000.0, (double) i / half);
            out[offset + i] = (float) Math.sin(pos * omega);
            out[offset + half + i] = (float) Math.cos(pos * omega);
        }
    }
}
