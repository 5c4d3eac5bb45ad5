package dev.wmpc.bridge.node;

import dev.wmpc.bridge.msg.Bool;
import dev.wmpc.bridge.msg.Float64MultiArray;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.JointTrajectory;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.bridge.safety.EstopLatch;
import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.bridge.safety.SafetyFilter;
import dev.wmpc.bridge.safety.Watchdog;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Robot;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.WmpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote arm seen through ROS 2 topics, as a {@link Robot}: observations are the latest camera frame and joint
 * state; {@link #act} sends the action through the {@link SafetyFilter} as a MoveIt Servo twist or a ros2_control
 * joint trajectory (IK from {@link ArmKinematics}) plus a gripper command, then waits out the control period.
 * It holds instead (zero twist / current joint positions) while the watchdog sees stale inputs or the e-stop is
 * latched (/wmpc/estop true; reset with true on /wmpc/estop_reset or {@link #resetEstop()}).
 */
public final class Ros2Robot implements Robot {
    private static final Logger log = LoggerFactory.getLogger(Ros2Robot.class);

    private final Ros2RobotConfig config;
    private final Optional<ArmKinematics> kinematics;
    private final Watchdog watchdog;
    private final RateLimitedWarning warnings = new RateLimitedWarning(log, 2.0);
    private final EstopLatch estop = new EstopLatch();
    private final SafetyFilter filter;
    private final ArmInputs inputs;
    private final List<AutoCloseable> endpoints = new ArrayList<>();
    private final Ros2Transport.Publisher<TwistStamped> twistOut;
    private final Ros2Transport.Publisher<JointTrajectory> trajectoryOut;
    private final Ros2Transport.Publisher<Float64MultiArray> gripperOut;
    private final GoalImages goals;
    private double lastGripper = 1;
    private long nextTick;
    private long observedFrameArrival;
    private final List<Double> latenciesMs = new ArrayList<>();
    private long holds, commands;
    private boolean jointCountChecked;
    /** Twist mode: sends a zero twist when no new twist followed the last one within its period (+ grace). */
    private final ScheduledExecutorService twistExpiry;
    private final Object twistLock = new Object();
    private long twistsSent;
    private boolean closed;

    public Ros2Robot(Ros2Transport transport, Ros2RobotConfig config, Optional<ArmKinematics> kinematics) {
        if (config.mode() == Ros2RobotConfig.CommandMode.JOINT_TRAJECTORY && kinematics.isEmpty())
            throw WmpcException.usage("command_mode joint_trajectory needs the arm's kinematics for IK: give the URDF (--urdf or parameter urdf)");
        config.jointNames().ifPresent(n -> config.limits().requireJointCount(n.size()));
        if (kinematics.isEmpty())
            log.warn("no arm kinematics (pass --urdf): the end-effector position is unknown, so the safety workspace box "
                    + "(safety.workspace_min/max) is NOT enforced; only the step and joint limits are");
        this.config = config;
        this.kinematics = kinematics;
        this.watchdog = new Watchdog(config.watchdogTimeout());
        this.filter = new SafetyFilter(config.limits(), config.controlPeriod());
        var t = config.topics();
        this.inputs = new ArmInputs(transport, t, config.camera().name(), config.jointNames(), config.gripperJoint(), watchdog, warnings);
        goals = new GoalImages(transport, t, warnings);
        endpoints.add(goals);
        endpoints.add(transport.subscribe(t.estop(), Bool.TYPE, Qos.COMMANDS, m -> {
            if (m.data() && !estop.tripped()) log.warn("e-stop received on {}: holding until reset", t.estop());
            estop.signal(m.data());
        }, e -> warnings.warn("estop", "dropped undecodable e-stop message")));
        endpoints.add(transport.subscribe(t.estopReset(), Bool.TYPE, Qos.COMMANDS, m -> { if (m.data()) resetEstop(); },
                e -> warnings.warn("estop", "dropped undecodable e-stop reset")));
        twistOut = transport.publisher(t.twist(), TwistStamped.TYPE, Qos.COMMANDS);
        trajectoryOut = transport.publisher(t.jointTrajectory(), JointTrajectory.TYPE, Qos.COMMANDS);
        gripperOut = transport.publisher(t.gripper(), Float64MultiArray.TYPE, Qos.COMMANDS);
        endpoints.addAll(List.of(inputs, twistOut, trajectoryOut, gripperOut));
        twistExpiry = config.mode() == Ros2RobotConfig.CommandMode.TWIST ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "wmpc-twist-expiry");
            th.setDaemon(true);
            return th;
        }) : null;
    }

    public Ros2RobotConfig config() { return config; }

    @Override public List<String> jointNames() {
        return config.jointNames().orElseGet(() -> {
            awaitInputs();
            return inputs.jointNames().orElseThrow();
        });
    }

    @Override public List<CameraSpec> cameras() { return List.of(config.camera()); }

    @Override public double controlPeriod() { return config.controlPeriod(); }

    /** A real arm cannot be reset from here: starts the episode from where it is. */
    @Override public Observation reset(long seed) { return observe(); }

    @Override public Observation observe() {
        awaitInputs();
        if (!jointCountChecked) {
            config.limits().requireJointCount(inputs.joints().orElseThrow().positions().length); // learned joint names
            jointCountChecked = true;
        }
        ArmInputs.Frame f = inputs.frame().orElseThrow();
        observedFrameArrival = f.arrivalNanos();
        return new Observation(Map.of(config.camera().name(), f.frame()), state(Vec3.ZERO), f.frame().timestamp());
    }

    private void awaitInputs() {
        try {
            if (!inputs.awaitFirst(config.startupTimeout()))
                throw new WmpcException("no " + (inputs.frame().isEmpty() ? "camera frame on " + config.topics().camera()
                        : "joint state on " + config.topics().jointStates()) + " after " + config.startupTimeout()
                        + " s: check that the arm's drivers run on ROS_DOMAIN_ID and the topic remaps (-r from:=to)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WmpcException("interrupted while waiting for the arm's topics");
        }
    }

    /** The arm's state; {@code unknownEe} stands in for the end-effector position when there are no kinematics. */
    private RobotState state(Vec3 unknownEe) {
        ArmInputs.Joints j = inputs.joints().orElseThrow();
        double[] q = j.positions();
        Vec3 ee = kinematics.map(k -> k.position(q)).orElse(unknownEe);
        Quat rot = kinematics.map(k -> k.orientation(q)).orElse(Quat.IDENTITY);
        double opening = j.gripper().orElse((lastGripper + 1) / 2);
        return new RobotState(q, ee, rot, opening);
    }

    /**
     * The newest goal: a complete set of goal images on /wmpc/goal_images or one image on /wmpc/goal_image (both
     * latched), if any; a new goal is a new object.
     */
    public Optional<GoalImages.GoalSet> goals() { return goals.latest(); }

    /** The final image of the newest goal, if any. */
    public Optional<CameraFrame> goalImage() { return goals.latest().map(GoalImages.GoalSet::last); }

    /** Why the arm must hold right now (e-stop, stale inputs), or empty. */
    public Optional<String> holdReason() {
        if (estop.tripped()) return Optional.of("e-stop latched");
        return watchdog.staleness();
    }

    /** Whether the e-stop is latched (the arm holds until a reset). */
    public boolean estopLatched() { return estop.tripped(); }

    /** Whether observations carry the end-effector pose (the arm's kinematics are known); else it reads as zero. */
    public boolean knowsEndEffector() { return kinematics.isPresent(); }

    public void resetEstop() {
        if (estop.tripped()) log.info("e-stop reset");
        estop.reset();
    }

    /** Sends hold for one control period and says why (rate-limited): the current hold reason, else {@code why}. */
    public Action hold(String why) {
        warnings.warn("hold", "holding: " + holdReason().orElse(why));
        return send(null, true);
    }

    @Override public Action act(Action action) {
        Optional<String> why = holdReason();
        if (why.isPresent()) {
            warnings.warn("hold", "holding: " + why.get());
            return send(action, true);
        }
        if (!action.isFinite()) {
            warnings.warn("nan", "refused non-finite action " + action + ": holding");
            send(action, true);
            throw new IllegalArgumentException("non-finite action refused: " + action);
        }
        return send(action, false);
    }

    private Action send(Action proposed, boolean hold) {
        Action out;
        Optional<ArmInputs.Joints> joints = inputs.joints();
        if (joints.isEmpty()) {
            out = new Action.EndEffectorDelta(0, 0, 0, lastGripper);
            publishTwist(Vec3.ZERO);
        } else {
            // unknown end-effector position (no kinematics) = NaN: the filter then skips the workspace check
            RobotState current = state(new Vec3(Double.NaN, Double.NaN, Double.NaN));
            if (hold) {
                out = config.mode() == Ros2RobotConfig.CommandMode.TWIST ? new Action.EndEffectorDelta(0, 0, 0, lastGripper)
                        : new Action.JointTargets(current.jointPositions(), lastGripper);
            } else {
                SafetyFilter.Decision d = filter.filter(proposed, current);
                if (d.modified()) warnings.warn("clip", "safety filter: " + String.join("; ", d.changes()));
                out = d.action();
            }
            out = publish(out, current);
        }
        lastGripper = out.gripper();
        gripperOut.publish(Float64MultiArray.of(config.gripper().toController(out.gripper())));
        if (hold) holds++;
        else {
            commands++;
            if (observedFrameArrival != 0) latenciesMs.add((System.nanoTime() - observedFrameArrival) / 1e6);
        }
        pace();
        return out;
    }

    /** Publishes in the configured command form; returns what was sent. */
    private Action publish(Action a, RobotState current) {
        double dt = config.controlPeriod();
        if (config.mode() == Ros2RobotConfig.CommandMode.TWIST) {
            Action.EndEffectorDelta e = switch (a) {
                case Action.EndEffectorDelta ee -> ee;
                case Action.JointTargets j -> {
                    Vec3 d = kinematics.map(k -> k.position(j.positions()).minus(k.position(current.jointPositions())))
                            .orElseThrow(() -> new IllegalArgumentException("joint targets need command_mode joint_trajectory (or the arm's kinematics)"));
                    // the displacement the joint targets command passes the end-effector checks like any twist
                    // (step norm, workspace box); a non-finite FK result becomes hold
                    SafetyFilter.Decision f = filter.filter(new Action.EndEffectorDelta(d.x(), d.y(), d.z(), j.gripper()), current);
                    if (f.modified()) warnings.warn("clip", "safety filter: " + String.join("; ", f.changes()));
                    yield (Action.EndEffectorDelta) f.action();
                }
            };
            publishTwist(e.delta().times(1 / dt));
            return e;
        }
        Action.JointTargets targets = switch (a) {
            case Action.JointTargets j -> j;
            case Action.EndEffectorDelta e -> {
                double[] q = e.delta().norm() == 0 ? current.jointPositions()
                        : kinematics.orElseThrow().solveDelta(current.jointPositions(), e.delta());
                // IK output passes the joint checks too (limits, speed, finite)
                Action f = filter.filter(new Action.JointTargets(q, e.gripper()), current).action();
                yield (Action.JointTargets) f;
            }
        };
        trajectoryOut.publish(new JointTrajectory(Header.at(now(), config.baseFrame()), jointNames(),
                List.of(JointTrajectory.Point.at(targets.positions(), dt))));
        return targets;
    }

    /**
     * A twist is a velocity that MoveIt Servo keeps executing until the next one: each non-zero twist is meant for
     * one control period, so when no newer twist went out by then (a plan that takes longer than the period) a zero
     * twist follows, {@link #TWIST_GRACE} periods late at most (the grace keeps it from racing an on-time command).
     */
    private void publishTwist(Vec3 v) {
        synchronized (twistLock) {
            if (closed) return;
            long seq = ++twistsSent;
            twistOut.publish(new TwistStamped(Header.at(now(), config.baseFrame()), v, Vec3.ZERO));
            if (twistExpiry != null && v.norm() != 0)
                twistExpiry.schedule(() -> expireTwist(seq), (long) (config.controlPeriod() * (1 + TWIST_GRACE) * 1e9), TimeUnit.NANOSECONDS);
        }
    }

    /** Extra time after one control period before an unrenewed twist is replaced by zero, in control periods. */
    static final double TWIST_GRACE = 0.1;

    private void expireTwist(long seq) {
        synchronized (twistLock) {
            if (closed || seq != twistsSent) return; // a newer command went out
            twistsSent++;
            twistOut.publish(new TwistStamped(Header.at(now(), config.baseFrame()), Vec3.ZERO, Vec3.ZERO));
        }
    }

    private static double now() { return System.currentTimeMillis() / 1000.0; }

    private void pace() {
        long period = (long) (config.controlPeriod() * 1e9);
        long t = System.nanoTime();
        if (nextTick == 0 || t - nextTick > period) nextTick = t;
        nextTick += period;
        long sleep = nextTick - System.nanoTime();
        if (sleep > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Milliseconds from the arrival of the frame a command was planned on to that command's publication. */
    public List<Double> commandLatenciesMs() { return List.copyOf(latenciesMs); }

    public long holds() { return holds; }

    public long commands() { return commands; }

    /** Messages dropped as malformed so far. */
    public long droppedMessages() { return inputs.dropped(); }

    /** Sends a last hold, then leaves the topics. The transport stays open (its owner closes it). */
    @Override public void close() {
        try {
            if (inputs.joints().isPresent()) send(null, true);
            else publishTwist(Vec3.ZERO);
        } catch (RuntimeException e) {
            log.debug("final hold: {}", e.toString());
        }
        if (twistExpiry != null) twistExpiry.shutdownNow();
        synchronized (twistLock) {
            closed = true;
        }
        for (AutoCloseable c : endpoints) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing: {}", e.toString());
            }
        }
    }
}
