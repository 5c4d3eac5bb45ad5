package dev.wmpc.sim.render;

import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed, typical tabletop scene (about 20 solids: table, a 7-link arm with a gripper, three cubes, a goal marker)
 * and a camera on it, for benchmarks, viewer smoke checks and tests that need a realistic frame.
 */
public final class SampleScene {
    public static final Shape.Color TABLE = new Shape.Color(0.55f, 0.42f, 0.30f);
    public static final Shape.Color ARM = new Shape.Color(0.85f, 0.85f, 0.88f);
    public static final Shape.Color JOINT = new Shape.Color(0.25f, 0.25f, 0.30f);
    public static final Shape.Color GRIPPER = new Shape.Color(0.15f, 0.15f, 0.18f);
    public static final Shape.Color RED_CUBE = new Shape.Color(0.90f, 0.15f, 0.12f);
    public static final Shape.Color GREEN_CUBE = new Shape.Color(0.15f, 0.75f, 0.20f);
    public static final Shape.Color BLUE_CUBE = new Shape.Color(0.15f, 0.30f, 0.90f);
    public static final Shape.Color GOAL = new Shape.Color(1.0f, 0.85f, 0.10f);
    public static final Shape.Color BACKGROUND = new Shape.Color(0.62f, 0.72f, 0.82f);
    /** Light from above, a little from the front-left. */
    public static final Vec3 LIGHT = new Vec3(-0.3, 0.2, -1.0);

    private SampleScene() {}

    public static Scene tabletop() {
        List<Shape> s = new ArrayList<>();
        Vec3 z = new Vec3(0, 0, 1);
        // Table top and four legs.
        s.add(Shape.box(new Vec3(1.0, 1.2, 0.04), new Vec3(0.5, 0, -0.02), Quat.IDENTITY, TABLE));
        for (double x : new double[] {0.05, 0.95})
            for (double y : new double[] {-0.55, 0.55})
                s.add(Shape.box(new Vec3(0.05, 0.05, 0.7), new Vec3(x, y, -0.39), Quat.IDENTITY, TABLE));
        // Arm: base, then alternating links and joints reaching over the table.
        s.add(Shape.cylinder(0.08, 0.1, new Vec3(0, 0, 0.05), Quat.IDENTITY, ARM));
        s.add(Shape.cylinder(0.06, 0.3, new Vec3(0, 0, 0.25), Quat.IDENTITY, ARM));
        s.add(Shape.sphere(0.07, new Vec3(0, 0, 0.4), JOINT));
        Quat tilt = Quat.fromAxisAngle(new Vec3(0, 1, 0), Math.toRadians(60));
        s.add(Shape.cylinder(0.05, 0.32, new Vec3(0.14, 0, 0.48), tilt, ARM));
        s.add(Shape.sphere(0.06, new Vec3(0.28, 0, 0.56), JOINT));
        Quat tilt2 = Quat.fromAxisAngle(new Vec3(0, 1, 0), Math.toRadians(120));
        s.add(Shape.cylinder(0.045, 0.3, new Vec3(0.41, 0, 0.48), tilt2, ARM));
        s.add(Shape.sphere(0.05, new Vec3(0.54, 0, 0.40), JOINT));
        s.add(Shape.cylinder(0.04, 0.16, new Vec3(0.54, 0, 0.30), Quat.IDENTITY, ARM));
        s.add(Shape.box(new Vec3(0.04, 0.14, 0.03), new Vec3(0.54, 0, 0.21), Quat.fromAxisAngle(z, 0.3), GRIPPER));
        s.add(Shape.box(new Vec3(0.02, 0.015, 0.06), new Vec3(0.54, 0.035, 0.165), Quat.fromAxisAngle(z, 0.3), GRIPPER));
        s.add(Shape.box(new Vec3(0.02, 0.015, 0.06), new Vec3(0.54, -0.035, 0.165), Quat.fromAxisAngle(z, 0.3), GRIPPER));
        // Three cubes and a flat goal marker.
        s.add(Shape.box(new Vec3(0.05, 0.05, 0.05), new Vec3(0.45, 0.15, 0.025), Quat.fromAxisAngle(z, 0.4), RED_CUBE));
        s.add(Shape.box(new Vec3(0.05, 0.05, 0.05), new Vec3(0.60, -0.20, 0.025), Quat.fromAxisAngle(z, -0.2), GREEN_CUBE));
        s.add(Shape.box(new Vec3(0.05, 0.05, 0.05), new Vec3(0.35, -0.10, 0.025), Quat.IDENTITY, BLUE_CUBE));
        s.add(Shape.cylinder(0.04, 0.004, new Vec3(0.70, 0.25, 0.002), Quat.IDENTITY, GOAL));
        return new Scene(s, LIGHT, BACKGROUND);
    }

    /** A camera in front of the table looking at the workspace, {@code size × size} pixels. */
    public static CameraSpec frontCamera(int size) {
        return new CameraSpec("front", new Vec3(1.3, 0.5, 0.8), new Vec3(0.4, 0, 0.15), new Vec3(0, 0, 1), 50, size, size);
    }
}
