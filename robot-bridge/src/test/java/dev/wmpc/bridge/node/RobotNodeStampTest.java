package dev.wmpc.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link RobotNode} stamps what it publishes with ROS time (wall clock), not the robot's episode time. */
class RobotNodeStampTest {
    @Test
    void headersCarryWallClockTimeNotTheRobotsEpisodeTime() throws Exception {
        DdsSettings dds = DdsSettings.localhost(TestDomains.next());
        PointArm arm = new PointArm(0.04); // its own time starts at 0
        List<Double> frameStamps = new CopyOnWriteArrayList<>(), stateStamps = new CopyOnWriteArrayList<>(), goalStamps = new CopyOnWriteArrayList<>();
        AtomicBoolean serving = new AtomicBoolean(true);
        try (Ros2Transport simSide = new IhmcTransport("wmpc_sim", dds);
             Ros2Transport watcher = new IhmcTransport("watcher", dds);
             RobotNode sim = new RobotNode(arm, simSide, RobotNodeConfig.defaults(TopicNames.DEFAULT, 0.04).withRates(30, 100))) {
            watcher.subscribe(TopicNames.DEFAULT.camera(), Image.TYPE, Qos.SENSOR_DATA, m -> frameStamps.add(m.header().stamp().seconds()), e -> {});
            watcher.subscribe(TopicNames.DEFAULT.jointStates(), JointState.TYPE, Qos.SENSOR_DATA, m -> stateStamps.add(m.header().stamp().seconds()), e -> {});
            watcher.subscribe(TopicNames.DEFAULT.goalImage(), Image.TYPE, Qos.LATCHED, m -> goalStamps.add(m.header().stamp().seconds()), e -> {});
            sim.publishGoal(new CameraFrame("goal", PointArm.W, PointArm.H, PixelEncoding.RGB8, new byte[PointArm.W * PointArm.H * 3], 0));
            Thread server = new Thread(() -> sim.run(serving::get), "sim-node");
            server.start();
            try {
                long end = System.nanoTime() + 10_000_000_000L;
                while ((frameStamps.size() < 3 || stateStamps.size() < 3 || goalStamps.isEmpty()) && System.nanoTime() < end) Thread.sleep(10);
            } finally {
                serving.set(false);
                server.join(2000);
            }
        }
        double now = System.currentTimeMillis() / 1000.0;
        assertThat(frameStamps).hasSizeGreaterThanOrEqualTo(3).allSatisfy(t -> assertThat(t).isCloseTo(now, within(30.0)));
        assertThat(stateStamps).hasSizeGreaterThanOrEqualTo(3).allSatisfy(t -> assertThat(t).isCloseTo(now, within(30.0)));
        assertThat(goalStamps).isNotEmpty().allSatisfy(t -> assertThat(t).isCloseTo(now, within(30.0)));
    }
}
