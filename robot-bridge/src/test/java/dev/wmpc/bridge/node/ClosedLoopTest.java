package dev.wmpc.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Policy;
import dev.wmpc.core.Vec3;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The whole loop over DDS on loopback: a robot served by {@link RobotNode}, a {@link ControllerNode} driving it
 * through {@link Ros2Robot} (twist form, then joint-trajectory form), and a {@link RecordNode} recording it all.
 */
class ClosedLoopTest {
    static final double PERIOD = 0.04;

    /** Drives the end effector toward a point, at most 1.5 cm a step, and opens/closes the gripper on the way. */
    record Reach(Vec3 goal) implements Policy {
        @Override public Action act(Observation obs) {
            Vec3 ee = Vec3.of(obs.state().jointPositions());
            Vec3 d = goal.minus(ee);
            if (d.norm() > 0.015) d = d.times(0.015 / d.norm());
            return new Action.EndEffectorDelta(d.x(), d.y(), d.z(), d.norm() < 0.015 ? -1 : 1);
        }
    }

    @Test
    void controllerReachesTheGoalThroughTheSimNodeWhileTheRecorderRecords() throws Exception {
        DdsSettings dds = DdsSettings.localhost(TestDomains.next());
        PointArm arm = new PointArm(PERIOD);
        AtomicBoolean serving = new AtomicBoolean(true);
        List<Action> recordedActions = new CopyOnWriteArrayList<>();
        List<Observation> recordedObs = new CopyOnWriteArrayList<>();
        try (Ros2Transport simSide = new IhmcTransport("wmpc_sim", dds);
             Ros2Transport controlSide = new IhmcTransport("wmpc_controller", dds);
             Ros2Transport recordSide = new IhmcTransport("wmpc_record", dds);
             RobotNode sim = new RobotNode(arm, simSide, RobotNodeConfig.defaults(TopicNames.DEFAULT, PERIOD).withRates(30, 100))) {
            byte[] goalPx = new byte[PointArm.W * PointArm.H * 3];
            goalPx[7] = 42;
            sim.publishGoal(new CameraFrame("goal", PointArm.W, PointArm.H, PixelEncoding.RGB8, goalPx, 0));
            Thread server = new Thread(() -> sim.run(serving::get), "sim-node");
            server.start();

            RecordingSink sink = new RecordingSink() {
                @Override public void record(Observation o, Action a) { recordedObs.add(o); recordedActions.add(a); }
            };
            AtomicBoolean recording = new AtomicBoolean(true);
            // the recorder's rate is not a multiple of the control rate, so its samples drift over every phase of
            // the control loop instead of locking to one that may never see a command before the arm applies it
            RecordNode recorder = new RecordNode(recordSide, TopicNames.DEFAULT, 1.7 / PERIOD, Optional.empty(), "camera", "gripper",
                    GripperMapping.IDENTITY, Optional.empty(), Optional.of(PointArm.KINEMATICS), sink);
            Thread rec = new Thread(() -> recorder.run(recording::get, 0), "record-node");
            rec.start();
            try {
                Ros2RobotConfig cfg = Ros2RobotConfig.defaults(TopicNames.DEFAULT, PERIOD);
                // 1) twist form (MoveIt Servo), no kinematics
                Vec3 goal1 = new Vec3(0.2, -0.1, 0.4);
                try (Ros2Robot robot = new Ros2Robot(controlSide, cfg, Optional.empty())) {
                    assertThat(robot.jointNames()).containsExactly("x", "y", "z");
                    var stats = new ControllerNode(robot, new Reach(goal1)).run(1, () -> arm.position().distance(goal1) > 0.005, 150);
                    // the loop stops at 5 mm, but a step already commanded can still be applied once after it (seen:
                    // 10.05 mm on CI); 2 cm still tells a reach from the 25 cm start
                    assertThat(arm.position().distance(goal1)).as("reached in %s", stats).isLessThan(0.02);
                    assertThat(robot.goalImage()).as("latched goal reaches a late subscriber")
                            .hasValueSatisfying(g -> assertThat(g.data()[7]).isEqualTo((byte) 42));
                    // frame-in to command-out: a working pipeline takes milliseconds to one period; the bound only
                    // catches a broken one (stale frames, stuck loop) without failing on a loaded CI machine
                    assertThat(stats.latencyP95Ms()).isLessThan(2000);
                }
                // 2) joint-trajectory form (ros2_control) with IK from the arm's kinematics
                Vec3 goal2 = new Vec3(-0.15, 0.1, 0.25);
                try (Ros2Robot robot = new Ros2Robot(controlSide, cfg.withMode(Ros2RobotConfig.CommandMode.JOINT_TRAJECTORY), Optional.of(PointArm.KINEMATICS))) {
                    new ControllerNode(robot, new Reach(goal2)).run(2, () -> arm.position().distance(goal2) > 0.005, 150);
                    assertThat(arm.position().distance(goal2)).isLessThan(0.02);
                    assertThat(arm.gripper()).as("gripper command went through").isEqualTo(-1);
                }
            } finally {
                recording.set(false);
                rec.join(2000);
                recorder.close();
                serving.set(false);
                server.join(2000);
            }
            assertThat(recordedObs).hasSizeGreaterThan(20);
            assertThat(recordedObs.get(0).primaryFrame().width()).isEqualTo(PointArm.W);
            assertThat(recordedActions).anyMatch(a -> a instanceof Action.EndEffectorDelta d && d.delta().norm() > 0.005);
            // with kinematics, joint-trajectory periods are recorded as the displacement they command, and the
            // observations carry the end-effector pose (for this arm: the joint positions)
            assertThat(recordedActions).allMatch(a -> a instanceof Action.EndEffectorDelta);
            assertThat(recordedActions.stream().skip(recordedActions.size() / 2)).anyMatch(a -> ((Action.EndEffectorDelta) a).delta().norm() > 0.005);
            Observation o = recordedObs.get(recordedObs.size() - 1);
            assertThat(o.state().eePosition().toArray()).containsExactly(o.state().jointPositions());
            assertThat(sim.framesPublished()).isGreaterThan(30);
        }
    }
}
