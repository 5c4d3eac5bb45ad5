package dev.wmpc.bridge.node;

import dev.wmpc.bridge.msg.DiagnosticArray;
import dev.wmpc.bridge.msg.DiagnosticStatus;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.NavPath;
import dev.wmpc.bridge.msg.PoseStamped;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the controller thinks, the way ROS users look at it, published every control step: the planned end-effector
 * path as nav_msgs/Path (rviz2's Path display; base frame; the end effector now, then after each planned step, stamped
 * when it is due) and the controller's state as one diagnostic_msgs/DiagnosticStatus on {@code /diagnostics} (OK while
 * it acts, WARN while it holds, ERROR on the e-stop or a failing policy) with the step, holds so far and the policy's
 * own values. Without the arm's kinematics the end effector's position is unknown and no path is published.
 */
public final class ControllerDisplay implements AutoCloseable {
    private final Ros2Transport.Publisher<NavPath> pathOut;
    private final Ros2Transport.Publisher<DiagnosticArray> diagnosticsOut;
    private final String baseFrame;
    private final String statusName;
    private final double controlPeriod;

    /** Publishes on {@code config}'s planned-path and diagnostics topics; the status is named {@code "<node>: controller"}. */
    public ControllerDisplay(Ros2Transport transport, Ros2RobotConfig config, String nodeName) {
        this.pathOut = transport.publisher(config.topics().plannedPath(), NavPath.TYPE, Qos.COMMANDS);
        this.diagnosticsOut = transport.publisher(config.topics().diagnostics(), DiagnosticArray.TYPE, Qos.COMMANDS);
        this.baseFrame = config.baseFrame();
        this.statusName = nodeName + ": controller";
        this.controlPeriod = config.controlPeriod();
    }

    /**
     * A step where the policy decided from {@code state}: its plan as a path from the end effector when
     * {@code endEffector} is known (empty when it has no plan or holds), and a status that is OK, or WARN when the plan
     * holds or {@code refused} (the action was not finite).
     */
    void acting(long step, long holds, RobotState state, boolean endEffector, Optional<PlanView> plan, boolean refused) {
        double now = now();
        Optional<String> held = plan.flatMap(PlanView::holdReason);
        if (endEffector) pathOut.publish(new NavPath(Header.at(now, baseFrame),
                plan.isPresent() && held.isEmpty() ? poses(now, state, plan.get().steps()) : List.of()));
        DiagnosticStatus.Level level = refused || held.isPresent() ? DiagnosticStatus.Level.WARN : DiagnosticStatus.Level.OK;
        String message = refused ? "refused a non-finite action: holding"
                : held.map(r -> "planner holds: " + r)
                .orElse(plan.map(v -> "acting on a plan of " + v.steps().size() + " steps").orElse("acting"));
        status(now, level, message, step, holds, plan.map(PlanView::values).orElse(Map.of()));
    }

    /** The end effector now, then after each planned step, each pose stamped when it is due. */
    private List<PoseStamped> poses(double now, RobotState state, List<Vec3> steps) {
        List<PoseStamped> poses = new ArrayList<>(steps.size() + 1);
        Vec3 p = state.eePosition();
        poses.add(new PoseStamped(Header.at(now, baseFrame), p, state.eeOrientation()));
        for (int h = 0; h < steps.size(); h++) {
            p = p.plus(steps.get(h));
            poses.add(new PoseStamped(Header.at(now + (h + 1) * controlPeriod, baseFrame), p, state.eeOrientation()));
        }
        return poses;
    }

    /** A step where the arm holds without asking the policy: an empty path and a WARN status, ERROR when {@code error}. */
    void holding(long step, long holds, String reason, boolean error, boolean endEffector) {
        double now = now();
        if (endEffector) pathOut.publish(new NavPath(Header.at(now, baseFrame), List.of()));
        status(now, error ? DiagnosticStatus.Level.ERROR : DiagnosticStatus.Level.WARN, "holding: " + reason, step, holds, Map.of());
    }

    private void status(double now, DiagnosticStatus.Level level, String message, long step, long holds, Map<String, String> values) {
        List<DiagnosticStatus.KeyValue> kv = new ArrayList<>();
        kv.add(new DiagnosticStatus.KeyValue("step", Long.toString(step)));
        kv.add(new DiagnosticStatus.KeyValue("holds", Long.toString(holds)));
        values.forEach((k, v) -> kv.add(new DiagnosticStatus.KeyValue(k, v)));
        diagnosticsOut.publish(new DiagnosticArray(Header.at(now, ""), List.of(new DiagnosticStatus(level, statusName, message, "", kv))));
    }

    private static double now() { return System.currentTimeMillis() / 1000.0; }

    @Override public void close() {
        try (pathOut; diagnosticsOut) {
            // both closed
        }
    }
}
