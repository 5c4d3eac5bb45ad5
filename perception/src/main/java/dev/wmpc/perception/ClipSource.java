package dev.wmpc.perception;

/**
 * Where training and probing read video from: episodes of frames with their states. The dataset module's
 * LeRobot reader is adapted to this; tests use synthetic sources. Implementations are read-only and may be slow
 * per call (video decoding); callers ask for few, short clips.
 */
public interface ClipSource extends AutoCloseable {
    /** Number of episodes. */
    int episodes();

    /** Frames in an episode. */
    int length(int episode);

    /** Frames {@code [start, start + frames)} of an episode. */
    Clip clip(int episode, int start, int frames);

    /** A short description for logs and summaries (a path, or "synthetic"). */
    String describe();

    @Override default void close() {}
}
