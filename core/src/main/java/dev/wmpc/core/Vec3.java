package dev.wmpc.core;

/** A 3-vector in metres (positions, deltas) or plain numbers. Immutable. */
public record Vec3(double x, double y, double z) {
    public static final Vec3 ZERO = new Vec3(0, 0, 0);

    public Vec3 plus(Vec3 o) { return new Vec3(x + o.x, y + o.y, z + o.z); }
    public Vec3 minus(Vec3 o) { return new Vec3(x - o.x, y - o.y, z - o.z); }
    public Vec3 times(double s) { return new Vec3(x * s, y * s, z * s); }
    public double dot(Vec3 o) { return x * o.x + y * o.y + z * o.z; }
    public Vec3 cross(Vec3 o) { return new Vec3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x); }
    public double norm() { return Math.sqrt(dot(this)); }
    public double distance(Vec3 o) { return minus(o).norm(); }
    public Vec3 normalized() { double n = norm(); return n == 0 ? this : times(1.0 / n); }
    public boolean isFinite() { return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z); }
    public double[] toArray() { return new double[] {x, y, z}; }
    public static Vec3 of(double[] a) { return new Vec3(a[0], a[1], a[2]); }
}
