package dev.wmpc.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wmpc.dataset.video.VideoReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files wmpc writes, checked field by field against LeRobot v3 as its source defines it
 * (src/lerobot/datasets/utils.py: DEFAULT_FEATURES, create_empty_dataset_info, path templates;
 * dataset_writer.py / dataset_metadata.py: the meta/episodes columns; tasks.parquet read by pandas with 'task' as
 * index), and a dataset laid out by LeRobot read back by wmpc.
 */
class LeRobotFormatTest {
    @TempDir static Path dir;
    static Path root;

    @BeforeAll static void record() {
        root = dir.resolve("wmpc");
        SyntheticRobot robot = new SyntheticRobot(64);
        try (DatasetWriter w = DatasetWriter.open(root, DatasetRoundTripTest.spec(robot), DatasetWriter.Options.defaults())) {
            for (int s = 0; s < 3; s++) w.append(DatasetRoundTripTest.record(robot, s, 4 + s));
        }
    }

    /** LeRobot's info.json keys (create_empty_dataset_info) with their JSON types. */
    static final Map<String, String> INFO_KEYS = new LinkedHashMap<>();
    static {
        INFO_KEYS.put("codebase_version", "STRING");
        INFO_KEYS.put("robot_type", "STRING");
        INFO_KEYS.put("total_episodes", "NUMBER");
        INFO_KEYS.put("total_frames", "NUMBER");
        INFO_KEYS.put("total_tasks", "NUMBER");
        INFO_KEYS.put("chunks_size", "NUMBER");
        INFO_KEYS.put("data_files_size_in_mb", "NUMBER");
        INFO_KEYS.put("video_files_size_in_mb", "NUMBER");
        INFO_KEYS.put("fps", "NUMBER");
        INFO_KEYS.put("splits", "OBJECT");
        INFO_KEYS.put("data_path", "STRING");
        INFO_KEYS.put("video_path", "STRING");
        INFO_KEYS.put("features", "OBJECT");
    }

    @Test void infoJsonMatchesLeRobot() throws Exception {
        JsonNode info = DatasetInfo.JSON.readTree(root.resolve("meta/info.json").toFile());
        assertThat(iterable(info.fieldNames())).containsExactlyElementsOf(INFO_KEYS.keySet());
        INFO_KEYS.forEach((k, type) -> assertThat(info.get(k).getNodeType().name()).as(k).isEqualTo(type));
        assertThat(info.get("codebase_version").asText()).isEqualTo("v3.0");
        assertThat(info.get("chunks_size").asInt()).isEqualTo(1000);
        assertThat(info.get("data_files_size_in_mb").asInt()).isEqualTo(100);
        assertThat(info.get("video_files_size_in_mb").asInt()).isEqualTo(500);
        assertThat(info.get("data_path").asText()).isEqualTo("data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet");
        assertThat(info.get("video_path").asText()).isEqualTo("videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4");
        assertThat(info.get("splits").get("train").asText()).isEqualTo("0:3");
        assertThat(info.get("total_episodes").asInt()).isEqualTo(3);
        assertThat(info.get("total_frames").asInt()).isEqualTo(4 + 5 + 6);
        assertThat(info.get("total_tasks").asInt()).isEqualTo(2);
        JsonNode f = info.get("features");
        // DEFAULT_FEATURES, exactly as LeRobot declares them.
        for (String k : List.of("timestamp", "frame_index", "episode_index", "index", "task_index")) {
            assertThat(f.get(k).get("dtype").asText()).as(k).isEqualTo(k.equals("timestamp") ? "float32" : "int64");
            assertThat(f.get(k).get("shape").toString()).as(k).isEqualTo("[1]");
            assertThat(f.get(k).get("names").isNull()).as(k).isTrue();
        }
        // Motor features (hw_to_dataset_features): float32, shape [n], names listed.
        for (String k : List.of("observation.state", "action")) {
            assertThat(f.get(k).get("dtype").asText()).isEqualTo("float32");
            assertThat(f.get(k).get("shape").get(0).asInt()).isEqualTo(f.get(k).get("names").size());
        }
        // Cameras: video, (height, width, channels), video info keys as get_video_info writes them.
        JsonNode cam = f.get("observation.images.front");
        assertThat(cam.get("dtype").asText()).isEqualTo("video");
        assertThat(cam.get("shape").toString()).isEqualTo("[64,64,3]");
        assertThat(cam.get("names").toString()).isEqualTo("[\"height\",\"width\",\"channels\"]");
        assertThat(iterable(cam.get("info").fieldNames())).contains("video.height", "video.width", "video.codec", "video.pix_fmt",
                "video.is_depth_map", "video.fps", "video.channels", "has_audio");
        assertThat(cam.get("info").get("video.codec").asText()).isEqualTo("h264");
        assertThat(cam.get("info").get("video.pix_fmt").asText()).isEqualTo("yuv420p");
        // No feature name may contain '/' (LeRobot's _validate_feature_names).
        f.fieldNames().forEachRemaining(n -> assertThat(n).doesNotContain("/"));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    private static Map<String, String> schema(Statement s, Path file) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(" + Duck.path(file) + "))")) {
            while (rs.next()) m.put(rs.getString(1), rs.getString(2));
        }
        return m;
    }

    @Test void parquetColumnsMatchLeRobot() throws Exception {
        try (var c = Duck.open(); Statement s = c.createStatement()) {
            // data: Value(dtype) for shape (1,), Sequence(float32) for vectors, no video columns.
            Map<String, String> data = schema(s, root.resolve("data/chunk-000/file-000.parquet"));
            assertThat(data).containsEntry("observation.state", "FLOAT[]").containsEntry("action", "FLOAT[]")
                    .containsEntry("timestamp", "FLOAT").containsEntry("frame_index", "BIGINT").containsEntry("episode_index", "BIGINT")
                    .containsEntry("index", "BIGINT").containsEntry("task_index", "BIGINT")
                    .containsEntry("next.done", "BOOLEAN").containsEntry("next.success", "BOOLEAN")
                    .doesNotContainKey("observation.images.front");
            // meta/episodes: the columns save_episode / _save_episode_data / _save_episode_video write.
            Map<String, String> eps = schema(s, root.resolve("meta/episodes/chunk-000/file-000.parquet"));
            String v = "videos/observation.images.front/";
            assertThat(eps).containsEntry("episode_index", "BIGINT").containsEntry("tasks", "VARCHAR[]").containsEntry("length", "BIGINT")
                    .containsEntry("data/chunk_index", "BIGINT").containsEntry("data/file_index", "BIGINT")
                    .containsEntry("dataset_from_index", "BIGINT").containsEntry("dataset_to_index", "BIGINT")
                    .containsEntry(v + "chunk_index", "BIGINT").containsEntry(v + "file_index", "BIGINT")
                    .containsEntry(v + "from_timestamp", "DOUBLE").containsEntry(v + "to_timestamp", "DOUBLE")
                    .containsEntry("meta/episodes/chunk_index", "BIGINT").containsEntry("meta/episodes/file_index", "BIGINT")
                    .containsEntry("stats/action/mean", "DOUBLE[]").containsEntry("stats/action/count", "BIGINT[]")
                    .containsEntry("stats/observation.images.front/mean", "DOUBLE[][][]");
            // tasks.parquet: task_index + task, with pandas metadata making 'task' the index.
            Map<String, String> tasks = schema(s, root.resolve("meta/tasks.parquet"));
            assertThat(tasks).containsExactlyEntriesOf(Map.of("task_index", "BIGINT", "task", "VARCHAR").entrySet().stream()
                    .sorted((a, b) -> a.getKey().equals("task_index") ? -1 : 1).collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));
            try (ResultSet rs = s.executeQuery("SELECT decode(value) FROM parquet_kv_metadata(" + Duck.path(root.resolve("meta/tasks.parquet")) + ") WHERE decode(key) = 'pandas'")) {
                assertThat(rs.next()).isTrue();
                assertThat(DatasetInfo.JSON.readTree(rs.getString(1)).get("index_columns").toString()).isEqualTo("[\"task\"]");
            }
            // Episode ranges: contiguous, video timestamps chained inside one mp4 (many episodes per file).
            try (ResultSet rs = s.executeQuery("SELECT dataset_from_index, dataset_to_index, \"" + v + "from_timestamp\", \"" + v + "to_timestamp\", length "
                    + "FROM read_parquet(" + Duck.path(root.resolve("meta/episodes/chunk-000/file-000.parquet")) + ") ORDER BY episode_index")) {
                long to = 0;
                double ts = 0;
                while (rs.next()) {
                    assertThat(rs.getLong(1)).isEqualTo(to);
                    assertThat(rs.getDouble(3)).isEqualTo(ts);
                    assertThat(rs.getDouble(4) - rs.getDouble(3)).isCloseTo(rs.getLong(5) / 5.0, org.assertj.core.data.Offset.offset(1e-9));
                    to = rs.getLong(2);
                    ts = rs.getDouble(4);
                }
                assertThat(to).isEqualTo(15);
            }
        }
        // stats.json: every feature, LeRobot's stat keys, images per channel [3][1][1].
        JsonNode stats = DatasetInfo.JSON.readTree(root.resolve("meta/stats.json").toFile());
        for (String k : List.of("observation.state", "action", "timestamp", "index", "observation.images.front"))
            assertThat(iterable(stats.get(k).fieldNames())).as(k).containsExactlyElementsOf(FeatureStats.KEYS);
        assertThat(stats.get("observation.images.front").get("mean").toString()).matches("\\[\\[\\[[0-9.E-]+\\]\\],\\[\\[[0-9.E-]+\\]\\],\\[\\[[0-9.E-]+\\]\\]\\]");
        assertThat(stats.get("index").get("count").get(0).asInt()).isEqualTo(15);
        // Video: H.264 yuv420p mp4, one frame per row.
        try (VideoReader r = new VideoReader(root.resolve("videos/observation.images.front/chunk-000/file-000.mp4"))) {
            assertThat(r.packetTimes()).hasSize(15);
            assertThat(r.width()).isEqualTo(64);
        }
        assertThat(Files.exists(root.resolve(".wmpc-staging")) ? Files.list(root.resolve(".wmpc-staging")).count() : 0).isZero();
    }

    /** observation.environment_state as LeRobot's sim environments declare it: float32, shape [n], names; a data column, in the stats. */
    @Test void environmentStateIsAFloatVectorFeature() throws Exception {
        Path env = dir.resolve("env");
        SyntheticRobot robot = new SyntheticRobot(32, true);
        DatasetSpec spec = DatasetSpec.of(robot, 5, "synthetic");
        try (DatasetWriter w = DatasetWriter.open(env, spec, DatasetWriter.Options.defaults())) {
            for (int s = 0; s < 2; s++) {
                var obs = robot.reset(s);
                try (EpisodeRecorder rec = new EpisodeRecorder(spec, "task", s)) {
                    for (int i = 0; i < 3; i++) {
                        rec.add(obs, robot.act(new dev.wmpc.core.Action.EndEffectorDelta(0.01, 0, 0, 1)), false, false);
                        obs = robot.observe();
                    }
                    w.append(rec.finish(false));
                }
            }
        }
        JsonNode f = DatasetInfo.JSON.readTree(env.resolve("meta/info.json").toFile()).get("features");
        assertThat(iterable(f.fieldNames())).containsSubsequence("observation.state", "observation.environment_state", "action");
        JsonNode es = f.get("observation.environment_state");
        assertThat(es.get("dtype").asText()).isEqualTo("float32");
        assertThat(es.get("shape").toString()).isEqualTo("[3]");
        assertThat(es.get("names").toString()).isEqualTo("[\"cube_x\",\"cube_y\",\"cube_z\"]");
        try (var c = Duck.open(); Statement s = c.createStatement()) {
            assertThat(schema(s, env.resolve("data/chunk-000/file-000.parquet"))).containsEntry("observation.environment_state", "FLOAT[]");
            assertThat(schema(s, env.resolve("meta/episodes/chunk-000/file-000.parquet")))
                    .containsEntry("stats/observation.environment_state/mean", "DOUBLE[]");
        }
        JsonNode stats = DatasetInfo.JSON.readTree(env.resolve("meta/stats.json").toFile()).get("observation.environment_state");
        assertThat(iterable(stats.fieldNames())).containsExactlyElementsOf(FeatureStats.KEYS);
        assertThat(stats.get("mean").size()).isEqualTo(3);
        assertThat(stats.get("min").get(2).asDouble()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(stats.get("max").get(2).asDouble()).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(DatasetValidator.validate(env).problems()).isEmpty();
    }

    @Test void readsADatasetLaidOutByLeRobot() throws Exception {
        Path fx = LeRobotFixture.build(dir.resolve("lerobot"));
        assertThat(DatasetValidator.validate(fx).problems()).isEmpty();
        try (EpisodeDataset ds = EpisodeDataset.open(fx)) {
            assertThat(ds.episodes()).isEqualTo(3);
            assertThat(ds.fps()).isEqualTo(10);
            assertThat(ds.stateDim()).isEqualTo(6);
            assertThat(ds.meta().tasks()).containsExactly(LeRobotFixture.TASKS);
            assertThat(ds.meta().episodes().get(1).tasks()).containsExactly(LeRobotFixture.TASKS[1]);
            assertThat(ds.meta().episodes().get(0).seed()).isNull();
            for (int ep = 0; ep < 3; ep++) {
                int start = ep == 2 ? 5 : 0, len = 4;
                Clip c = ds.clip(ep, start, len);
                for (int t = 0; t < len; t++) {
                    int f = start + t;
                    assertThat(c.actions()[t][2]).isEqualTo(LeRobotFixture.action(ep, f, 2));
                    assertThat(c.states()[t][5]).isEqualTo(LeRobotFixture.state(ep, f, 5));
                    assertThat(VideoRoundTripTest.meanAbsDiff(c.frames()[t], LeRobotFixture.image(ep, f))).as("ep %d frame %d", ep, f).isLessThan(8.0);
                }
            }
        }
    }

    @Test void validatorNamesTheFileAndTheProblem() throws Exception {
        Path fx = LeRobotFixture.build(dir.resolve("broken"));
        // Drop the last episode's rows from the second data file.
        try (var c = Duck.open(); Statement s = c.createStatement()) {
            Path f = fx.resolve("data/chunk-000/file-001.parquet");
            s.execute("COPY (SELECT * FROM read_parquet(" + Duck.path(f) + ") WHERE frame_index < 14) TO " + Duck.path(fx.resolve("x.parquet")) + " (FORMAT PARQUET)");
            Files.move(fx.resolve("x.parquet"), f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        var rep = DatasetValidator.validate(fx);
        assertThat(rep.problems()).extracting(Object::toString)
                .anyMatch(p -> p.contains("data/chunk-000/file-001.parquet: episode 2 has 14 rows but its length is 15"));
        // Shift the timestamps of the first file: LeRobot would reject them.
        try (var c = Duck.open(); Statement s = c.createStatement()) {
            Path f = fx.resolve("data/chunk-000/file-000.parquet");
            s.execute("COPY (SELECT * REPLACE (timestamp + 0.05 AS timestamp) FROM read_parquet(" + Duck.path(f) + ")) TO " + Duck.path(fx.resolve("x.parquet")) + " (FORMAT PARQUET)");
            Files.move(fx.resolve("x.parquet"), f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(DatasetValidator.validate(fx).problems()).extracting(Object::toString)
                .anyMatch(p -> p.contains("file-000.parquet: episode 0 timestamps are off the 1/fps frame grid"))
                .anyMatch(p -> p.contains("file-000.parquet: episode 0 starts at timestamp 0.05"));
        Files.delete(fx.resolve("meta/stats.json"));
        assertThat(DatasetValidator.validate(fx).problems()).extracting(Object::toString).anyMatch(p -> p.contains("stats.json is missing"));
    }
}
