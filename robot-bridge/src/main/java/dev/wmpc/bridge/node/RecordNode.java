package dev.wmpc.bridge.node;

import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.bridge.safety.Watchdog;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Quat;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an arm's topics into a {@link RecordingSink}: every control period, the latest camera frame and joint
 * state with the command in force (twist, joint trajectory, gripper, or Joy teleoperation). Periods with stale
 * inputs are skipped (and counted), so a recording never holds frames that did not happen.
 */
public final class RecordNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordNode.class);

    private final RecordingSink sink;
    private final double period;
    private final double commandTimeout;
    private final Watchdog watchdog;
    private final RateLimitedWarning warnings = new RateLimitedWarning(log, 2.0);
    private final ArmInputs arm;
    private final Ros2Transport transport;
    private final TopicNames topics;
    private final GripperMapping gripper;
    private final Optional<CommandInputs.JoyMapping> joy;
    private final Optional<ArmKinematics> kinematics;
    private volatile CommandInputs commands;
    private long recorded, skipped;

    public RecordNode(Ros2Transport transport, TopicNames topics, double rateHz, Optional<List<String>> jointNames, String cameraName,
                      String gripperJoint, GripperMapping gripper, Optional<CommandInputs.JoyMapping> joy, RecordingSink sink) {
        this(transport, topics, rateHz, jointNames, cameraName, gripperJoint, gripper, joy, Optional.empty(), sink);
    }

    /**
     * With kinematics, observations carry the end-effector pose (forward kinematics of the joint state) and
     * joint-trajectory commands are also recorded as the end-effector displacement they command.
     */
    public RecordNode(Ros2Transport transport, TopicNames topics, double rateHz, Optional<List<String>> jointNames, String cameraName,
                      String gripperJoint, GripperMapping gripper, Optional<CommandInputs.JoyMapping> joy,
                      Optional<ArmKinematics> kinematics, RecordingSink sink) {
        this.kinematics = kinematics;
        this.sink = sink;
        this.period = 1 / rateHz;
        this.commandTimeout = 2 * period;
        this.watchdog = new Watchdog(2 * period);
        this.transport = transport;
        this.topics = topics;
        this.gripper = gripper;
        this.joy = joy;
        this.arm = new ArmInputs(transport, topics, cameraName, jointNames, gripperJoint, watchdog, warnings);
        jointNames.ifPresent(this::listenForCommands);
    }

    private void listenForCommands(List<String> names) {
        commands = new CommandInputs(transport, topics, names, gripper, joy, warnings);
    }

    /** Records until {@code keepGoing} is false or {@code maxSamples} were recorded (&lt;= 0: no limit). */
    public long run(BooleanSupplier keepGoing, long maxSamples) {
        long next = System.nanoTime();
        while (keepGoing.getAsBoolean() && (maxSamples <= 0 || recorded < maxSamples) && !Thread.currentThread().isInterrupted()) {
            if (commands == null && arm.jointNames().isPresent()) listenForCommands(arm.jointNames().get());
            Optional<String> stale = watchdog.staleness();
            if (stale.isPresent()) {
                skipped++;
                warnings.warn("stale", "not recording: " + stale.get());
            } else {
                var f = arm.frame().orElseThrow();
                var j = arm.joints().orElseThrow();
                CommandInputs c = commands;
                double g = c == null ? 1 : c.gripperCommand();
                Action a = c == null ? new Action.EndEffectorDelta(0, 0, 0, g)
                        : c.current(period, commandTimeout).orElse(new Action.EndEffectorDelta(0, 0, 0, g));
                double opening = j.gripper().orElse((g + 1) / 2);
                double[] q = j.positions();
                Vec3 ee = kinematics.map(k -> k.position(q)).orElse(Vec3.ZERO);
                Quat rot = kinematics.map(k -> k.orientation(q)).orElse(Quat.IDENTITY);
                if (a instanceof Action.JointTargets t && kinematics.isPresent()) {
                    Vec3 d = kinematics.get().position(t.positions()).minus(ee);
                    a = new Action.EndEffectorDelta(d.x(), d.y(), d.z(), t.gripper());
                }
                Observation obs = new Observation(Map.of(f.frame().camera(), f.frame()), new RobotState(q, ee, rot, opening), f.frame().timestamp());
                sink.record(obs, a);
                recorded++;
            }
            next += (long) (period * 1e9);
            long sleep = next - System.nanoTime();
            if (sleep < -period * 1e9) next = System.nanoTime();
            else if (sleep > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return recorded;
    }

    /** Joint names in use (configured, or learned from the first joint state); empty until known. */
    public Optional<List<String>> jointNames() { return arm.jointNames(); }

    /** Waits for the first camera frame and joint state; false on timeout. */
    public boolean awaitInputs(double timeoutSeconds) throws InterruptedException { return arm.awaitFirst(timeoutSeconds); }

    public long recorded() { return recorded; }

    public long skipped() { return skipped; }

    @Override public void close() {
        if (commands != null) commands.close();
        arm.close();
    }
}
