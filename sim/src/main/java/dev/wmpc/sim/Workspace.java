package dev.wmpc.sim;

import dev.wmpc.core.Vec3;

/** The box (base frame, metres) the end effector is kept inside; actions that would leave it are clipped. */
public record Workspace(Vec3 min, Vec3 max) {
    public Workspace {
        if (!(min.x() < max.x() && min.y() < max.y() && min.z() < max.z()))
            throw new IllegalArgumentException("workspace min " + min + " must be below max " + max + " on every axis");
    }

    /** The default: in front of the arm, above the table top (z = 0). */
    public static Workspace defaults() { return new Workspace(new Vec3(0.25, -0.3, 0.02), new Vec3(0.7, 0.3, 0.5)); }

    public Vec3 clamp(Vec3 p) {
        return new Vec3(Math.max(min.x(), Math.min(max.x(), p.x())),
                Math.max(min.y(), Math.min(max.y(), p.y())),
                Math.max(min.z(), Math.min(max.z(), p.z())));
    }

    public boolean contains(Vec3 p) { return clamp(p).equals(p); }
}
