package dev.wmpc.bridge.safety;

import dev.wmpc.core.Action;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import java.util.ArrayList;
import java.util.List;

/**
 * The one gate every outgoing command passes, independent of whatever planned it: finite numbers only, at most
 * {@code maxStep} metres of end-effector motion per step and never out of the workspace box, joint targets inside
 * the joint limits and no faster than {@code maxJointVelocity}. What it cannot fix it replaces by "hold".
 */
public final class SafetyFilter {
    private final SafetyLimits limits;
    private final double controlPeriod;

    /** What goes out, and what was changed to make it safe (empty when passed untouched). */
    public record Decision(Action action, List<String> changes) {
        public Decision { changes = List.copyOf(changes); }
        public boolean modified() { return !changes.isEmpty(); }
    }

    public SafetyFilter(SafetyLimits limits, double controlPeriod) {
        if (!(controlPeriod > 0)) throw new IllegalArgumentException("control period must be positive, got " + controlPeriod);
        this.limits = limits;
        this.controlPeriod = controlPeriod;
    }

    public SafetyLimits limits() { return limits; }

    /** Hold still: zero displacement (or current joint positions), gripper as it is. */
    public static Action hold(Action like, RobotState current) {
        double g = like != null && Double.isFinite(like.gripper()) ? clampGripper(like.gripper()) : current.gripper() * 2 - 1;
        if (like instanceof Action.JointTargets) return new Action.JointTargets(current.jointPositions(), g);
        return new Action.EndEffectorDelta(0, 0, 0, g);
    }

    public Decision filter(Action proposed, RobotState current) {
        List<String> changes = new ArrayList<>();
        if (!proposed.isFinite()) {
            changes.add("non-finite command replaced by hold");
            Action h = hold(proposed, current);
            if (!Double.isFinite(h.gripper())) h = withGripper(h, 0);
            return new Decision(h, changes);
        }
        double g = proposed.gripper();
        if (g < -1 || g > 1) { changes.add(String.format("gripper %.3f clipped to [-1, 1]", g)); g = clampGripper(g); }
        return switch (proposed) {
            case Action.EndEffectorDelta d -> new Decision(filterDelta(d.delta(), g, current, changes), changes);
            case Action.JointTargets j -> new Decision(filterJoints(j.positions(), g, current, changes), changes);
        };
    }

    private Action filterDelta(Vec3 delta, double g, RobotState current, List<String> changes) {
        Vec3 d = limitNorm(delta, changes);
        Vec3 ee = current.eePosition();
        if (ee != null && ee.isFinite()) {
            Vec3 target = ee.plus(d);
            Vec3 clamped = clamp(target, limits.workspaceMin(), limits.workspaceMax());
            if (!clamped.equals(target)) {
                changes.add("end effector kept inside the workspace box");
                d = limitNorm(clamped.minus(ee), changes);
            }
        }
        return new Action.EndEffectorDelta(d.x(), d.y(), d.z(), g);
    }

    private Vec3 limitNorm(Vec3 d, List<String> changes) {
        double n = d.norm();
        if (n <= limits.maxStep()) return d;
        changes.add(String.format("step of %.4f m clipped to %.4f m", n, limits.maxStep()));
        return d.times(limits.maxStep() / n);
    }

    private Action filterJoints(double[] target, double g, RobotState current, List<String> changes) {
        double[] q = current.jointPositions();
        if (target.length != q.length) {
            changes.add("joint target has " + target.length + " joints, the arm has " + q.length + ": hold");
            return new Action.JointTargets(q, g);
        }
        double[] out = target.clone();
        if (limits.jointLower().isPresent()) {
            limits.requireJointCount(q.length); // limits that skip joints would leave them unclamped
            double[] lo = limits.jointLower().get(), hi = limits.jointUpper().get();
            for (int i = 0; i < out.length; i++) {
                double c = Math.max(lo[i], Math.min(hi[i], out[i]));
                if (c != out[i]) { changes.add(String.format("joint %d target %.4f clipped to limit %.4f", i, out[i], c)); out[i] = c; }
            }
        }
        double maxDelta = limits.maxJointVelocity() * controlPeriod;
        for (int i = 0; i < out.length; i++) {
            double step = out[i] - q[i];
            if (Math.abs(step) > maxDelta && Double.isFinite(q[i])) {
                out[i] = q[i] + Math.copySign(maxDelta, step);
                changes.add(String.format("joint %d speed %.3f clipped to %.3f", i, Math.abs(step) / controlPeriod, limits.maxJointVelocity()));
            }
        }
        return new Action.JointTargets(out, g);
    }

    private static Vec3 clamp(Vec3 v, Vec3 lo, Vec3 hi) {
        return new Vec3(Math.max(lo.x(), Math.min(hi.x(), v.x())), Math.max(lo.y(), Math.min(hi.y(), v.y())), Math.max(lo.z(), Math.min(hi.z(), v.z())));
    }

    private static double clampGripper(double g) { return Math.max(-1, Math.min(1, g)); }

    private static Action withGripper(Action a, double g) {
        return switch (a) {
            case Action.EndEffectorDelta d -> new Action.EndEffectorDelta(d.dx(), d.dy(), d.dz(), g);
            case Action.JointTargets j -> new Action.JointTargets(j.positions(), g);
        };
    }
}
