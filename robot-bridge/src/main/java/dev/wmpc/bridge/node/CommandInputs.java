package dev.wmpc.bridge.node;

import dev.wmpc.bridge.msg.Float64MultiArray;
import dev.wmpc.bridge.msg.JointTrajectory;
import dev.wmpc.bridge.msg.Joy;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import dev.wmpc.core.Vec3;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commands arriving over ROS 2, in either form: MoveIt Servo twists (m/s, turned into a displacement per control
 * period), ros2_control joint trajectories (the last point's positions, reordered to the arm's joints), gripper
 * commands, and optionally sensor_msgs/Joy teleoperation. Non-finite or mismatched commands are dropped with a
 * rate-limited warning. The newest command wins while it is fresh; otherwise the arm holds.
 */
public final class CommandInputs implements AutoCloseable {
    /** How a gamepad drives the arm: axis indices for x, y, z (negative index = unused), speed, gripper buttons. */
    public record JoyMapping(int[] axes, double speed, int closeButton, int openButton) {
        public static final JoyMapping DEFAULT = new JoyMapping(new int[] {1, 0, 4}, 0.1, 0, 1);
    }

    private record Stamped(Object command, long arrivalNanos) {}

    private final List<String> jointNames;
    private final GripperMapping gripper;
    private final JoyMapping joy;
    private final RateLimitedWarning warnings;
    private final List<Ros2Transport.Subscription> subs = new ArrayList<>();
    private volatile Stamped latest;
    /** The newest non-zero twist that {@link #current} has not returned yet (see there). */
    private volatile Stamped unapplied;
    private volatile double gripperCommand = 1;
    private final AtomicLong dropped = new AtomicLong();

    public CommandInputs(Ros2Transport transport, TopicNames topics, List<String> jointNames, GripperMapping gripper,
                         Optional<JoyMapping> joy, RateLimitedWarning warnings) {
        this.jointNames = List.copyOf(jointNames);
        this.gripper = gripper;
        this.joy = joy.orElse(null);
        this.warnings = warnings;
        subs.add(transport.subscribe(topics.twist(), TwistStamped.TYPE, Qos.COMMANDS, this::onTwist, e -> drop("twist", e.getMessage())));
        subs.add(transport.subscribe(topics.jointTrajectory(), JointTrajectory.TYPE, Qos.COMMANDS, this::onTrajectory, e -> drop("trajectory", e.getMessage())));
        subs.add(transport.subscribe(topics.gripper(), Float64MultiArray.TYPE, Qos.COMMANDS, this::onGripper, e -> drop("gripper", e.getMessage())));
        if (joy.isPresent())
            subs.add(transport.subscribe(topics.joy(), Joy.TYPE, Qos.SENSOR_DATA, this::onJoy, e -> drop("joy", e.getMessage())));
    }

    private void drop(String kind, String why) {
        dropped.incrementAndGet();
        warnings.warn(kind, "dropped " + kind + " command: " + why);
    }

    private void onTwist(TwistStamped t) {
        if (!t.linear().isFinite() || !t.angular().isFinite()) { drop("twist", "non-finite velocity"); return; }
        Stamped s = new Stamped(t.linear(), System.nanoTime());
        if (t.linear().norm() != 0) unapplied = s;
        latest = s;
    }

    private void onTrajectory(JointTrajectory t) {
        if (t.points().isEmpty()) { drop("trajectory", "no points"); return; }
        double[] p = t.points().get(t.points().size() - 1).positions();
        if (p.length != t.jointNames().size()) { drop("trajectory", t.jointNames().size() + " joint names but " + p.length + " positions"); return; }
        double[] q = new double[jointNames.size()];
        for (int i = 0; i < q.length; i++) {
            int k = t.jointNames().indexOf(jointNames.get(i));
            if (k < 0) { drop("trajectory", "joint '" + jointNames.get(i) + "' missing (has " + t.jointNames() + ")"); return; }
            q[i] = p[k];
            if (!Double.isFinite(q[i])) { drop("trajectory", "non-finite position for " + jointNames.get(i)); return; }
        }
        unapplied = null;
        latest = new Stamped(q, System.nanoTime());
    }

    private void onGripper(Float64MultiArray m) {
        if (m.data().length < 1 || !Double.isFinite(m.data()[0])) { drop("gripper", "needs one finite value"); return; }
        gripperCommand = gripper.toCommand(m.data()[0]);
    }

    private void onJoy(Joy m) {
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            int a = joy.axes()[i];
            if (a >= 0 && a < m.axes().length) v[i] = m.axes()[a];
            if (!Double.isFinite(v[i])) { drop("joy", "non-finite axis"); return; }
        }
        if (joy.closeButton() < m.buttons().length && m.buttons()[joy.closeButton()] != 0) gripperCommand = -1;
        if (joy.openButton() < m.buttons().length && m.buttons()[joy.openButton()] != 0) gripperCommand = 1;
        unapplied = null;
        latest = new Stamped(new Vec3(v[0], v[1], v[2]).times(joy.speed()), System.nanoTime());
    }

    /**
     * The command to apply for one control period, if one arrived within {@code timeoutSeconds}. A zero twist that
     * arrived after a non-zero one this node has not applied yet (a controller stops its twist when its next plan is
     * late, and the two can land within one of our periods) does not erase that step: the step is applied once first.
     */
    public Optional<Action> current(double controlPeriod, double timeoutSeconds) {
        Stamped s = latest;
        Stamped u = unapplied;
        unapplied = null;
        if (u != null && s != null && s.command() instanceof Vec3 v && v.norm() == 0) s = u;
        if (s == null || System.nanoTime() - s.arrivalNanos() > timeoutSeconds * 1e9) return Optional.empty();
        double g = gripperCommand;
        return Optional.of(switch (s.command()) {
            case Vec3 v -> new Action.EndEffectorDelta(v.x() * controlPeriod, v.y() * controlPeriod, v.z() * controlPeriod, g);
            case double[] q -> new Action.JointTargets(q, g);
            default -> throw new IllegalStateException("unknown command " + s.command());
        });
    }

    /** True once any arm command (twist, trajectory or Joy) has arrived. */
    public boolean anyReceived() { return latest != null; }

    /** The latest gripper command in [-1, 1] (open until told otherwise). */
    public double gripperCommand() { return gripperCommand; }

    public long dropped() { return dropped.get(); }

    @Override public void close() { subs.forEach(Ros2Transport.Subscription::close); }
}
