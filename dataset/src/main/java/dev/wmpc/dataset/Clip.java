package dev.wmpc.dataset;

/**
 * T consecutive frames of one episode: RGB24 images of one camera (height x width x 3, row-major), the
 * {@code observation.state} and {@code action} of each frame.
 */
public record Clip(int episode, int start, String camera, int width, int height, byte[][] frames, float[][] states, float[][] actions) {
    public int length() { return frames.length; }
}
