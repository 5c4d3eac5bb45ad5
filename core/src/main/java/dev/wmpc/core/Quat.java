package dev.wmpc.core;

/** A unit quaternion (x, y, z, w), ROS order. */
public record Quat(double x, double y, double z, double w) {
    public static final Quat IDENTITY = new Quat(0, 0, 0, 1);

    public Quat times(Quat q) {
        return new Quat(
                w * q.x + x * q.w + y * q.z - z * q.y,
                w * q.y - x * q.z + y * q.w + z * q.x,
                w * q.z + x * q.y - y * q.x + z * q.w,
                w * q.w - x * q.x - y * q.y - z * q.z);
    }

    public Quat conjugate() { return new Quat(-x, -y, -z, w); }

    public Vec3 rotate(Vec3 v) {
        Quat p = times(new Quat(v.x(), v.y(), v.z(), 0)).times(conjugate());
        return new Vec3(p.x, p.y, p.z);
    }

    public static Quat fromAxisAngle(Vec3 axis, double angle) {
        Vec3 a = axis.normalized();
        double s = Math.sin(angle / 2);
        return new Quat(a.x() * s, a.y() * s, a.z() * s, Math.cos(angle / 2));
    }

    /** Roll-pitch-yaw (fixed axes X, then Y, then Z), as URDF writes it. */
    public static Quat fromRpy(double roll, double pitch, double yaw) {
        return fromAxisAngle(new Vec3(0, 0, 1), yaw)
                .times(fromAxisAngle(new Vec3(0, 1, 0), pitch))
                .times(fromAxisAngle(new Vec3(1, 0, 0), roll));
    }

    public double[] toArray() { return new double[] {x, y, z, w}; }
}
