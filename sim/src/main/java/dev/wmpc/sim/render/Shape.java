package dev.wmpc.sim.render;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;

/**
 * One solid to draw, in world coordinates (z up, metres). Sizes follow URDF: a box's full extents (x, y, z); a
 * cylinder's radius and length along its local z axis; a sphere's radius.
 */
public record Shape(Kind kind, Vec3 size, Vec3 position, Quat orientation, Color color) {
    public enum Kind { BOX, CYLINDER, SPHERE }

    /** Linear RGB in [0, 1]. */
    public record Color(float r, float g, float b) {}

    public static Shape box(Vec3 extents, Vec3 position, Quat orientation, Color color) {
        return new Shape(Kind.BOX, extents, position, orientation, color);
    }

    public static Shape cylinder(double radius, double length, Vec3 position, Quat orientation, Color color) {
        return new Shape(Kind.CYLINDER, new Vec3(radius, radius, length), position, orientation, color);
    }

    public static Shape sphere(double radius, Vec3 position, Color color) {
        return new Shape(Kind.SPHERE, new Vec3(radius, radius, radius), position, Quat.IDENTITY, color);
    }
}
