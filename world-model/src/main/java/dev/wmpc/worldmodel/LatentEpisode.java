package dev.wmpc.worldmodel;

import java.nio.FloatBuffer;

/**
 * One episode of encoded frames: {@code latents} [T, N, D] (row-major, possibly a view of a memory-mapped cache),
 * {@code states} [T, s] and {@code actions} [T, a], where action t leads from frame t to frame t + 1 (the last row is
 * not used for prediction).
 */
public record LatentEpisode(LatentSpec spec, int length, FloatBuffer latents, float[] states, float[] actions) {
    public LatentEpisode {
        if (length < 1) throw new IllegalArgumentException("episode needs at least one frame, got " + length);
        if (latents.remaining() != (long) length * spec.frameFloats())
            throw new IllegalArgumentException("episode latents hold " + latents.remaining() + " floats, expected "
                    + length + " x " + spec.tokens() + " x " + spec.latentDim());
        if (states.length != length * spec.stateDim())
            throw new IllegalArgumentException("episode states hold " + states.length + " floats, expected "
                    + length + " x " + spec.stateDim());
        if (actions.length != length * spec.actionDim())
            throw new IllegalArgumentException("episode actions hold " + actions.length + " floats, expected "
                    + length + " x " + spec.actionDim());
    }

    /** Copies frames [from, from + count) of latents into {@code dst} at {@code offset}. */
    public void copyLatents(int from, int count, float[] dst, int offset) {
        int f = spec.frameFloats();
        latents.slice(from * f, count * f).get(dst, offset, count * f);
    }

    public void copyStates(int from, int count, float[] dst, int offset) {
        System.arraycopy(states, from * spec.stateDim(), dst, offset, count * spec.stateDim());
    }

    public void copyActions(int from, int count, float[] dst, int offset) {
        System.arraycopy(actions, from * spec.actionDim(), dst, offset, count * spec.actionDim());
    }
}
