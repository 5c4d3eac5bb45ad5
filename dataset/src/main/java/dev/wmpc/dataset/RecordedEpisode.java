package dev.wmpc.dataset;

import dev.wmpc.dataset.video.EncodedVideo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished episode, ready to append: per-frame state, action, done and success, the encoded video of every
 * camera, the episode's metadata (task text, seed, success), per-frame environment state ({@code n x 0} when the
 * dataset records none), and each frame's time in frames of 1/fps from the episode's first ({@code ticks}: 0, 1, 2, …
 * when evenly spaced; {@code timestamp} = tick / fps). Built by {@link EpisodeRecorder}.
 */
public record RecordedEpisode(String task, long seed, boolean success, float[][] states, float[][] actions,
                              boolean[] done, boolean[] frameSuccess, Map<String, EncodedVideo> videos,
                              Map<String, FeatureStats> imageStats, float[][] environmentStates, int[] ticks) {
    public RecordedEpisode {
        if (states.length == 0) throw new IllegalArgumentException("an episode needs at least one frame");
        if (environmentStates == null) environmentStates = new float[states.length][0];
        if (ticks == null) ticks = java.util.stream.IntStream.range(0, states.length).toArray();
        if (actions.length != states.length || done.length != states.length || frameSuccess.length != states.length
                || environmentStates.length != states.length || ticks.length != states.length)
            throw new IllegalArgumentException("episode columns have different lengths");
        if (ticks[0] != 0) throw new IllegalArgumentException("an episode's first frame is at time 0, got tick " + ticks[0]);
        for (int i = 1; i < ticks.length; i++)
            if (ticks[i] <= ticks[i - 1])
                throw new IllegalArgumentException("frame times must increase: frame " + i + " is at tick " + ticks[i]
                        + ", frame " + (i - 1) + " at " + ticks[i - 1]);
        for (var e : videos.entrySet()) {
            if (e.getValue().frameCount() != states.length)
                throw new IllegalArgumentException("camera '" + e.getKey() + "' has " + e.getValue().frameCount()
                        + " frames but the episode has " + states.length);
            if (e.getValue().span() != ticks[ticks.length - 1] + 1L)
                throw new IllegalArgumentException("camera '" + e.getKey() + "' spans " + e.getValue().span()
                        + " frames of 1/fps but the episode's last frame is at tick " + ticks[ticks.length - 1]);
        }
        videos = new LinkedHashMap<>(videos);
        imageStats = new LinkedHashMap<>(imageStats);
    }

    /** An evenly spaced episode (frame i at i / fps). */
    public RecordedEpisode(String task, long seed, boolean success, float[][] states, float[][] actions,
                           boolean[] done, boolean[] frameSuccess, Map<String, EncodedVideo> videos,
                           Map<String, FeatureStats> imageStats, float[][] environmentStates) {
        this(task, seed, success, states, actions, done, frameSuccess, videos, imageStats, environmentStates, null);
    }

    /** An episode without environment state. */
    public RecordedEpisode(String task, long seed, boolean success, float[][] states, float[][] actions,
                           boolean[] done, boolean[] frameSuccess, Map<String, EncodedVideo> videos, Map<String, FeatureStats> imageStats) {
        this(task, seed, success, states, actions, done, frameSuccess, videos, imageStats, null, null);
    }

    public int length() { return states.length; }

    /** Entries of {@code observation.environment_state} per frame (0 when not recorded). */
    public int environmentDim() { return environmentStates[0].length; }

    /** Frame {@code i}'s {@code timestamp} in seconds from the episode's start at {@code fps} frames a second. */
    public float timestamp(int i, int fps) { return (float) ticks[i] / fps; }
}
