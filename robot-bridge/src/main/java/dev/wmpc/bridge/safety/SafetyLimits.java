package dev.wmpc.bridge.safety;

import dev.wmpc.bridge.ros.NodeParams;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.WmpcException;
import java.util.Optional;

/**
 * What the safety filter allows: end-effector displacement per control step (metres), joint speed (rad/s or m/s),
 * joint limits (absent when unknown), and a workspace box for the end effector in the base frame.
 */
public record SafetyLimits(double maxStep, double maxJointVelocity, Optional<double[]> jointLower, Optional<double[]> jointUpper,
                           Vec3 workspaceMin, Vec3 workspaceMax) {
    public SafetyLimits {
        if (!(maxStep > 0) || !(maxJointVelocity > 0))
            throw new WmpcException("safety limits must be positive: max_step=" + maxStep + ", max_joint_velocity=" + maxJointVelocity);
        if (!(workspaceMin.x() < workspaceMax.x() && workspaceMin.y() < workspaceMax.y() && workspaceMin.z() < workspaceMax.z()))
            throw new WmpcException("workspace box is empty: min " + workspaceMin + " must be below max " + workspaceMax + " on every axis");
        if (jointLower.isPresent() != jointUpper.isPresent() || jointLower.isPresent() && jointLower.get().length != jointUpper.get().length)
            throw new WmpcException("joint limits need as many lower as upper bounds");
        jointLower = jointLower.map(double[]::clone);
        jointUpper = jointUpper.map(double[]::clone);
    }

    /** 2 cm per step, 1 rad/s, no joint limits, a 2 m x 2 m x 1.5 m box above the base. */
    public static final SafetyLimits DEFAULT = new SafetyLimits(0.02, 1.0, Optional.empty(), Optional.empty(),
            new Vec3(-1, -1, 0), new Vec3(1, 1, 1.5));

    /** From parameters safety.max_step, safety.max_joint_velocity, safety.joint_lower/upper, safety.workspace_min/max. */
    public static SafetyLimits from(NodeParams p) {
        SafetyLimits d = DEFAULT;
        return new SafetyLimits(
                p.number("safety.max_step", d.maxStep),
                p.number("safety.max_joint_velocity", d.maxJointVelocity),
                p.numbers("safety.joint_lower", -1), p.numbers("safety.joint_upper", -1),
                p.numbers("safety.workspace_min", 3).map(Vec3::of).orElse(d.workspaceMin),
                p.numbers("safety.workspace_max", 3).map(Vec3::of).orElse(d.workspaceMax));
    }

    /**
     * Refuses joint limits that do not cover the arm: one lower and one upper bound per joint, in joint order.
     * Without joint limits any arm passes.
     */
    public void requireJointCount(int armJoints) {
        if (jointLower.isPresent() && jointLower.get().length != armJoints)
            throw new WmpcException("safety.joint_lower/joint_upper have " + jointLower.get().length + " entries but the arm has "
                    + armJoints + " joints: give one limit per joint, in joint_names order (or drop them and pass --urdf)");
    }

    public SafetyLimits withMaxStep(double metres) {
        return new SafetyLimits(metres, maxJointVelocity, jointLower, jointUpper, workspaceMin, workspaceMax);
    }

    public SafetyLimits withJointLimits(double[] lower, double[] upper) {
        return new SafetyLimits(maxStep, maxJointVelocity, Optional.of(lower), Optional.of(upper), workspaceMin, workspaceMax);
    }
}
