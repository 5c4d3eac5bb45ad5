package dev.wmpc.dataset;

import dev.wmpc.dataset.video.EncodedVideo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished episode, ready to append: per-frame state, action, done and success, the encoded video of every
 * camera, and the episode's metadata (task text, seed, success). Built by {@link EpisodeRecorder}.
 */
public record RecordedEpisode(String task, long seed, boolean success, float[][] states, float[][] actions,
                              boolean[] done, boolean[] frameSuccess, Map<String, EncodedVideo> videos,
                              Map<String, FeatureStats> imageStats) {
    public RecordedEpisode {
        if (states.length == 0) throw new IllegalArgumentException("an episode needs at least one frame");
        if (actions.length != states.length || done.length != states.length || frameSuccess.length != states.length)
            throw new IllegalArgumentException("episode columns have different lengths");
        for (var e : videos.entrySet())
            if (e.getValue().frameCount() != states.length)
                throw new IllegalArgumentException("camera '" + e.getKey() + "' has " + e.getValue().frameCount()
                        + " frames but the episode has " + states.length);
        videos = new LinkedHashMap<>(videos);
        imageStats = new LinkedHashMap<>(imageStats);
    }

    public int length() { return states.length; }
}
