package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Quat;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.DatasetWriter;
import dev.wmpc.dataset.EpisodeRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandsTest {
    @TempDir Path dir;

    private Path dataset() {
        Path root = dir.resolve("ds");
        DatasetSpec spec = new DatasetSpec(5, "test", List.of(new DatasetSpec.Camera("front", 32, 32)),
                List.of("j0", "ee_x", "ee_y", "ee_z", "ee_qx", "ee_qy", "ee_qz", "ee_qw", "gripper"), List.of("dx", "dy", "dz", "gripper"));
        try (DatasetWriter w = DatasetWriter.open(root, spec, DatasetWriter.Options.defaults())) {
            for (int e = 0; e < 3; e++) {
                try (EpisodeRecorder rec = new EpisodeRecorder(spec, "reach the target", e)) {
                    for (int i = 0; i < 6; i++) {
                        byte[] rgb = new byte[32 * 32 * 3];
                        java.util.Arrays.fill(rgb, (byte) (i * 30 + e));
                        RobotState st = new RobotState(new double[] {i}, new Vec3(i, 0, 0), Quat.IDENTITY, 1);
                        rec.add(new Observation(Map.of("front", new CameraFrame("front", 32, 32, PixelEncoding.RGB8, rgb, i)), st, i),
                                new float[] {0, 0, 0, 1}, false, false);
                    }
                    w.append(rec.finish(e != 1));
                }
            }
        }
        return root;
    }

    @Test void infoReportsTotalsAndSuccessRate() throws Exception {
        Path root = dataset();
        CliRun.Result o = CliRun.run("dataset", "info", root.toString(), "--json");
        assertThat(o.code()).as(o.err()).isZero();
        String[] lines = o.out().strip().split("\n");
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(j.get("episodes").asInt()).isEqualTo(3);
        assertThat(j.get("frames").asInt()).isEqualTo(18);
        assertThat(j.get("fps").asInt()).isEqualTo(5);
        assertThat(j.get("success_rate").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(j.get("features").get("observation.images.front").asText()).isEqualTo("video [32, 32, 3]");
        assertThat(j.get("size_bytes").asLong()).isPositive();
        assertThat(o.out()).contains("reach the target");
    }

    @Test void validateExitsOneNamingTheBrokenFile() throws Exception {
        Path root = dataset();
        CliRun.Result ok = CliRun.run("dataset", "validate", root.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("valid LeRobot v3 dataset: 3 episodes, 18 frames");
        Files.delete(root.resolve("videos/observation.images.front/chunk-000/file-000.mp4"));
        CliRun.Result bad = CliRun.run("dataset", "validate", root.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("videos/observation.images.front/chunk-000/file-000.mp4: video file is missing");
        CliRun.Result missing = CliRun.run("dataset", "info", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("meta/info.json is missing").doesNotContain("Exception");
    }

    @Test void benchDatasetPrintsJson() throws Exception {
        CliRun.Result o = CliRun.run("bench", "dataset", "--episodes", "4", "--frames", "10", "--clip", "4", "--size", "32");
        assertThat(o.code()).as(o.err()).isZero();
        String[] lines = o.out().strip().split("\n");
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(j.get("frames_written").asInt()).isEqualTo(40);
        assertThat(j.get("write_frames_per_second").asDouble()).isPositive();
        assertThat(j.get("sample_frames_per_second").asDouble()).isPositive();
    }
}
