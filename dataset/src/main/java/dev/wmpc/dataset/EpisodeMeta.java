package dev.wmpc.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code meta/episodes}: where the episode's rows and video frames are (file indices, global frame range
 * [from, to), per camera [from_timestamp, to_timestamp) in its mp4), its tasks, and wmpc's extras seed and success
 * (null for datasets recorded elsewhere).
 */
public record EpisodeMeta(int episodeIndex, List<String> tasks, int length, int dataChunk, int dataFile,
                          long fromIndex, long toIndex, Map<String, VideoSegment> videos, Long seed, Boolean success,
                          int metaChunk, int metaFile) {
    public EpisodeMeta {
        tasks = List.copyOf(tasks);
        videos = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(videos));
    }

    /** Where one camera's frames of the episode are: an mp4 and a time range in it. */
    public record VideoSegment(int chunk, int file, double fromTimestamp, double toTimestamp) {}
}
