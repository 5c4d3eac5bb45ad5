package dev.wmpc.dataset.video;

/**
 * RGB24 &lt;-&gt; YUV 4:2:0 (BT.601, limited range), the conversion FFmpeg's swscale applies by default to untagged
 * yuv420p, so frames read back by ffmpeg or PyAV match the ones written.
 */
public final class Yuv {
    private Yuv() {}

    /**
     * {@code rgb} (tightly packed RGB24, {@code w × h}) as a video written by {@link H264Encoder} gives it back, before
     * compression: BT.601 limited range with one chroma sample per 2×2 pixels. At 64×64 that halves the colour
     * resolution of a 3-pixel cube, so a model trained on recorded video must see live frames through the same
     * conversion. Applying it twice gives the same image up to rounding (±1 level).
     */
    public static byte[] roundTrip420(byte[] rgb, int w, int h) {
        if (rgb.length != 3 * w * h)
            throw new IllegalArgumentException("RGB frame has " + rgb.length + " bytes, " + w + "x" + h + " needs " + 3 * w * h);
        int cw = (w + 1) / 2, ch = (h + 1) / 2;
        byte[] y = new byte[w * h], u = new byte[cw * ch], v = new byte[cw * ch], out = new byte[rgb.length];
        rgbToYuv420(rgb, w, h, y, u, v);
        yuv420ToRgb(y, w, u, cw, v, cw, w, h, out);
        return out;
    }

    /** Fills Y (w*h), U and V ((w/2)*(h/2) each, rounded up) planes from tightly packed RGB24. */
    static void rgbToYuv420(byte[] rgb, int w, int h, byte[] y, byte[] u, byte[] v) {
        for (int j = 0; j < h; j++) {
            int row = j * w;
            for (int i = 0; i < w; i++) {
                int o = (row + i) * 3;
                int r = rgb[o] & 0xff, g = rgb[o + 1] & 0xff, b = rgb[o + 2] & 0xff;
                y[row + i] = (byte) ((66 * r + 129 * g + 25 * b + 128 >> 8) + 16);
            }
        }
        int cw = (w + 1) / 2, ch = (h + 1) / 2;
        for (int j = 0; j < ch; j++) {
            for (int i = 0; i < cw; i++) {
                int r = 0, g = 0, b = 0, n = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int yy = 2 * j + dy;
                    if (yy >= h) continue;
                    for (int dx = 0; dx < 2; dx++) {
                        int xx = 2 * i + dx;
                        if (xx >= w) continue;
                        int o = (yy * w + xx) * 3;
                        r += rgb[o] & 0xff; g += rgb[o + 1] & 0xff; b += rgb[o + 2] & 0xff; n++;
                    }
                }
                r = (r + n / 2) / n; g = (g + n / 2) / n; b = (b + n / 2) / n;
                u[j * cw + i] = (byte) ((-38 * r - 74 * g + 112 * b + 128 >> 8) + 128);
                v[j * cw + i] = (byte) ((112 * r - 94 * g - 18 * b + 128 >> 8) + 128);
            }
        }
    }

    /** Writes tightly packed RGB24 from planes with the given line sizes. */
    static void yuv420ToRgb(byte[] y, int ys, byte[] u, int us, byte[] v, int vs, int w, int h, byte[] rgb) {
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int c = (y[j * ys + i] & 0xff) - 16;
                int d = (u[(j >> 1) * us + (i >> 1)] & 0xff) - 128;
                int e = (v[(j >> 1) * vs + (i >> 1)] & 0xff) - 128;
                int o = (j * w + i) * 3;
                rgb[o] = clamp((298 * c + 409 * e + 128) >> 8);
                rgb[o + 1] = clamp((298 * c - 100 * d - 208 * e + 128) >> 8);
                rgb[o + 2] = clamp((298 * c + 516 * d + 128) >> 8);
            }
        }
    }

    private static byte clamp(int x) { return (byte) (x < 0 ? 0 : Math.min(x, 255)); }
}
