package dev.wmpc.perception;

/**
 * A short piece of one episode for training and probing: {@code frames} RGB8 images {@code [T, H, W, 3]} (tightly
 * packed, top row first) and, per frame, the robot state vector and the probe targets (end-effector xyz and
 * object xyz, in metres; null when the source does not know them).
 */
public record VideoClip(int episode, int startFrame, int frames, int width, int height, byte[] rgb,
                   float[][] state, float[][] eePosition, float[][] objectPosition) {
    public VideoClip {
        if (frames <= 0 || width <= 0 || height <= 0)
            throw new IllegalArgumentException("clip of episode " + episode + " has " + frames + " frames of " + width + "x" + height);
        long need = (long) frames * width * height * 3;
        if (rgb == null || rgb.length != need)
            throw new IllegalArgumentException("clip of episode " + episode + " has " + (rgb == null ? 0 : rgb.length)
                    + " bytes of pixels but " + frames + " frames of " + width + "x" + height + " rgb8 need " + need);
        checkRows("state", state, frames, episode);
        checkRows("eePosition", eePosition, frames, episode);
        checkRows("objectPosition", objectPosition, frames, episode);
    }

    private static void checkRows(String what, float[][] rows, int frames, int episode) {
        if (rows != null && rows.length != frames)
            throw new IllegalArgumentException("clip of episode " + episode + " has " + rows.length + " " + what + " rows for " + frames + " frames");
    }

    /** Byte offset of frame {@code i} in {@link #rgb()}. */
    public int frameOffset(int i) { return i * width * height * 3; }
}
