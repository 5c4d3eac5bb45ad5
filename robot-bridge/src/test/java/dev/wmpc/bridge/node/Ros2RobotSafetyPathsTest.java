package dev.wmpc.bridge.node;

import static dev.wmpc.bridge.node.Ros2RobotSafetyTest.awaitTrue;
import static dev.wmpc.bridge.node.Ros2RobotSafetyTest.nowSeconds;
import static dev.wmpc.bridge.node.Ros2RobotSafetyTest.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.msg.Bool;
import dev.wmpc.bridge.msg.Float64MultiArray;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.msg.JointTrajectory;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.SafetyLimits;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Vec3;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller side's safety paths over real DDS, against a fake three-joint arm described by a URDF: joint
 * trajectories from the URDF's IK within its joint limits, the hold sent on close (what Ctrl-C does), the watchdog on
 * stale joint states while frames keep coming, the gripper command while holding, the e-stop across a goal change; and
 * what the controller shows every step (the planned path from the URDF's end effector, its state on /diagnostics).
 */
class Ros2RobotSafetyPathsTest {
    static final double PERIOD = 0.05;
    static final Path URDF = Path.of("src/test/resources/urdf/three_joint_arm.urdf");

    /** What the arm side received, with the wall-clock time it arrived. */
    record Received<T>(double at, T message) {}

    Ros2Transport armSide, controlSide;
    final List<Received<Vec3>> twists = new CopyOnWriteArrayList<>();
    final List<Received<double[]>> trajectories = new CopyOnWriteArrayList<>();
    final List<Received<Double>> grippers = new CopyOnWriteArrayList<>();
    final AtomicBoolean frames = new AtomicBoolean(true), joints = new AtomicBoolean(true), running = new AtomicBoolean(true);
    final AtomicReference<double[]> q = new AtomicReference<>(new double[] {0.2, 0.3, 1.2});
    Thread arm;
    Ros2Transport.Publisher<Bool> estop, estopReset;
    Ros2Transport.Publisher<Image> goalSet;
    UrdfArmKinematics kinematics;

    @BeforeEach
    void start() {
        DdsSettings dds = DdsSettings.localhost(TestDomains.next());
        armSide = new IhmcTransport("fake_arm", dds);
        controlSide = new IhmcTransport("wmpc_controller", dds);
        kinematics = UrdfArmKinematics.load(URDF, "tool", List.of(), 0);
        TopicNames t = TopicNames.DEFAULT;
        armSide.subscribe(t.twist(), TwistStamped.TYPE, Qos.COMMANDS, m -> twists.add(new Received<>(nowSeconds(), m.linear())), e -> {});
        armSide.subscribe(t.jointTrajectory(), JointTrajectory.TYPE, Qos.COMMANDS,
                m -> trajectories.add(new Received<>(nowSeconds(), m.points().get(0).positions())), e -> {});
        armSide.subscribe(t.gripper(), Float64MultiArray.TYPE, Qos.COMMANDS, m -> grippers.add(new Received<>(nowSeconds(), m.data()[0])), e -> {});
        var img = armSide.publisher(t.camera(), Image.TYPE, Qos.SENSOR_DATA);
        var js = armSide.publisher(t.jointStates(), JointState.TYPE, Qos.SENSOR_DATA);
        estop = armSide.publisher(t.estop(), Bool.TYPE, Qos.COMMANDS);
        estopReset = armSide.publisher(t.estopReset(), Bool.TYPE, Qos.COMMANDS);
        goalSet = armSide.publisher(t.goalImages(), Image.TYPE, GoalImages.SET_QOS);
        arm = new Thread(() -> {
            while (running.get()) {
                if (frames.get()) img.publish(new Image(Header.at(0, "camera"), 8, 8, "rgb8", false, 24, new byte[8 * 8 * 3]));
                double[] p = q.get();
                if (joints.get())
                    js.publish(new JointState(Header.at(0, ""), List.of("yaw", "pitch1", "pitch2", "gripper"),
                            new double[] {p[0], p[1], p[2], 0.5}, new double[0], new double[0]));
                sleep(10);
            }
        }, "fake-urdf-arm");
        arm.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        arm.join(1000);
        controlSide.close();
        armSide.close();
    }

    /** The arm's limits from its URDF; 1 cm per step; 1 rad/s; a workspace box that does not bind here. */
    Ros2RobotConfig config(Ros2RobotConfig.CommandMode mode, double watchdog) {
        SafetyLimits limits = new SafetyLimits(0.01, 1.0, Optional.empty(), Optional.empty(), new Vec3(-2, -2, -2), new Vec3(2, 2, 2))
                .withJointLimits(kinematics.lowerLimits(), kinematics.upperLimits());
        return Ros2RobotConfig.defaults(TopicNames.DEFAULT, PERIOD).withMode(mode).withJointNames(kinematics.jointNames())
                .withLimits(limits).withWatchdogTimeout(watchdog);
    }

    /** Holds until the arm side hears from the controller: its command publishers are matched. */
    static void awaitMatched(Ros2Robot robot, List<?> received) {
        long end = System.nanoTime() + 10_000_000_000L;
        int before = received.size();
        while (received.size() == before) {
            assertThat(System.nanoTime() < end).as("timed out waiting for the command topic to match").isTrue();
            robot.hold("waiting for the arm to subscribe");
        }
    }

    @Test
    void jointTrajectoriesComeFromTheUrdfIkWithinItsJointLimits() {
        double[] q0 = q.get();
        try (Ros2Robot robot = new Ros2Robot(controlSide, config(Ros2RobotConfig.CommandMode.JOINT_TRAJECTORY, 5), Optional.of(kinematics))) {
            robot.observe();
            awaitMatched(robot, trajectories);
            assertThat(trajectories.get(trajectories.size() - 1).message()).as("a hold is the current positions").containsExactly(q0);

            // 5 mm along x: the IK's joint targets move the tool by about that, each joint within its speed
            double t0 = nowSeconds();
            Action.JointTargets out = (Action.JointTargets) robot.act(new Action.EndEffectorDelta(0.005, 0, 0, 1));
            awaitTrue(() -> trajectories.stream().anyMatch(r -> r.at() >= t0), "the trajectory");
            double[] sent = trajectories.stream().filter(r -> r.at() >= t0).findFirst().orElseThrow().message();
            assertThat(sent).containsExactly(out.positions());
            Vec3 moved = kinematics.position(sent).minus(kinematics.position(q0));
            assertThat(moved.x()).isCloseTo(0.005, within(0.001));
            assertThat(Math.hypot(moved.y(), moved.z())).isLessThan(0.001);
            for (int i = 0; i < 3; i++) assertThat(Math.abs(sent[i] - q0[i])).isLessThanOrEqualTo(1.0 * PERIOD + 1e-9);

            // a far end-effector target: the step limit holds after IK
            double t1 = nowSeconds();
            robot.act(new Action.EndEffectorDelta(0, 0, -0.5, 1));
            awaitTrue(() -> trajectories.stream().anyMatch(r -> r.at() >= t1), "the second trajectory");
            double[] far = trajectories.stream().filter(r -> r.at() >= t1).findFirst().orElseThrow().message();
            assertThat(kinematics.position(far).distance(kinematics.position(q0))).isLessThanOrEqualTo(0.01 + 1e-6);

            // the arm near pitch2's upper limit (2.5); joint targets past it: within the speed (+0.05) but clipped to the limit
            q.set(new double[] {q0[0], q0[1], 2.48});
            awaitTrue(() -> robot.observe().state().jointPositions()[2] == 2.48, "the arm's new posture");
            double t2 = nowSeconds();
            robot.act(new Action.JointTargets(new double[] {q0[0], q0[1], 3.0}, 1));
            awaitTrue(() -> trajectories.stream().anyMatch(r -> r.at() >= t2), "the third trajectory");
            double[] clipped = trajectories.stream().filter(r -> r.at() >= t2).findFirst().orElseThrow().message();
            assertThat(clipped[2]).isCloseTo(kinematics.upperLimits()[2], within(1e-12));
            assertThat(kinematics.upperLimits()[2]).isEqualTo(2.5);
        }
    }

    @Test
    void closingSendsAHoldInEitherCommandForm() {
        try (Ros2Robot robot = new Ros2Robot(controlSide, config(Ros2RobotConfig.CommandMode.TWIST, 5), Optional.of(kinematics))) {
            robot.observe();
            awaitMatched(robot, twists);
            robot.act(new Action.EndEffectorDelta(0.005, 0, 0, 1));
            double t0 = nowSeconds();
            robot.close(); // what the controller command does on Ctrl-C or --max-steps (its try-with-resources)
            awaitTrue(() -> twists.stream().anyMatch(r -> r.at() >= t0), "the twist sent on close");
            sleep(300); // nothing after it: the expiry is cancelled, the publisher gone
            assertThat(twists.get(twists.size() - 1).message()).isEqualTo(Vec3.ZERO);
            assertThat(twists.stream().filter(r -> r.at() >= t0)).allSatisfy(r -> assertThat(r.message()).isEqualTo(Vec3.ZERO));
        }
        double[] now = q.get();
        try (Ros2Robot robot = new Ros2Robot(controlSide, config(Ros2RobotConfig.CommandMode.JOINT_TRAJECTORY, 5), Optional.of(kinematics))) {
            robot.observe();
            awaitMatched(robot, trajectories);
            robot.act(new Action.EndEffectorDelta(0.005, 0, 0, 1));
            double t0 = nowSeconds();
            robot.close();
            awaitTrue(() -> trajectories.stream().anyMatch(r -> r.at() >= t0), "the trajectory sent on close");
            assertThat(trajectories.get(trajectories.size() - 1).message()).as("hold = the current positions").containsExactly(now);
        }
    }

    @Test
    void staleJointStatesHoldTheArmWhileFramesKeepComing() {
        try (Ros2Robot robot = new Ros2Robot(controlSide, config(Ros2RobotConfig.CommandMode.TWIST, 2 * PERIOD), Optional.of(kinematics))) {
            robot.observe();
            ControllerNode node = new ControllerNode(robot, o -> new Action.EndEffectorDelta(0.005, 0, 0, 1));
            double t0 = nowSeconds();
            node.run(1, () -> true, 10);
            awaitTrue(() -> twists.stream().anyMatch(r -> r.at() >= t0 && r.message().x() > 0), "motion");

            joints.set(false); // the joint states stop; frames go on
            double stoppedAt = nowSeconds(), limit = stoppedAt + 2 * PERIOD + PERIOD + 0.5;
            node.run(1, () -> nowSeconds() < limit + 0.5, 0);
            assertThat(robot.holdReason()).hasValueSatisfying(r -> assertThat(r).contains("no fresh joint state"));
            awaitTrue(() -> twists.stream().anyMatch(r -> r.at() > limit + 0.3), "twists well after the watchdog limit");
            assertThat(twists.stream().filter(r -> r.at() > limit + 0.1)).isNotEmpty().allSatisfy(r -> assertThat(r.message()).isEqualTo(Vec3.ZERO));
        }
    }

    @Test
    void theGripperKeepsItsLastCommandWhileHolding() {
        try (Ros2Robot robot = new Ros2Robot(controlSide, config(Ros2RobotConfig.CommandMode.TWIST, 0.3), Optional.of(kinematics))) {
            robot.observe();
            awaitMatched(robot, grippers);
            ControllerNode node = new ControllerNode(robot, o -> new Action.EndEffectorDelta(0.005, 0, 0, -1)); // close: holding a cube
            double t0 = nowSeconds();
            node.run(1, () -> true, 3);
            awaitTrue(() -> grippers.stream().anyMatch(r -> r.at() >= t0 && r.message() == -1), "the closing command");

            estop.publish(new Bool(true));
            awaitTrue(() -> robot.holdReason().equals(Optional.of("e-stop latched")), "the e-stop");
            double t1 = nowSeconds();
            node.run(1, () -> true, 5); // holds: the gripper must stay closed, not open and drop the cube
            frames.set(false);           // and on a watchdog hold too, once the e-stop is reset
            estopReset.publish(new Bool(true));
            awaitTrue(() -> robot.holdReason().map(r -> r.contains("camera")).orElse(false), "the reset, then stale frames");
            node.run(1, () -> true, 3);
            robot.close();
            awaitTrue(() -> grippers.stream().filter(r -> r.at() >= t1).count() >= 9, "the hold's gripper commands");
            assertThat(grippers.stream().filter(r -> r.at() >= t1)).allSatisfy(r -> assertThat(r.message()).isEqualTo(-1.0));
        }
    }

    @Test
    void theEstopStaysLatchedAcrossAGoalChange() {
        try (Ros2Robot robot = new Ros2Robot(controlSide, config(Ros2RobotConfig.CommandMode.TWIST, 5), Optional.of(kinematics))) {
            robot.observe();
            publishGoals(1, 40);
            awaitTrue(() -> robot.goals().isPresent(), "the first goal");
            // a policy that plans toward whichever goal is newest (as the controller command's): it moves
            List<GoalImages.GoalSet> planned = new CopyOnWriteArrayList<>();
            ControllerNode node = new ControllerNode(robot, o -> {
                GoalImages.GoalSet g = robot.goals().orElseThrow();
                if (planned.isEmpty() || planned.get(planned.size() - 1) != g) planned.add(g);
                return new Action.EndEffectorDelta(0.005, 0, 0, 1);
            });
            double t0 = nowSeconds();
            node.run(1, () -> true, 3);
            awaitTrue(() -> twists.stream().anyMatch(r -> r.at() >= t0 && r.message().x() > 0), "motion toward the first goal");

            estop.publish(new Bool(true));
            awaitTrue(() -> robot.holdReason().equals(Optional.of("e-stop latched")), "the e-stop");
            GoalImages.GoalSet first = robot.goals().orElseThrow();
            publishGoals(2, 41); // a new episode's goal set
            awaitTrue(() -> robot.goals().map(g -> g != first).orElse(false), "the new goal set");
            assertThat(robot.goals().orElseThrow().images()).hasSize(2);
            double t1 = nowSeconds();
            node.run(1, () -> true, 5);
            assertThat(robot.holdReason()).as("a new goal does not release the e-stop").contains("e-stop latched");
            awaitTrue(() -> twists.stream().filter(r -> r.at() >= t1).count() >= 5, "the holds");
            assertThat(twists.stream().filter(r -> r.at() >= t1)).allSatisfy(r -> assertThat(r.message()).isEqualTo(Vec3.ZERO));
            assertThat(planned).as("the policy was not asked while stopped").containsExactly(first);

            estopReset.publish(new Bool(true));
            awaitTrue(() -> robot.holdReason().isEmpty(), "the reset");
            double t2 = nowSeconds();
            node.run(1, () -> true, 3);
            awaitTrue(() -> twists.stream().anyMatch(r -> r.at() >= t2 && r.message().x() > 0), "motion toward the new goal");
            assertThat(planned).hasSize(2);
        }
    }

    /** A policy that says what it planned: a fixed three-step plan, or a hold with its reason. */
    static final class ShowingPolicy implements dev.wmpc.core.Policy, PlanView.Source {
        static final List<Vec3> PLAN = List.of(new Vec3(0.005, 0, 0), new Vec3(0.004, 0.002, 0), new Vec3(0, 0, -0.003));
        volatile String holdReason;

        @Override public Action act(dev.wmpc.core.Observation o) {
            return holdReason == null ? new Action.EndEffectorDelta(0.005, 0, 0, 1) : new Action.EndEffectorDelta(0, 0, 0, 1);
        }

        @Override public Optional<PlanView> lastPlan() {
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
            values.put("energy", "0.5");
            values.put("energy.latent", "0.3");
            values.put("energy.proprio", "0.2");
            values.put("goal_index", "1");
            values.put("goal_count", "2");
            return Optional.of(new PlanView(holdReason == null ? PLAN : List.of(), values, Optional.ofNullable(holdReason)));
        }
    }

    @Test
    void eachStepShowsThePlannedPathFromTheEndEffectorAndTheControllersState() {
        TopicNames t = TopicNames.DEFAULT;
        List<dev.wmpc.bridge.msg.NavPath> paths = new CopyOnWriteArrayList<>();
        List<dev.wmpc.bridge.msg.DiagnosticStatus> statuses = new CopyOnWriteArrayList<>();
        armSide.subscribe(t.plannedPath(), dev.wmpc.bridge.msg.NavPath.TYPE, Qos.COMMANDS, paths::add, e -> {});
        armSide.subscribe(t.diagnostics(), dev.wmpc.bridge.msg.DiagnosticArray.TYPE, Qos.COMMANDS, m -> statuses.addAll(m.status()), e -> {});
        assertThat(t.diagnostics()).isEqualTo("/diagnostics");
        double[] q0 = q.get();
        Ros2RobotConfig config = config(Ros2RobotConfig.CommandMode.TWIST, 5);
        ShowingPolicy policy = new ShowingPolicy();
        try (Ros2Robot robot = new Ros2Robot(controlSide, config, Optional.of(kinematics));
             ControllerDisplay display = new ControllerDisplay(controlSide, config, "wmpc_controller")) {
            robot.observe();
            ControllerNode node = new ControllerNode(robot, policy, display);
            long end = System.nanoTime() + 10_000_000_000L; // until the display's topics matched and showed a step
            node.run(1, () -> (paths.isEmpty() || statuses.isEmpty()) && System.nanoTime() < end, 0);
            awaitTrue(() -> !paths.isEmpty() && !statuses.isEmpty(), "a path and a status");

            // the path: the end effector now (the URDF's FK), then after each planned step, in the base frame
            dev.wmpc.bridge.msg.NavPath path = paths.get(paths.size() - 1);
            assertThat(path.header().frameId()).isEqualTo("base_link");
            assertThat(path.poses()).hasSize(ShowingPolicy.PLAN.size() + 1);
            Vec3 expected = kinematics.position(q0);
            for (int h = 0; h < path.poses().size(); h++) {
                if (h > 0) expected = expected.plus(ShowingPolicy.PLAN.get(h - 1));
                var pose = path.poses().get(h);
                assertThat(pose.position().distance(expected)).as("pose %d", h).isLessThan(1e-12);
                assertThat(pose.orientation()).isEqualTo(kinematics.orientation(q0));
                assertThat(pose.header().frameId()).isEqualTo("base_link");
                if (h > 0) assertThat(pose.header().stamp().seconds() - path.poses().get(h - 1).header().stamp().seconds())
                        .as("each pose stamped when it is due").isCloseTo(PERIOD, within(1e-6));
            }
            // the state: OK, the step, the holds so far and the policy's values in order
            var ok = statuses.get(statuses.size() - 1);
            assertThat(ok.level()).isEqualTo(dev.wmpc.bridge.msg.DiagnosticStatus.Level.OK);
            assertThat(ok.name()).isEqualTo("wmpc_controller: controller");
            assertThat(ok.values()).extracting(dev.wmpc.bridge.msg.DiagnosticStatus.KeyValue::key)
                    .containsExactly("step", "holds", "energy", "energy.latent", "energy.proprio", "goal_index", "goal_count");
            assertThat(ok.values().get(2).value()).isEqualTo("0.5");

            // the planner holds: WARN with its reason, and an empty path (no plan to follow)
            policy.holdReason = "the world model predicted non-finite latents";
            int before = statuses.size(), pathsBefore = paths.size();
            node.run(1, () -> true, 1);
            awaitTrue(() -> statuses.size() > before && paths.size() > pathsBefore, "the planner's hold shown");
            assertThat(statuses.get(statuses.size() - 1).level()).isEqualTo(dev.wmpc.bridge.msg.DiagnosticStatus.Level.WARN);
            assertThat(statuses.get(statuses.size() - 1).message()).contains("non-finite latents");
            assertThat(paths.get(paths.size() - 1).poses()).isEmpty();

            // the e-stop: ERROR while latched, and the policy is not asked
            estop.publish(new Bool(true));
            awaitTrue(() -> robot.estopLatched(), "the e-stop");
            int held = statuses.size();
            node.run(1, () -> true, 2);
            awaitTrue(() -> statuses.size() >= held + 2, "the e-stop's statuses");
            var stopped = statuses.get(statuses.size() - 1);
            assertThat(stopped.level()).isEqualTo(dev.wmpc.bridge.msg.DiagnosticStatus.Level.ERROR);
            assertThat(stopped.message()).contains("e-stop latched");
            assertThat(stopped.values()).extracting(dev.wmpc.bridge.msg.DiagnosticStatus.KeyValue::key).containsExactly("step", "holds");
            assertThat(Long.parseLong(stopped.values().get(1).value())).isPositive();
        }
    }

    void publishGoals(int count, double stamp) {
        List<CameraFrame> images = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) images.add(new CameraFrame("goal", 8, 8, PixelEncoding.RGB8, new byte[8 * 8 * 3], 0));
        for (Image m : GoalImages.messages(images, stamp)) goalSet.publish(m);
    }
}
