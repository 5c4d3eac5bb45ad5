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

    /**
     * Opens training data by name: {@code synthetic} or {@code synthetic:EPISODES:FRAMES} (moving squares, see
     * {@link MovingSquaresSource}), or a dataset folder.
     */
    static ClipSource open(String data, long seed) {
        return open(data, seed, null);
    }

    /** As {@link #open(String, long)}, reading the named camera of a dataset (null: its first camera). */
    static ClipSource open(String data, long seed, String camera) {
        if (data == null || data.isBlank()) throw dev.wmpc.core.WmpcException.usage("--data is required: a dataset folder or 'synthetic'");
        if (data.equals("synthetic") || data.startsWith("synthetic:")) {
            String[] parts = data.split(":");
            try {
                int episodes = parts.length > 1 ? Integer.parseInt(parts[1]) : 50;
                int frames = parts.length > 2 ? Integer.parseInt(parts[2]) : 100;
                return new MovingSquaresSource(episodes, frames, 64, seed);
            } catch (IllegalArgumentException e) {
                throw dev.wmpc.core.WmpcException.usage("bad --data '" + data + "': use synthetic or synthetic:EPISODES:FRAMES");
            }
        }
        java.nio.file.Path dir = java.nio.file.Path.of(data);
        if (!java.nio.file.Files.isDirectory(dir))
            throw new dev.wmpc.core.WmpcException("--data " + data + " is not a folder: pass a LeRobot dataset folder or 'synthetic'");
        return LeRobotClipSource.open(dir, camera);
    }
}
