package dev.wmpc.bridge.node;

import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.bridge.safety.Watchdog;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.CameraFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an arm reports over ROS 2: the latest valid camera frame and joint positions (in a fixed joint order),
 * checked on arrival. Malformed messages (data length != step x height, unknown encodings, missing or non-finite
 * joints) are dropped with a rate-limited warning; the watchdog is fed only by valid ones.
 */
public final class ArmInputs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArmInputs.class);

    /** Joint positions in the configured order, the gripper joint if present, and when they arrived (System.nanoTime). */
    public record Joints(double[] positions, Optional<Double> gripper, double stamp, long arrivalNanos) {}

    /** A frame and when it arrived (System.nanoTime). */
    public record Frame(CameraFrame frame, long arrivalNanos) {}

    private final String cameraName;
    private final String gripperJoint;
    private final Watchdog watchdog;
    private final RateLimitedWarning warnings;
    private final List<Ros2Transport.Subscription> subs = new ArrayList<>();
    private volatile List<String> jointNames;
    private volatile Frame frame;
    private volatile Joints joints;
    private final AtomicLong dropped = new AtomicLong();
    private final Object arrival = new Object();

    public ArmInputs(Ros2Transport transport, TopicNames topics, String cameraName, Optional<List<String>> jointNames,
                     String gripperJoint, Watchdog watchdog, RateLimitedWarning warnings) {
        this.cameraName = cameraName;
        this.gripperJoint = gripperJoint;
        this.jointNames = jointNames.map(List::copyOf).orElse(null);
        this.watchdog = watchdog;
        this.warnings = warnings;
        subs.add(transport.subscribe(topics.camera(), Image.TYPE, Qos.SENSOR_DATA, this::onImage,
                e -> drop("image", "dropped undecodable image on " + topics.camera() + ": " + e.getMessage())));
        subs.add(transport.subscribe(topics.jointStates(), JointState.TYPE, Qos.SENSOR_DATA, this::onJointState,
                e -> drop("joint_state", "dropped undecodable joint state on " + topics.jointStates() + ": " + e.getMessage())));
    }

    private void drop(String kind, String message) {
        dropped.incrementAndGet();
        warnings.warn(kind, message);
    }

    private void onImage(Image m) {
        CameraFrame f;
        try {
            f = m.toFrame(cameraName);
        } catch (RuntimeException e) {
            drop("image", "dropped malformed image: " + e.getMessage());
            return;
        }
        frame = new Frame(f, System.nanoTime());
        watchdog.imageArrived();
        synchronized (arrival) { arrival.notifyAll(); }
    }

    private void onJointState(JointState m) {
        List<String> names = jointNames;
        if (m.names().size() != m.position().length) {
            drop("joint_state", "dropped joint state with " + m.names().size() + " names but " + m.position().length + " positions");
            return;
        }
        if (names == null) {
            List<String> learned = new ArrayList<>(m.names());
            learned.remove(gripperJoint);
            if (learned.isEmpty()) { drop("joint_state", "dropped joint state without arm joints"); return; }
            jointNames = names = List.copyOf(learned);
            log.info("arm joints (from {}): {}", "the first joint state", names);
        }
        double[] q = new double[names.size()];
        for (int i = 0; i < q.length; i++) {
            int k = m.names().indexOf(names.get(i));
            if (k < 0) {
                drop("joint_names", "dropped joint state without joint '" + names.get(i) + "' (has " + m.names() + "): set joint_names to match the arm");
                return;
            }
            q[i] = m.position()[k];
            if (!Double.isFinite(q[i])) { drop("joint_state", "dropped joint state with non-finite position for " + names.get(i)); return; }
        }
        int gi = m.names().indexOf(gripperJoint);
        Optional<Double> g = gi >= 0 && Double.isFinite(m.position()[gi]) ? Optional.of(m.position()[gi]) : Optional.empty();
        joints = new Joints(q, g, m.header().stamp().seconds(), System.nanoTime());
        watchdog.jointStateArrived();
        synchronized (arrival) { arrival.notifyAll(); }
    }

    public Optional<Frame> frame() { return Optional.ofNullable(frame); }

    public Optional<Joints> joints() { return Optional.ofNullable(joints); }

    /** Joint names in use (configured, or learned from the first joint state); empty until known. */
    public Optional<List<String>> jointNames() { return Optional.ofNullable(jointNames); }

    public long dropped() { return dropped.get(); }

    /** Waits until both a frame and a joint state arrived; false on timeout. */
    public boolean awaitFirst(double timeoutSeconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        synchronized (arrival) {
            while (frame == null || joints == null) {
                long left = end - System.nanoTime();
                if (left <= 0) return false;
                arrival.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    @Override public void close() { subs.forEach(Ros2Transport.Subscription::close); }
}
