package dev.wmpc.dataset;

import dev.wmpc.dataset.video.EncodedVideo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished episode, ready to append: per-frame state, action, done and success, the encoded video of every
 * camera, the episode's metadata (task text, seed, success), and per-frame environment state ({@code n x 0} when the
 * dataset records none). Built by {@link EpisodeRecorder}.
 */
public record RecordedEpisode(String task, long seed, boolean success, float[][] states, float[][] actions,
                              boolean[] done, boolean[] frameSuccess, Map<String, EncodedVideo> videos,
                              Map<String, FeatureStats> imageStats, float[][] environmentStates) {
    public RecordedEpisode {
        if (states.length == 0) throw new IllegalArgumentException("an episode needs at least one frame");
        if (environmentStates == null) environmentStates = new float[states.length][0];
        if (actions.length != states.length || done.length != states.length || frameSuccess.length != states.length
                || environmentStates.length != states.length)
            throw new IllegalArgumentException("episode columns have different lengths");
        for (var e : videos.entrySet())
            if (e.getValue().frameCount() != states.length)
                throw new IllegalArgumentException("camera '" + e.getKey() + "' has " + e.getValue().frameCount()
                        + " frames but the episode has " + states.length);
        videos = new LinkedHashMap<>(videos);
        imageStats = new LinkedHashMap<>(imageStats);
    }

    /** An episode without environment state. */
    public RecordedEpisode(String task, long seed, boolean success, float[][] states, float[][] actions,
                           boolean[] done, boolean[] frameSuccess, Map<String, EncodedVideo> videos, Map<String, FeatureStats> imageStats) {
        this(task, seed, success, states, actions, done, frameSuccess, videos, imageStats, null);
    }

    public int length() { return states.length; }

    /** Entries of {@code observation.environment_state} per frame (0 when not recorded). */
    public int environmentDim() { return environmentStates[0].length; }
}
