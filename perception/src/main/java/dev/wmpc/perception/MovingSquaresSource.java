package dev.wmpc.perception;

import java.util.Random;

/**
 * A synthetic {@link ClipSource}: a red square (the "end effector") and a blue square (the "cube") move smoothly
 * over a textured table. Their positions are the probe targets: x, y from the image position, z from the square's
 * size and shade. Deterministic from the seed; used by tests, benchmarks and {@code --data synthetic}.
 */
public final class MovingSquaresSource implements ClipSource {
    private final int episodes;
    private final int length;
    private final int size;
    private final long seed;

    public MovingSquaresSource(int episodes, int length, int size, long seed) {
        if (episodes < 1 || length < 1 || size < 16) throw new IllegalArgumentException("synthetic source needs episodes >= 1, length >= 1, size >= 16");
        this.episodes = episodes;
        this.length = length;
        this.size = size;
        this.seed = seed;
    }

    @Override public int episodes() { return episodes; }
    @Override public int length(int episode) { return length; }
    @Override public String describe() { return "synthetic moving squares (" + episodes + " episodes x " + length + " frames, " + size + "px)"; }

    /** Per-episode motion: sums of two sinusoids per coordinate. */
    private record Motion(double[] amp, double[] freq, double[] phase) {
        double at(int coord, double t) {
            double v = 0.5;
            for (int k = 0; k < 2; k++) v += amp[coord * 2 + k] * Math.sin(freq[coord * 2 + k] * t + phase[coord * 2 + k]);
            return Math.max(0, Math.min(1, v));
        }
    }

    private Motion motion(int episode, int actor) {
        Random r = new Random(seed * 7919 + episode * 31L + actor);
        double[] a = new double[6], f = new double[6], p = new double[6];
        double speed = actor == 0 ? 1.0 : 0.35;
        for (int i = 0; i < 6; i++) {
            a[i] = 0.12 + 0.12 * r.nextDouble();
            f[i] = speed * (0.08 + 0.2 * r.nextDouble());
            p[i] = 2 * Math.PI * r.nextDouble();
        }
        return new Motion(a, f, p);
    }

    @Override public VideoClip clip(int episode, int start, int frames) {
        if (episode < 0 || episode >= episodes || start < 0 || start + frames > length)
            throw new IllegalArgumentException("synthetic clip " + episode + "@" + start + "+" + frames + " out of range");
        Motion ee = motion(episode, 0), cube = motion(episode, 1);
        byte[] rgb = new byte[frames * size * size * 3];
        float[][] eePos = new float[frames][], cubePos = new float[frames][], state = new float[frames][];
        for (int f = 0; f < frames; f++) {
            int t = start + f;
            double[] e = {ee.at(0, t), ee.at(1, t), ee.at(2, t)};
            double[] c = {cube.at(0, t), cube.at(1, t), cube.at(2, t)};
            eePos[f] = metres(e);
            cubePos[f] = metres(c);
            state[f] = new float[] {eePos[f][0], eePos[f][1], eePos[f][2], 1f};
            render(rgb, f * size * size * 3, e, c, new Random(seed ^ (episode * 100_003L + t)));
        }
        return new VideoClip(episode, start, frames, size, size, rgb, state, eePos, cubePos);
    }

    private static float[] metres(double[] unit) {
        return new float[] {(float) ((unit[0] - 0.5) * 0.6), (float) ((unit[1] - 0.5) * 0.6), (float) (0.02 + 0.3 * unit[2])};
    }

    private void render(byte[] rgb, int off, double[] ee, double[] cube, Random noise) {
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                int o = off + (y * size + x) * 3;
                int checker = (((x * 8) / size) + ((y * 8) / size)) % 2 == 0 ? 12 : 0;
                int n = noise.nextInt(9) - 4;
                rgb[o] = (byte) (120 + checker + n);
                rgb[o + 1] = (byte) (110 + checker + n);
                rgb[o + 2] = (byte) (95 + checker + n);
            }
        // Height shows as size and as shade (lighter when higher), so it is visible at any resolution.
        square(rgb, off, cube, 0.12, 0.06, 40, (int) (30 + 160 * cube[2]), 210);
        square(rgb, off, ee, 0.14, 0.08, 220, 40, (int) (30 + 180 * ee[2]));
    }

    /** Draws a square centred at (x, y) whose side grows with z. */
    private void square(byte[] rgb, int off, double[] p, double base, double grow, int r, int g, int b) {
        double half = (base + grow * p[2]) * size / 2;
        double cx = p[0] * (size - 1), cy = p[1] * (size - 1);
        int x0 = (int) Math.max(0, Math.round(cx - half)), x1 = (int) Math.min(size - 1, Math.round(cx + half));
        int y0 = (int) Math.max(0, Math.round(cy - half)), y1 = (int) Math.min(size - 1, Math.round(cy + half));
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                int o = off + (y * size + x) * 3;
                rgb[o] = (byte) r; rgb[o + 1] = (byte) g; rgb[o + 2] = (byte) b;
            }
    }
}
