package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimCommandTest {
    @Test void expertEpisodesPrintOneLineEachAndJsonLast(@TempDir Path dir) throws Exception {
        CliRun.Result r = CliRun.run("sim", "--task", "pick-place", "--policy", "expert", "--episodes", "2", "--seed", "5", "--camera-size", "48",
                "--out", dir.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("episode 0 seed 5: success").contains("episode 1 seed 6: success");
        JsonNode j = r.json();
        assertThat(j.get("task").asText()).isEqualTo("pick-place");
        assertThat(j.get("policy").asText()).isEqualTo("expert");
        assertThat(j.get("episodes").asInt()).isEqualTo(2);
        assertThat(j.get("success_rate").asDouble()).isEqualTo(1.0);
        assertThat(j.get("steps_per_second").asDouble()).isPositive();
        // Same key as 'wmpc eval' reports; both episodes succeeded, so each ended within pick-place's 3 cm of the goal.
        assertThat(j.get("final_distance_mean").asDouble()).isLessThan(0.03);
        assertThat(j.has("mean_final_distance")).isFalse();
        var strip = ImageIO.read(dir.resolve("episode_000.png").toFile());
        assertThat(strip.getHeight() % 48).isZero();
        assertThat(strip.getWidth()).isEqualTo(480);
        var goal = ImageIO.read(dir.resolve("episode_001_goal.png").toFile());
        assertThat(goal.getWidth()).isEqualTo(48);
        assertThat(Files.list(dir).count()).isEqualTo(4);
    }

    @Test void eachCameraGetsItsStrip(@TempDir Path dir) throws Exception {
        CliRun.Result r = CliRun.run("sim", "--task", "pick-place", "--episodes", "1", "--camera-size", "32", "--cameras", "front,side",
                "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        var front = ImageIO.read(dir.resolve("episode_000.png").toFile());
        var side = ImageIO.read(dir.resolve("episode_000_side.png").toFile());
        assertThat(side.getWidth()).isEqualTo(front.getWidth());
        assertThat(side.getHeight()).isEqualTo(front.getHeight());
        // Two viewpoints: the images differ in many pixels (sky and table cover parts of both).
        int differ = 0, n = 0;
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++, n++) if (front.getRGB(x, y) != side.getRGB(x, y)) differ++;
        assertThat(differ).isGreaterThan(n / 5);
        CliRun.Result bad = CliRun.run("sim", "--cameras", "front,wrist");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown camera 'wrist'").contains("[front, side]");
    }

    @Test void randomAndNoisyPoliciesRun() throws Exception {
        CliRun.Result r = CliRun.run("sim", "--task", "push", "--policy", "random", "--episodes", "1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("policy").asText()).isEqualTo("random");
        CliRun.Result n = CliRun.run("sim", "--task", "reach", "--policy", "noisy-expert", "--noise", "0.005", "--episodes", "2", "--json");
        assertThat(n.exit()).as(n.err()).isZero();
        assertThat(n.json().get("success_rate").asDouble()).isGreaterThan(0.4);
    }

    @Test void badInputIsAUsageErrorNamingTheChoices() {
        CliRun.Result task = CliRun.run("sim", "--task", "stack");
        assertThat(task.exit()).isEqualTo(2);
        assertThat(task.err()).contains("unknown task 'stack'").contains("reach, push, pick-place");
        CliRun.Result policy = CliRun.run("sim", "--policy", "smart");
        assertThat(policy.exit()).isEqualTo(2);
        assertThat(policy.err()).contains("unknown policy 'smart'").contains("expert, noisy-expert, random");
        CliRun.Result size = CliRun.run("sim", "--camera-size", "2048");
        assertThat(size.exit()).isEqualTo(2);
        assertThat(size.err()).contains("--camera-size 2048 is out of range").contains("32 to 1024");
        assertThat(CliRun.run("sim", "--cubes", "5").exit()).isEqualTo(2);
        assertThat(CliRun.run("sim", "--episodes", "0").exit()).isEqualTo(2);
        assertThat(CliRun.run("sim", "--teleop", "keyboard").err()).contains("--teleop needs --view");
        CliRun.Result unknown = CliRun.run("sim", "--colour", "red");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(task.err().strip().lines().count()).isEqualTo(1);
    }

    @Test void viewWithoutADisplayIsOneClearError() {
        boolean display = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
        CliRun.Result r = CliRun.run("sim", "--view", "--episodes", "1");
        if (!display) {
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("no display").doesNotContain("Exception");
        } else {
            assertThat(r.exit()).as(r.err()).isZero();
        }
    }

    @Test void benchSimReportsControlStepsPerSecond() throws Exception {
        CliRun.Result r = CliRun.run("bench", "sim", "--steps", "60", "--warmup", "5", "--repeat", "1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("benchmark").asText()).isEqualTo("sim");
        assertThat(j.get("steps").asInt()).isEqualTo(60);
        assertThat(j.get("substeps_per_step").asInt()).isEqualTo(48);
        assertThat(j.get("steps_per_second").asDouble()).isPositive();
        assertThat(CliRun.run("bench", "sim", "--camera-size", "8").exit()).isEqualTo(2);
    }
}
