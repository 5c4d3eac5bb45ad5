package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.core.Action;
import dev.wmpc.core.Vec3;
import dev.wmpc.sim.Task;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The full loop over DDS on loopback with two processes: {@code wmpc ros2 sim} in its own JVM, and
 * {@code wmpc ros2 controller} here, with the arm's URDF (end-effector pose from joint states) and a stand-in
 * policy that knows the reach goal (the planner with a trained model takes its place in real use). The sim reports
 * the reach task solved.
 */
class Ros2FullLoopTest {

    @Test
    void simAndControllerProcessesSolveAReachTaskOverDds(@TempDir Path dir) throws Exception {
        int domain = TestDomains.next();
        long seed = 3;
        Vec3 goal = Task.byName("reach").sample(seed, 1).goal();
        Path urdf = dir.resolve("wmpc_arm.urdf");
        try (InputStream in = getClass().getResourceAsStream("/dev/wmpc/sim/wmpc_arm.urdf")) {
            Files.write(urdf, in.readAllBytes());
        }
        ChildWmpc sim = ChildWmpc.start("ros2", "sim", "--task", "reach", "--seed", String.valueOf(seed), "--episodes", "1",
                "--max-seconds", "40", "--domain-id", String.valueOf(domain), "--localhost-only", "--ros-args", "-p", "control_rate_hz:=10");
        try {
            CommandLine controller = new CommandLine(new Ros2ControllerCommand((g, s) -> obs -> {
                Vec3 d = goal.minus(obs.state().eePosition());
                if (d.norm() > 0.04) d = d.times(0.04 / d.norm());
                return new Action.EndEffectorDelta(d.x(), d.y(), d.z(), 1);
            }));
            controller.setCaseInsensitiveEnumValuesAllowed(true);
            int code = controller.execute("--urdf", urdf.toString(), "--max-steps", "30", "--domain-id", String.valueOf(domain),
                    "--localhost-only", "--goal-timeout", "30", "--ros-args", "-p", "control_rate_hz:=10", "-p", "safety.max_step:=0.05",
                    "-p", "startup_timeout:=30",
                    // The watchdog has its own tests; here a frame that is late while both JVMs warm up must not cost steps.
                    "-p", "watchdog_timeout:=1.0");
            assertThat(code).isZero();
            assertThat(sim.waitFor(30)).isTrue();
            assertThat(sim.exitValue()).as(sim.output()).isZero();
            assertThat(sim.output()).as(sim.output()).contains("episode 0 seed 3: success");
            System.out.println(sim.output().lines().filter(l -> l.startsWith("episode")).findFirst().orElse(""));
        } finally {
            sim.close();
        }
    }
}
