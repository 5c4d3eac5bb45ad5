package dev.wmpc.perception;

import java.util.List;

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
    VideoClip clip(int episode, int start, int frames);

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

    /**
     * As {@link #open(String, long)}, reading the named camera of a dataset (null: its first camera); several cameras,
     * comma-separated ({@code front,side}), give every camera's clips, each camera's episodes after the previous
     * camera's (see {@link CameraMixSource}).
     */
    static ClipSource open(String data, long seed, String camera) {
        List<ClipSource> views = openViews(data, seed, camera);
        return views.size() == 1 ? views.get(0) : new CameraMixSource(views);
    }

    /**
     * One source per named camera of a dataset ({@code camera}: comma-separated names; null: the first camera), the
     * same episodes seen from each: what a multi-view probe reads. The caller closes them.
     */
    static List<ClipSource> openViews(String data, long seed, String camera) {
        List<String> names = camera == null ? java.util.Collections.singletonList(null)
                : java.util.Arrays.stream(camera.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        if (names.isEmpty()) throw dev.wmpc.core.WmpcException.usage("--camera '" + camera + "' names no camera");
        if (names.stream().distinct().count() != names.size())
            throw dev.wmpc.core.WmpcException.usage("--camera " + camera + " names a camera twice");
        List<ClipSource> views = new java.util.ArrayList<>();
        try {
            for (String n : names) views.add(openOne(data, seed, n));
        } catch (RuntimeException e) {
            views.forEach(ClipSource::close);
            throw e;
        }
        return views;
    }

    private static ClipSource openOne(String data, long seed, String camera) {
        if (data == null || data.isBlank()) throw dev.wmpc.core.WmpcException.usage("--data is required: a dataset folder or 'synthetic'");
        if (data.equals("synthetic") || data.startsWith("synthetic:")) {
            if (camera != null) throw dev.wmpc.core.WmpcException.usage("--camera " + camera + ": synthetic data has one unnamed camera");
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
