package dev.wmpc.dataset;

/**
 * T consecutive frames of one episode: RGB24 images of one camera (height x width x 3, row-major), the
 * {@code observation.state} and {@code action} of each frame, and its {@code observation.environment_state}
 * (T x 0 when the dataset has none).
 */
public record Clip(int episode, int start, String camera, int width, int height, byte[][] frames, float[][] states, float[][] actions,
                   float[][] environmentStates) {
    public Clip {
        if (environmentStates == null) environmentStates = new float[frames.length][0];
    }

    /** A clip without environment state. */
    public Clip(int episode, int start, String camera, int width, int height, byte[][] frames, float[][] states, float[][] actions) {
        this(episode, start, camera, width, height, frames, states, actions, null);
    }

    public int length() { return frames.length; }
}
