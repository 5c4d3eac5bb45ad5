package dev.wmpc.dataset;

import dev.wmpc.dataset.video.EncodedVideo;
import dev.wmpc.dataset.video.Mp4Writer;
import dev.wmpc.dataset.video.H264Encoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a small dataset the way LeRobot's recorder lays it out, independently of {@link DatasetWriter}: AV1 video
 * (LeRobot's default codec, SVT-AV1), LeRobot's column order and list types, data split over two files while all
 * episodes share one mp4, an episodes table without wmpc's extras, pandas-style tasks.parquet.
 */
final class LeRobotFixture {
    static final int FPS = 10, W = 64, H = 64;
    static final int[] LENGTHS = {12, 9, 15};
    static final String[] TASKS = {"Grab the black cube", "Put it in the bin"};
    static final String CAM = "observation.images.front";

    static float action(int ep, int frame, int j) { return ep * 100 + frame + j * 0.1f; }
    static float state(int ep, int frame, int j) { return -(ep * 100 + frame) - j * 0.01f; }
    static int taskOf(int ep) { return ep == 1 ? 1 : 0; }

    static byte[] image(int ep, int frame) { return VideoRoundTripTest.pattern(W, H, ep * 20 + frame); }

    static Path build(Path root) throws Exception {
        Files.createDirectories(root.resolve("meta"));
        // Video: all three episodes in one AV1 mp4, one encode per episode as LeRobot does before concatenating.
        List<EncodedVideo> vids = new ArrayList<>();
        for (int ep = 0; ep < LENGTHS.length; ep++) {
            try (H264Encoder enc = new H264Encoder(W, H, FPS, "libsvtav1", "av1")) {
                for (int f = 0; f < LENGTHS[ep]; f++) enc.encode(image(ep, f));
                vids.add(enc.finish());
            }
        }
        Path mp4 = root.resolve("videos/" + CAM + "/chunk-000/file-000.mp4");
        Files.createDirectories(mp4.getParent());
        Mp4Writer.write(mp4, vids);
        double[] starts = Mp4Writer.startTimes(vids);
        List<String> names = List.of("shoulder_pan.pos", "shoulder_lift.pos", "elbow_flex.pos", "wrist_flex.pos", "wrist_roll.pos", "gripper.pos");
        try (var c = Duck.open(); Statement s = c.createStatement()) {
            int[] dataFile = {0, 0, 1};
            long index = 0;
            long[] from = new long[LENGTHS.length];
            for (int file = 0; file < 2; file++) {
                s.execute("CREATE OR REPLACE TABLE d (action FLOAT[], \"observation.state\" FLOAT[], timestamp FLOAT, frame_index BIGINT, "
                        + "episode_index BIGINT, index BIGINT, task_index BIGINT)");
                long idx = index;
                for (int ep = 0; ep < LENGTHS.length; ep++) {
                    if (dataFile[ep] != file) { continue; }
                    from[ep] = idx;
                    for (int f = 0; f < LENGTHS[ep]; f++) {
                        StringBuilder a = new StringBuilder("["), st = new StringBuilder("[");
                        for (int j = 0; j < 6; j++) {
                            a.append(j > 0 ? "," : "").append(action(ep, f, j));
                            st.append(j > 0 ? "," : "").append(state(ep, f, j));
                        }
                        s.execute("INSERT INTO d VALUES (" + a + "], " + st + "], " + ((float) f / FPS) + ", " + f + ", " + ep + ", " + (idx++) + ", " + taskOf(ep) + ")");
                    }
                }
                index = idx;
                Path out = root.resolve(String.format("data/chunk-000/file-%03d.parquet", file));
                Files.createDirectories(out.getParent());
                s.execute("COPY d TO " + Duck.path(out) + " (FORMAT PARQUET)");
            }
            s.execute("CREATE TABLE e (episode_index BIGINT, tasks VARCHAR[], length BIGINT, \"data/chunk_index\" BIGINT, \"data/file_index\" BIGINT, "
                    + "dataset_from_index BIGINT, dataset_to_index BIGINT, \"videos/" + CAM + "/chunk_index\" BIGINT, \"videos/" + CAM + "/file_index\" BIGINT, "
                    + "\"videos/" + CAM + "/from_timestamp\" DOUBLE, \"videos/" + CAM + "/to_timestamp\" DOUBLE, \"stats/action/mean\" DOUBLE[], "
                    + "\"meta/episodes/chunk_index\" BIGINT, \"meta/episodes/file_index\" BIGINT)");
            for (int ep = 0; ep < LENGTHS.length; ep++)
                s.execute("INSERT INTO e VALUES (" + ep + ", [" + Duck.str(TASKS[taskOf(ep)]) + "], " + LENGTHS[ep] + ", 0, " + dataFile[ep] + ", "
                        + from[ep] + ", " + (from[ep] + LENGTHS[ep]) + ", 0, 0, " + starts[ep] + ", " + starts[ep + 1] + ", [0,0,0,0,0,0], 0, 0)");
            Path ep = root.resolve("meta/episodes/chunk-000/file-000.parquet");
            Files.createDirectories(ep.getParent());
            s.execute("COPY e TO " + Duck.path(ep) + " (FORMAT PARQUET)");
            s.execute("CREATE TABLE t (task_index BIGINT, task VARCHAR)");
            for (int i = 0; i < TASKS.length; i++) s.execute("INSERT INTO t VALUES (" + i + ", " + Duck.str(TASKS[i]) + ")");
            s.execute("COPY t TO " + Duck.path(root.resolve("meta/tasks.parquet")) + " (FORMAT PARQUET)");
        }
        int total = 0;
        for (int l : LENGTHS) total += l;
        String namesJson = "[\"" + String.join("\", \"", names) + "\"]";
        Files.writeString(root.resolve("meta/info.json"), """
                {
                    "codebase_version": "v3.0",
                    "robot_type": "so101_follower",
                    "total_episodes": 3,
                    "total_frames": %d,
                    "total_tasks": 2,
                    "chunks_size": 1000,
                    "data_files_size_in_mb": 100,
                    "video_files_size_in_mb": 500,
                    "fps": 10,
                    "splits": {"train": "0:3"},
                    "data_path": "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet",
                    "video_path": "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4",
                    "features": {
                        "action": {"dtype": "float32", "shape": [6], "names": %s},
                        "observation.state": {"dtype": "float32", "shape": [6], "names": %s},
                        "observation.images.front": {"dtype": "video", "shape": [64, 64, 3], "names": ["height", "width", "channels"],
                            "info": {"video.height": 64, "video.width": 64, "video.codec": "av1", "video.pix_fmt": "yuv420p",
                                     "video.is_depth_map": false, "video.fps": 10, "video.channels": 3, "has_audio": false}},
                        "timestamp": {"dtype": "float32", "shape": [1], "names": null},
                        "frame_index": {"dtype": "int64", "shape": [1], "names": null},
                        "episode_index": {"dtype": "int64", "shape": [1], "names": null},
                        "index": {"dtype": "int64", "shape": [1], "names": null},
                        "task_index": {"dtype": "int64", "shape": [1], "names": null}
                    }
                }
                """.formatted(total, namesJson, namesJson));
        String stat = "{\"min\": [0,0,0,0,0,0], \"max\": [1,1,1,1,1,1], \"mean\": [0,0,0,0,0,0], \"std\": [1,1,1,1,1,1], \"count\": [36]}";
        String img = "{\"min\": [[[0]],[[0]],[[0]]], \"max\": [[[1]],[[1]],[[1]]], \"mean\": [[[0.5]],[[0.5]],[[0.5]]], \"std\": [[[0.2]],[[0.2]],[[0.2]]], \"count\": [36]}";
        String scalar = "{\"min\": [0], \"max\": [1], \"mean\": [0], \"std\": [1], \"count\": [36]}";
        Files.writeString(root.resolve("meta/stats.json"), "{\"action\": " + stat + ", \"observation.state\": " + stat + ", \"" + CAM + "\": " + img
                + ", \"timestamp\": " + scalar + ", \"frame_index\": " + scalar + ", \"episode_index\": " + scalar + ", \"index\": " + scalar
                + ", \"task_index\": " + scalar + "}");
        return root;
    }
}
