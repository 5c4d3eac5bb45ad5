package dev.wmpc.bridge.node;

import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.bridge.safety.Watchdog;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Quat;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an arm's topics into a {@link RecordingSink}: every control period, the latest camera frame and joint
 * state with the command in force (twist, joint trajectory, gripper, or Joy teleoperation). Periods with stale
 * inputs are skipped (and counted), so a recording never holds frames that did not happen. Each row is timed by its
 * camera frame's header stamp (its arrival when the stamp is unset). An input gap ends the episode: when no camera
 * frame, or no joint state, arrived for longer than {@code gapSeconds}, or two frames' stamps are further apart (or go
 * back), the sink is told {@link RecordingSink#endEpisode} and the next row starts a new episode, so no episode holds
 * rows on both sides of a gap. A frame already recorded (same stamp) is not recorded again.
 */
public final class RecordNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordNode.class);
    /** Default input gap that ends an episode, in record periods. */
    public static final int DEFAULT_GAP_PERIODS = 5;

    private final RecordingSink sink;
    private final double period;
    private final double commandTimeout;
    private final double gap;
    private final Watchdog watchdog;
    private final RateLimitedWarning warnings = new RateLimitedWarning(log, 2.0);
    private final ArmInputs arm;
    private final Ros2Transport transport;
    private final TopicNames topics;
    private final GripperMapping gripper;
    private final Optional<CommandInputs.JoyMapping> joy;
    private final Optional<ArmKinematics> kinematics;
    private volatile CommandInputs commands;
    private long recorded, skipped, gaps;
    private boolean inEpisode;
    private double lastTime;

    public RecordNode(Ros2Transport transport, TopicNames topics, double rateHz, Optional<List<String>> jointNames, String cameraName,
                      String gripperJoint, GripperMapping gripper, Optional<CommandInputs.JoyMapping> joy, RecordingSink sink) {
        this(transport, topics, rateHz, jointNames, cameraName, gripperJoint, gripper, joy, Optional.empty(), sink);
    }

    /** With kinematics (below) and the default input gap, {@value #DEFAULT_GAP_PERIODS} periods. */
    public RecordNode(Ros2Transport transport, TopicNames topics, double rateHz, Optional<List<String>> jointNames, String cameraName,
                      String gripperJoint, GripperMapping gripper, Optional<CommandInputs.JoyMapping> joy,
                      Optional<ArmKinematics> kinematics, RecordingSink sink) {
        this(transport, topics, rateHz, jointNames, cameraName, gripperJoint, gripper, joy, kinematics, DEFAULT_GAP_PERIODS / rateHz, sink);
    }

    /**
     * With kinematics, observations carry the end-effector pose (forward kinematics of the joint state) and
     * joint-trajectory commands are also recorded as the end-effector displacement they command. {@code gapSeconds}
     * (at least two periods) without input ends the episode.
     */
    public RecordNode(Ros2Transport transport, TopicNames topics, double rateHz, Optional<List<String>> jointNames, String cameraName,
                      String gripperJoint, GripperMapping gripper, Optional<CommandInputs.JoyMapping> joy,
                      Optional<ArmKinematics> kinematics, double gapSeconds, RecordingSink sink) {
        if (!(gapSeconds >= 2 / rateHz))
            throw new IllegalArgumentException("the input gap that ends an episode (" + gapSeconds + " s) must be at least two record periods ("
                    + 2 / rateHz + " s)");
        this.gap = gapSeconds;
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
            double quiet = inputAge();
            if (inEpisode && quiet > gap) endAtGap(String.format(Locale.ROOT, "no camera frame or joint state for %.2f s", quiet));
            if (stale.isPresent()) {
                skipped++;
                warnings.warn("stale", "not recording: " + stale.get());
            } else {
                var f = arm.frame().orElseThrow();
                var j = arm.joints().orElseThrow();
                double time = f.frame().timestamp() > 0 ? f.frame().timestamp() : f.arrivalNanos() / 1e9;
                if (inEpisode && (time - lastTime > gap || time < lastTime))
                    endAtGap(String.format(Locale.ROOT, "camera stamps jump by %.2f s", time - lastTime));
                if (inEpisode && time == lastTime) { // the frame recorded last period: nothing new to record
                    skipped++;
                    next = sleepUntil(next + (long) (period * 1e9));
                    continue;
                }
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
                Observation obs = new Observation(Map.of(f.frame().camera(), f.frame()), new RobotState(q, ee, rot, opening), time);
                sink.record(obs, a);
                recorded++;
                inEpisode = true;
                lastTime = time;
            }
            next = sleepUntil(next + (long) (period * 1e9));
        }
        return recorded;
    }

    /** Sleeps until {@code next} (nanoTime); returns the next deadline base (now, when more than a period late). */
    private long sleepUntil(long next) {
        long sleep = next - System.nanoTime();
        if (sleep < -period * 1e9) return System.nanoTime();
        if (sleep > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return next;
    }

    /** Seconds since the older of the latest camera frame and joint state arrived (0 before both did). */
    private double inputAge() {
        var f = arm.frame();
        var j = arm.joints();
        if (f.isEmpty() || j.isEmpty()) return 0;
        return (System.nanoTime() - Math.min(f.get().arrivalNanos(), j.get().arrivalNanos())) / 1e9;
    }

    private void endAtGap(String why) {
        gaps++;
        inEpisode = false;
        log.info("input gap ({}): episode ended, the next input starts a new one", why);
        sink.endEpisode(true);
    }

    /** Joint names in use (configured, or learned from the first joint state); empty until known. */
    public Optional<List<String>> jointNames() { return arm.jointNames(); }

    /** The latest camera frame of each camera (empty before the first). */
    public List<CameraFrame> latestFrames() { return arm.frame().map(f -> List.of(f.frame())).orElse(List.of()); }

    /** Waits for the first camera frame and joint state; false on timeout. */
    public boolean awaitInputs(double timeoutSeconds) throws InterruptedException { return arm.awaitFirst(timeoutSeconds); }

    public long recorded() { return recorded; }

    public long skipped() { return skipped; }

    /** Episodes ended at an input gap. */
    public long gaps() { return gaps; }

    @Override public void close() {
        if (commands != null) commands.close();
        arm.close();
    }
}
