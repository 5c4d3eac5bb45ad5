package dev.wmpc.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.bridge.msg.Bool;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.msg.MessageType;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.SafetyLimits;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import dev.wmpc.core.Vec3;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller side's safety over real DDS: a fake arm publishes frames and joint states, the test watches every
 * twist that leaves {@link Ros2Robot}.
 */
class Ros2RobotSafetyTest {
    static final double PERIOD = 0.05;
    static final List<String> JOINTS = List.of("j1", "j2", "j3");

    /** A received twist: when the node sent it (its header stamp, wall clock seconds) and the velocity. */
    record Twist(double sentAt, Vec3 v) {}

    Ros2Transport armSide, controlSide;
    final List<Twist> twists = new CopyOnWriteArrayList<>();
    final AtomicBoolean streaming = new AtomicBoolean(true), running = new AtomicBoolean(true);
    final AtomicInteger frames = new AtomicInteger();
    Thread arm;
    Ros2Transport.Publisher<Bool> estop, estopReset;

    @BeforeEach
    void start() {
        DdsSettings dds = DdsSettings.localhost(TestDomains.next());
        armSide = new IhmcTransport("fake_arm", dds);
        controlSide = new IhmcTransport("wmpc_controller", dds);
        armSide.subscribe(TopicNames.DEFAULT.twist(), TwistStamped.TYPE, Qos.COMMANDS, t -> twists.add(new Twist(t.header().stamp().seconds(), t.linear())), e -> {});
        var img = armSide.publisher(TopicNames.DEFAULT.camera(), Image.TYPE, Qos.SENSOR_DATA);
        var js = armSide.publisher(TopicNames.DEFAULT.jointStates(), JointState.TYPE, Qos.SENSOR_DATA);
        estop = armSide.publisher(TopicNames.DEFAULT.estop(), Bool.TYPE, Qos.COMMANDS);
        estopReset = armSide.publisher(TopicNames.DEFAULT.estopReset(), Bool.TYPE, Qos.COMMANDS);
        arm = new Thread(() -> {
            while (running.get()) {
                if (streaming.get()) {
                    img.publish(new Image(Header.at(0, "camera"), 32, 32, "rgb8", false, 96, new byte[32 * 32 * 3]));
                    js.publish(new JointState(Header.at(0, ""), List.of("j3", "j1", "j2", "gripper"), new double[] {3, 1, 2, 0.5}, new double[0], new double[0]));
                    frames.incrementAndGet();
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fake-arm");
        arm.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        arm.join(1000);
        controlSide.close();
        armSide.close();
    }

    Ros2Robot robot() {
        Ros2RobotConfig cfg = Ros2RobotConfig.defaults(TopicNames.DEFAULT, PERIOD).withJointNames(JOINTS)
                .withLimits(new SafetyLimits(0.01, 1, Optional.empty(), Optional.empty(), new Vec3(-1, -1, -1), new Vec3(1, 1, 1)));
        return new Ros2Robot(controlSide, cfg, Optional.empty());
    }

    static final double MAX_SPEED = 0.01 / PERIOD;

    @Test
    void nanAndOutOfLimitPlansNeverLeaveTheNode() {
        try (Ros2Robot robot = robot()) {
            var obs = robot.observe();
            assertThat(obs.state().jointPositions()).containsExactly(1, 2, 3); // reordered by name
            assertThat(obs.state().gripper()).isEqualTo(0.5);
            Random rnd = new Random(5);
            double[] nasty = {Double.NaN, Double.POSITIVE_INFINITY, -1e300, 5, -0.3};
            var stats = new ControllerNode(robot, o -> new Action.EndEffectorDelta(nasty[rnd.nextInt(5)], rnd.nextGaussian(), nasty[rnd.nextInt(5)], nasty[rnd.nextInt(5)]))
                    .run(1, () -> true, 30);
            assertThat(stats.refused()).as("non-finite plans refused").isPositive();
        }
        sleep(200);
        assertThat(twists).hasSizeGreaterThanOrEqualTo(30);
        assertThat(twists).allSatisfy(t -> {
            assertThat(t.v().isFinite()).isTrue();
            assertThat(t.v().norm()).isLessThanOrEqualTo(MAX_SPEED + 1e-9);
        });
        assertThat(twists).anyMatch(t -> t.v().norm() > MAX_SPEED * 0.99); // clipped, not just zeroed
    }

    @Test
    void watchdogHoldsWithinItsPeriodAndEstopLatchesUntilReset() {
        try (Ros2Robot robot = robot()) {
            robot.observe();
            ControllerNode node = new ControllerNode(robot, o -> new Action.EndEffectorDelta(0.005, 0, 0, 1));
            node.run(1, () -> true, 10);
            assertThat(last().v().x()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-9));

            // inputs stop: within the watchdog time (2 periods) plus one period the commands are zero
            streaming.set(false);
            double stoppedAt = System.currentTimeMillis() / 1000.0;
            node.run(1, () -> true, 8);
            sleep(100);
            // sent more than watchdog timeout (2 periods) + one control period after the inputs stopped: hold
            double limit = stoppedAt + 2 * PERIOD + PERIOD + 0.02;
            assertThat(twists.stream().filter(t -> t.sentAt() > limit)).isNotEmpty().allSatisfy(t -> assertThat(t.v()).isEqualTo(Vec3.ZERO));
            assertThat(robot.holdReason()).hasValueSatisfying(r -> assertThat(r).contains("no fresh"));

            streaming.set(true);
            sleep(100);
            node.run(1, () -> true, 3);
            assertThat(last().v().x()).isGreaterThan(0);

            // e-stop: true latches; false does not release; reset does
            estop.publish(new Bool(true));
            sleep(100);
            estop.publish(new Bool(false));
            sleep(100);
            node.run(1, () -> true, 4);
            assertThat(robot.holdReason()).contains("e-stop latched");
            assertThat(last().v()).isEqualTo(Vec3.ZERO);
            estopReset.publish(new Bool(true));
            sleep(100);
            node.run(1, () -> true, 3);
            assertThat(robot.holdReason()).isEmpty();
            assertThat(last().v().x()).isGreaterThan(0);
        }
    }

    /** Sends arbitrary bytes under a real type's name. */
    static MessageType<byte[]> raw(String rosName) {
        return new MessageType<>() {
            @Override public String rosName() { return rosName; }
            @Override public int maxSerializedSize() { return 8192; }
            @Override public void write(byte[] m, CdrWriter w) { for (byte b : m) w.writeOctet(b); }
            @Override public byte[] read(CdrReader r) { throw new UnsupportedOperationException(); }
        };
    }

    @Test
    void fuzzedAndMalformedMessagesAreDroppedAndTheNodeKeepsRunning() {
        var rawImg = armSide.publisher(TopicNames.DEFAULT.camera(), raw("sensor_msgs/msg/Image"), Qos.SENSOR_DATA);
        var rawJs = armSide.publisher(TopicNames.DEFAULT.jointStates(), raw("sensor_msgs/msg/JointState"), Qos.SENSOR_DATA);
        var img = armSide.publisher(TopicNames.DEFAULT.camera(), Image.TYPE, Qos.SENSOR_DATA);
        var js = armSide.publisher(TopicNames.DEFAULT.jointStates(), JointState.TYPE, Qos.SENSOR_DATA);
        try (Ros2Robot robot = robot()) {
            robot.observe();
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            Thread fuzzer = new Thread(() -> {
                Random rnd = new Random(11);
                while (fuzzing.get()) {
                    byte[] b = new byte[rnd.nextInt(200)];
                    rnd.nextBytes(b);
                    rawImg.publish(b);
                    rawJs.publish(b);
                    img.publish(new Image(Header.at(0, "c"), 32, 32, "rgb8", false, 96, new byte[100])); // wrong length
                    img.publish(new Image(Header.at(0, "c"), 2, 2, "yuv9", false, 2, new byte[4]));       // unknown encoding
                    js.publish(new JointState(Header.at(0, ""), List.of("a", "b", "c"), new double[] {1, 2, 3}, new double[0], new double[0])); // wrong joints
                    js.publish(new JointState(Header.at(0, ""), JOINTS, new double[] {Double.NaN, 0, 0}, new double[0], new double[0]));
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fuzzer");
            fuzzer.start();
            var stats = new ControllerNode(robot, o -> new Action.EndEffectorDelta(0.005, 0, 0, 1)).run(1, () -> true, 40);
            fuzzing.set(false);
            assertThat(robot.droppedMessages()).isGreaterThan(50);
            assertThat(stats.steps() - stats.holds()).as("still controlling between the junk").isGreaterThan(30);
            var obs = robot.observe();
            assertThat(obs.state().jointPositions()).containsExactly(1, 2, 3);
            assertThat(obs.primaryFrame().width()).isEqualTo(32);
        }
    }

    Twist last() {
        sleep(60);
        return twists.get(twists.size() - 1);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
