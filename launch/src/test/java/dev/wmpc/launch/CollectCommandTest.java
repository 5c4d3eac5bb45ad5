package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wmpc.dataset.Clip;
import dev.wmpc.dataset.DatasetMeta;
import dev.wmpc.dataset.DatasetValidator;
import dev.wmpc.dataset.EpisodeDataset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectCommandTest {
    @TempDir Path dir;

    @Test void collectsExpertEpisodesInParallelAndResumes() throws Exception {
        Path out = dir.resolve("reach");
        var o = CliRun.run("collect", "--task", "reach", "--policy", "expert", "--episodes", "3", "--seed", "5",
                "--out", out.toString(), "--workers", "2", "--camera-size", "32", "--json");
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode j = o.json();
        assertThat(j.get("recorded").asInt()).isEqualTo(3);
        assertThat(j.get("success_rate").asDouble()).as("the expert reaches").isGreaterThan(0.5);
        assertThat(o.err()).contains("episodes").contains("frames/s").contains("ETA");
        assertThat(DatasetValidator.validate(out).problems()).isEmpty();

        var again = CliRun.run("collect", "--task", "reach", "--episodes", "5", "--seed", "5", "--out", out.toString(),
                "--workers", "2", "--camera-size", "32", "--resume", "--json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.json().get("skipped").asInt()).isEqualTo(3);
        assertThat(again.json().get("recorded").asInt()).isEqualTo(2);
        DatasetMeta meta = DatasetMeta.load(out);
        assertThat(meta.episodes()).hasSize(5);
        assertThat(meta.tasks()).containsExactly("reach the goal point with the gripper");
        assertThat(meta.info().robotType()).isEqualTo("wmpc_arm");
        try (EpisodeDataset ds = EpisodeDataset.open(out)) {
            Clip c = ds.clip(0, 0, 2);
            assertThat(c.width()).isEqualTo(32);
            assertThat(ds.stateDim()).isEqualTo(meta.info().features().get("observation.state").names().size());
            // The arm moves: consecutive end-effector positions differ.
            assertThat(c.states()[0]).isNotEqualTo(c.states()[1]);
            // The simulator's cube position is recorded as observation.environment_state (the cube rests on the table).
            assertThat(ds.environmentNames()).containsExactly("cube_x", "cube_y", "cube_z");
            assertThat((double) c.environmentStates()[0][2]).isCloseTo(dev.wmpc.sim.Task.CUBE_HALF, org.assertj.core.data.Offset.offset(0.005));
        }
        // Different camera size: refused, naming the difference.
        var bad = CliRun.run("collect", "--task", "reach", "--episodes", "6", "--out", out.toString(), "--camera-size", "64", "--resume");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("shape differs");
        var noResume = CliRun.run("collect", "--task", "reach", "--episodes", "1", "--out", out.toString(), "--camera-size", "32");
        assertThat(noResume.code()).isEqualTo(1);
        assertThat(noResume.err()).contains("--resume");
        var usage = CliRun.run("collect", "--task", "fly", "--episodes", "1", "--out", out.toString());
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("reach").contains("push");
    }

    @Test void teleopWithoutADisplayFailsClearly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null,
                "a display is present: the window would open");
        var o = CliRun.run("teleop", "--task", "push", "--out", dir.resolve("t").toString());
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("no display").doesNotContain("Exception");
        var usage = CliRun.run("teleop", "--task", "push", "--out", dir.resolve("t").toString(), "--device", "joystick");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("keyboard").contains("gamepad");
    }
}
