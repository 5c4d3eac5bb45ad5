package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.TestDomains;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deployed controller with the shipped model, over DDS on loopback: {@code wmpc ros2 sim} in its own JVM serves
 * three held-out reach episodes, each goal given as an image; {@code wmpc ros2 controller --model default} here plans
 * on the world model alone, with its defaults: no {@code --urdf} (the model's manifest names the simulator's arm) and
 * no step limit (the filter takes that arm's own 5 cm, the steps {@code wmpc eval} plans with, which reaches all three
 * of these seeds in 9–13 steps).
 */
class Ros2ShippedModelLoopTest {

    @Test
    void theShippedModelReachesHeldOutGoalsOverDds() throws Exception {
        int domain = TestDomains.next();
        ChildWmpc sim = ChildWmpc.start("ros2", "sim", "--task", "reach", "--seed", "100000", "--episodes", "3",
                "--max-seconds", "90", "--domain-id", String.valueOf(domain), "--localhost-only", "--json");
        try {
            CommandLine controller = new CommandLine(new Ros2ControllerCommand());
            controller.setCaseInsensitiveEnumValuesAllowed(true);
            int code = controller.execute("--model", "default", "--max-steps", "90", "--domain-id", String.valueOf(domain),
                    "--localhost-only", "--goal-timeout", "60", "--ros-args", "-p", "startup_timeout:=60",
                    // a frame late while both JVMs warm up must not end the test's episodes in holds
                    "-p", "watchdog_timeout:=1.0");
            assertThat(code).isZero();
            assertThat(sim.waitFor(90)).isTrue();
            assertThat(sim.exitValue()).as(sim.output()).isZero();
            String json = sim.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
            var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            assertThat(report.get("episodes").asInt()).isEqualTo(3);
            assertThat(report.get("successes").asInt()).as(sim.output()).isGreaterThanOrEqualTo(2);
        } finally {
            sim.close();
        }
    }
}
