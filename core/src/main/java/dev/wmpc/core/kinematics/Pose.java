package dev.wmpc.core.kinematics;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;

/** A rigid transform: rotate, then translate. Maps points of a child frame into its parent frame. */
public record Pose(Vec3 position, Quat rotation) {
    public static final Pose IDENTITY = new Pose(Vec3.ZERO, Quat.IDENTITY);

    public static Pose of(Vec3 position) { return new Pose(position, Quat.IDENTITY); }

    /** This pose followed by {@code child} expressed in this pose's frame: parent_T_child = this * child. */
    public Pose compose(Pose child) {
        return new Pose(position.plus(rotation.rotate(child.position)), normalize(rotation.times(child.rotation)));
    }

    public Vec3 apply(Vec3 point) { return position.plus(rotation.rotate(point)); }

    public Pose inverse() {
        Quat inv = rotation.conjugate();
        return new Pose(inv.rotate(position).times(-1), inv);
    }

    /** Rotation angle (radians, 0..pi) between two orientations. */
    public static double angleBetween(Quat a, Quat b) {
        Quat d = a.conjugate().times(b);
        double w = Math.min(1, Math.abs(d.w()) / Math.sqrt(d.x() * d.x() + d.y() * d.y() + d.z() * d.z() + d.w() * d.w()));
        return 2 * Math.acos(w);
    }

    static Quat normalize(Quat q) {
        double n = Math.sqrt(q.x() * q.x() + q.y() * q.y() + q.z() * q.z() + q.w() * q.w());
        return new Quat(q.x() / n, q.y() / n, q.z() / n, q.w() / n);
    }
}
