package dev.wmpc.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code meta/info.json} of a LeRobot v3 dataset: schema, frame rate, totals and path templates. */
public record DatasetInfo(String codebaseVersion, String robotType, int totalEpisodes, long totalFrames, int totalTasks,
                          int chunksSize, int dataFilesSizeInMb, int videoFilesSizeInMb, int fps,
                          Map<String, String> splits, String dataPath, String videoPath,
                          LinkedHashMap<String, Feature> features) {
    public static final String VERSION = "v3.0";
    public static final String DATA_PATH = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";
    public static final String VIDEO_PATH = "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4";
    public static final String EPISODES_PATH = "meta/episodes/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";
    public static final int DEFAULT_CHUNK_SIZE = 1000;
    public static final int DEFAULT_DATA_FILE_SIZE_IN_MB = 100;
    public static final int DEFAULT_VIDEO_FILE_SIZE_IN_MB = 500;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DatasetInfo {
        splits = Map.copyOf(splits);
        features = new LinkedHashMap<>(features);
    }

    /** An empty dataset for {@code spec}. */
    public static DatasetInfo empty(DatasetSpec spec) {
        return new DatasetInfo(VERSION, spec.robotType(), 0, 0, 0, DEFAULT_CHUNK_SIZE, DEFAULT_DATA_FILE_SIZE_IN_MB,
                DEFAULT_VIDEO_FILE_SIZE_IN_MB, spec.fps(), Map.of(), DATA_PATH,
                spec.cameras().isEmpty() ? null : VIDEO_PATH, spec.features());
    }

    public DatasetInfo withTotals(int episodes, long frames, int tasks) {
        return new DatasetInfo(codebaseVersion, robotType, episodes, frames, tasks, chunksSize, dataFilesSizeInMb,
                videoFilesSizeInMb, fps, episodes == 0 ? Map.of() : Map.of("train", "0:" + episodes), dataPath, videoPath, features);
    }

    /** Keys of the video features (camera keys), in order. */
    public List<String> videoKeys() {
        return features.entrySet().stream().filter(e -> e.getValue().dtype().equals("video")).map(Map.Entry::getKey).toList();
    }

    public static String chunkPath(String template, String videoKey, int chunk, int file) {
        return template.replace("{video_key}", videoKey == null ? "" : videoKey)
                .replace("{chunk_index:03d}", String.format("%03d", chunk))
                .replace("{file_index:03d}", String.format("%03d", file));
    }

    public String dataFile(int chunk, int file) { return chunkPath(dataPath, null, chunk, file); }

    public String videoFile(String key, int chunk, int file) { return chunkPath(videoPath == null ? VIDEO_PATH : videoPath, key, chunk, file); }

    public static Path path(Path root) { return root.resolve("meta").resolve("info.json"); }

    /** Reads meta/info.json; a missing or malformed file is a clear error naming it. */
    public static DatasetInfo read(Path root) {
        Path p = path(root);
        if (!Files.isRegularFile(p))
            throw new WmpcException(root + " is not a LeRobot dataset: " + p + " is missing");
        JsonNode n;
        try {
            n = JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new WmpcException(p + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            LinkedHashMap<String, Feature> feats = new LinkedHashMap<>();
            n.required("features").fields().forEachRemaining(e -> feats.put(e.getKey(), featureFrom(e.getValue())));
            Map<String, String> splits = new LinkedHashMap<>();
            if (n.has("splits")) n.get("splits").fields().forEachRemaining(e -> splits.put(e.getKey(), e.getValue().asText()));
            return new DatasetInfo(n.required("codebase_version").asText(), n.path("robot_type").isNull() ? null : n.path("robot_type").asText(null),
                    n.required("total_episodes").asInt(), n.required("total_frames").asLong(), n.path("total_tasks").asInt(0),
                    n.path("chunks_size").asInt(DEFAULT_CHUNK_SIZE), n.path("data_files_size_in_mb").asInt(DEFAULT_DATA_FILE_SIZE_IN_MB),
                    n.path("video_files_size_in_mb").asInt(DEFAULT_VIDEO_FILE_SIZE_IN_MB), n.required("fps").asInt(), splits,
                    n.path("data_path").asText(DATA_PATH), n.path("video_path").isNull() ? null : n.path("video_path").asText(VIDEO_PATH), feats);
        } catch (IllegalArgumentException e) {
            throw new WmpcException(p + " is not a LeRobot v3 info.json: " + e.getMessage(), e);
        }
    }

    private static Feature featureFrom(JsonNode f) {
        List<Integer> shape = new ArrayList<>();
        f.required("shape").forEach(s -> shape.add(s.asInt()));
        List<String> names = null;
        JsonNode nn = f.get("names");
        if (nn != null && nn.isArray()) {
            names = new ArrayList<>();
            for (JsonNode x : nn) names.add(x.asText());
        } else if (nn != null && nn.isObject()) {
            // Older LeRobot datasets write {"motors": [...]}: keep the first list.
            var it = nn.fields();
            if (it.hasNext()) {
                names = new ArrayList<>();
                for (JsonNode x : it.next().getValue()) names.add(x.asText());
            }
        }
        Map<String, Object> info = null;
        if (f.has("info") && f.get("info").isObject()) info = JSON.convertValue(f.get("info"), LinkedHashMap.class);
        return new Feature(f.required("dtype").asText(), shape, names, info);
    }

    /** The JSON text LeRobot writes (same keys, same order). */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("codebase_version", codebaseVersion);
        if (robotType == null) n.putNull("robot_type"); else n.put("robot_type", robotType);
        n.put("total_episodes", totalEpisodes);
        n.put("total_frames", totalFrames);
        n.put("total_tasks", totalTasks);
        n.put("chunks_size", chunksSize);
        n.put("data_files_size_in_mb", dataFilesSizeInMb);
        n.put("video_files_size_in_mb", videoFilesSizeInMb);
        n.put("fps", fps);
        ObjectNode s = n.putObject("splits");
        splits.forEach(s::put);
        n.put("data_path", dataPath);
        if (videoPath == null) n.putNull("video_path"); else n.put("video_path", videoPath);
        ObjectNode fs = n.putObject("features");
        features.forEach((k, f) -> {
            ObjectNode o = fs.putObject(k);
            o.put("dtype", f.dtype());
            ArrayNode sh = o.putArray("shape");
            f.shape().forEach(sh::add);
            if (f.names() == null) o.putNull("names");
            else { ArrayNode a = o.putArray("names"); f.names().forEach(a::add); }
            if (f.info() != null) o.set("info", JSON.valueToTree(f.info()));
        });
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
