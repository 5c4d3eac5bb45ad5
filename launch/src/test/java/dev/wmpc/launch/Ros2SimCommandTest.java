package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.msg.Float64MultiArray;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.core.Vec3;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Ros2SimCommandTest {

    @Test
    void simNodeServesFramesStatesAndGoalAndMovesOnServoTwists() throws Exception {
        int domain = 30 + (int) (ProcessHandle.current().pid() % 60);
        List<Image> frames = new CopyOnWriteArrayList<>(), goals = new CopyOnWriteArrayList<>();
        List<JointState> states = new CopyOnWriteArrayList<>();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread sim = new Thread(() -> exit.set(Wmpc.execute("ros2", "sim", "--max-seconds", "5", "--camera-size", "48",
                "--domain-id", String.valueOf(domain), "--localhost-only", "--ros-args", "-p", "camera_rate_hz:=10",
                "-p", "joint_state_rate_hz:=20")), "sim-command");
        try (IhmcTransport t = new IhmcTransport("test_driver", DdsSettings.localhost(domain))) {
            t.subscribe(TopicNames.DEFAULT.camera(), Image.TYPE, Qos.SENSOR_DATA, frames::add, e -> {});
            t.subscribe(TopicNames.DEFAULT.jointStates(), JointState.TYPE, Qos.SENSOR_DATA, states::add, e -> {});
            var twist = t.publisher(TopicNames.DEFAULT.twist(), TwistStamped.TYPE, Qos.COMMANDS);
            var grip = t.publisher(TopicNames.DEFAULT.gripper(), Float64MultiArray.TYPE, Qos.COMMANDS);
            sim.start();
            long end = System.nanoTime() + 15_000_000_000L;
            while (states.isEmpty() && System.nanoTime() < end) Thread.sleep(20);
            assertThat(states).as("joint states from the sim node").isNotEmpty();
            // a late subscriber still gets the latched goal
            t.subscribe(TopicNames.DEFAULT.goalImage(), Image.TYPE, Qos.LATCHED, goals::add, e -> {});
            double[] first = states.get(0).position();
            for (int i = 0; i < 20; i++) {
                twist.publish(new TwistStamped(Header.at(0, "base_link"), new Vec3(0, 0, 0.1), Vec3.ZERO));
                grip.publish(Float64MultiArray.of(-1));
                Thread.sleep(100);
            }
            JointState last = states.get(states.size() - 1);
            assertThat(last.names()).hasSize(8).endsWith("gripper");
            double moved = 0;
            for (int i = 0; i < 7; i++) moved += Math.abs(last.position()[i] - first[i]);
            assertThat(moved).as("arm joints moved on the twist").isGreaterThan(0.05);
            assertThat(last.position()[7]).as("gripper closed").isLessThan(first[7]);
            assertThat(frames).isNotEmpty();
            assertThat(frames.get(0).toFrame("front").width()).isEqualTo(48);
            assertThat(goals).as("latched goal image").isNotEmpty();
            sim.join(15_000);
        }
        assertThat(exit.get()).isZero();
    }
}
