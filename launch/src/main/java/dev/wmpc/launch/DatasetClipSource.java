package dev.wmpc.launch;

import dev.wmpc.dataset.EpisodeDataset;
import dev.wmpc.perception.VideoClip;
import dev.wmpc.perception.ClipSource;
import java.nio.file.Path;

/**
 * A recorded LeRobot dataset as the encoder trainer's {@link ClipSource}: frames of one camera with their states
 * (no probe targets). Episodes are decoded once and kept in the dataset's cache.
 */
final class DatasetClipSource implements ClipSource {
    private final EpisodeDataset dataset;
    private final String camera;
    private final Path root;

    DatasetClipSource(Path root) {
        this.root = root;
        this.dataset = EpisodeDataset.open(root, 512L << 20);
        this.camera = dataset.cameras().isEmpty() ? null : dataset.cameras().get(0);
        if (camera == null) {
            dataset.close();
            throw new dev.wmpc.core.WmpcException(root + " has no camera video: record the dataset with a camera");
        }
    }

    @Override public int episodes() { return dataset.episodes(); }

    @Override public int length(int episode) { return dataset.length(episode); }

    @Override public VideoClip clip(int episode, int start, int frames) {
        dev.wmpc.dataset.Clip c = dataset.clip(episode, start, frames, camera);
        int w = c.width(), h = c.height(), n = w * h * 3;
        byte[] rgb = new byte[frames * n];
        for (int i = 0; i < frames; i++) System.arraycopy(c.frames()[i], 0, rgb, i * n, n);
        return new VideoClip(episode, start, frames, w, h, rgb, c.states(), null, null);
    }

    @Override public String describe() { return root.toString(); }

    @Override public void close() { dataset.close(); }
}
