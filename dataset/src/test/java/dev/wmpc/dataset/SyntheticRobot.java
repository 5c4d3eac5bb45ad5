package dev.wmpc.dataset;

import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.EnvironmentState;
import dev.wmpc.core.Observation;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Robot;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import java.util.List;
import java.util.Map;

/**
 * A tiny deterministic robot for tests: a point end effector moving by the action's Δxyz, two "joints" equal to
 * x and y, one camera whose image is a gradient shifted by the position, so every frame differs and is predictable.
 * With {@code withCube}, observations carry an environment state: a "cube" 5 cm ahead of the end effector.
 */
final class SyntheticRobot implements Robot {
    static final List<String> CUBE_NAMES = List.of("cube_x", "cube_y", "cube_z");
    final int size;
    final boolean withCube;
    private Vec3 ee = Vec3.ZERO;
    private double gripper = 1, time;
    private long seed;

    SyntheticRobot(int size) { this(size, false); }

    SyntheticRobot(int size, boolean withCube) {
        this.size = size;
        this.withCube = withCube;
    }

    @Override public List<String> environmentStateNames() { return withCube ? CUBE_NAMES : List.of(); }

    static float[] cube(Vec3 ee, long seed) {
        return new float[] {(float) ee.x() + 0.05f, (float) ee.y(), 0.02f + seed % 3 * 0.01f};
    }

    @Override public List<String> jointNames() { return List.of("j0", "j1"); }

    @Override public List<CameraSpec> cameras() {
        return List.of(new CameraSpec("front", new Vec3(1, 0, 1), Vec3.ZERO, new Vec3(0, 0, 1), 60, size, size));
    }

    @Override public double controlPeriod() { return 0.2; }

    @Override public Observation reset(long seed) {
        this.seed = seed;
        ee = new Vec3((seed % 7) * 0.01, (seed % 5) * 0.01, 0.1);
        gripper = 1;
        time = 0;
        return observe();
    }

    @Override public Observation observe() {
        RobotState st = new RobotState(new double[] {ee.x(), ee.y()}, ee, Quat.IDENTITY, gripper);
        EnvironmentState env = withCube ? new EnvironmentState(CUBE_NAMES, cube(ee, seed)) : EnvironmentState.EMPTY;
        return new Observation(Map.of("front", new CameraFrame("front", size, size, PixelEncoding.RGB8, image(ee, seed, size), time)), st, time, env);
    }

    static byte[] image(Vec3 ee, long seed, int size) {
        byte[] rgb = new byte[size * size * 3];
        int ox = (int) Math.round(ee.x() * 400), oy = (int) Math.round(ee.y() * 400);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                int o = (y * size + x) * 3;
                rgb[o] = (byte) ((x + ox) * 3);
                rgb[o + 1] = (byte) ((y + oy) * 3);
                rgb[o + 2] = (byte) (seed * 37);
            }
        return rgb;
    }

    @Override public Action act(Action action) {
        if (!action.isFinite()) throw new IllegalArgumentException("non-finite action");
        Action.EndEffectorDelta d = (Action.EndEffectorDelta) action;
        Action.EndEffectorDelta clipped = new Action.EndEffectorDelta(clip(d.dx()), clip(d.dy()), clip(d.dz()), Math.max(-1, Math.min(1, d.gripper())));
        ee = ee.plus(clipped.delta());
        gripper = clipped.gripper() > 0 ? 1 : 0;
        time += controlPeriod();
        return clipped;
    }

    private static double clip(double v) { return Math.max(-0.02, Math.min(0.02, v)); }

    @Override public void close() {}
}
