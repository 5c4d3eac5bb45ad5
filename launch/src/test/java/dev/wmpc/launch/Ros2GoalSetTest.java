package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.bridge.TestDomains;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.render.EglSceneRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Goal images over DDS on loopback, two processes: {@code wmpc ros2 sim --goals keyframes --episodes 2} in its own
 * JVM publishes each episode's goal set; {@code wmpc ros2 controller} here gathers each whole set and restarts its
 * plan on it (a stand-in policy records what it was given). The sets are the images {@code wmpc eval --goals
 * keyframes} gives for those seeds.
 */
class Ros2GoalSetTest {

    @Test
    void eachEpisodesKeyframesReachTheControllerAsOneSetInOrder() throws Exception {
        int domain = TestDomains.next();
        long seed = 4;
        ChildWmpc sim = ChildWmpc.start("ros2", "sim", "--task", "pick-place", "--goals", "keyframes", "--seed", String.valueOf(seed),
                "--episodes", "2", "--max-seconds", "60", "--domain-id", String.valueOf(domain), "--localhost-only", "--json",
                "--ros-args", "-p", "control_rate_hz:=20");
        List<List<CameraFrame>> given = new CopyOnWriteArrayList<>();
        try {
            CommandLine controller = new CommandLine(new Ros2ControllerCommand((goals, s) -> {
                given.add(goals);
                return obs -> new Action.EndEffectorDelta(0, 0, 0, 1);
            }));
            controller.setCaseInsensitiveEnumValuesAllowed(true);
            // 2 episodes of 60 steps at 20 Hz: 6 s of sim steps; the controller runs 10 s
            int code = controller.execute("--max-steps", "200", "--domain-id", String.valueOf(domain), "--localhost-only",
                    "--goal-timeout", "30", "--ros-args", "-p", "control_rate_hz:=20", "-p", "startup_timeout:=30",
                    "-p", "watchdog_timeout:=1.0");
            assertThat(code).isZero();
            assertThat(sim.waitFor(40)).as("the sim ends after its 2 episodes").isTrue();
            assertThat(sim.exitValue()).as(sim.output()).isZero();
        } finally {
            sim.close();
        }
        String[] lines = sim.output().strip().split("\n");
        JsonNode report = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(report.get("goals").asText()).isEqualTo("keyframes");
        assertThat(report.get("episodes").asInt()).isEqualTo(2);
        assertThat(report.get("successes").isInt()).as("the report counts successes").isTrue();

        // what eval gives for these seeds: open hand around the cube, cube lifted, goal image
        List<List<CameraFrame>> expected = new ArrayList<>();
        SimConfig base = SimConfig.defaults(Task.byName("pick-place")).withCameraSize(64);
        SimGoalOptions keyframes = new SimGoalOptions();
        keyframes.kind = SimGoalOptions.Kind.KEYFRAMES;
        try (SimRobot local = new SimRobot(base.withRates(20, Math.max(base.physicsHz(), 20)), new EglSceneRenderer())) {
            for (long s = seed; s < seed + 2; s++) {
                local.reset(s);
                expected.add(keyframes.goals(local).images());
            }
        }
        // the final image alone may come first on its own topic (a set is three messages): only whole sets count here
        List<List<CameraFrame>> sets = given.stream().filter(g -> g.size() > 1).toList();
        assertThat(sets).as("one plan per episode's goal set").hasSize(2);
        for (int e = 0; e < 2; e++) {
            assertThat(sets.get(e)).hasSize(3);
            for (int i = 0; i < 3; i++)
                assertThat(sets.get(e).get(i).data()).as("episode %d goal image %d", e, i).isEqualTo(expected.get(e).get(i).data());
        }
        assertThat(given.get(given.size() - 1)).as("the controller ends on the last episode's set").isSameAs(sets.get(1));
    }
}
