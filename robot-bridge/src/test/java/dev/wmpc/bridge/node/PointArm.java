package dev.wmpc.bridge.node;

import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Observation;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Robot;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import java.util.List;
import java.util.Map;

/**
 * A tiny real robot for bridge tests: a Cartesian gantry (three prismatic joints x, y, z = the end-effector
 * position) with a camera that sees the end effector as a bright dot. Moves at most 5 cm per step.
 */
final class PointArm implements Robot {
    static final int W = 64, H = 48;
    private final double period;
    private Vec3 pos = new Vec3(0, 0, 0.3);
    private double gripper = 1;
    private double time;
    int acts;

    PointArm(double period) { this.period = period; }

    @Override public List<String> jointNames() { return List.of("x", "y", "z"); }

    @Override public List<CameraSpec> cameras() {
        return List.of(new CameraSpec("top", new Vec3(0, 0, 2), Vec3.ZERO, new Vec3(0, 1, 0), 60, W, H));
    }

    @Override public double controlPeriod() { return period; }

    @Override public synchronized Observation reset(long seed) { pos = new Vec3(0, 0, 0.3); return observe(); }

    @Override public synchronized Observation observe() {
        byte[] px = new byte[W * H * 3];
        int u = (int) Math.round((pos.x() + 0.5) * (W - 1)), v = (int) Math.round((pos.y() + 0.5) * (H - 1));
        if (u >= 0 && u < W && v >= 0 && v < H) for (int c = 0; c < 3; c++) px[(v * W + u) * 3 + c] = (byte) 255;
        CameraFrame f = new CameraFrame("top", W, H, PixelEncoding.RGB8, px, time);
        return new Observation(Map.of("top", f), new RobotState(pos.toArray(), pos, Quat.IDENTITY, (gripper + 1) / 2), time);
    }

    @Override public synchronized Action act(Action action) {
        if (!action.isFinite()) throw new IllegalArgumentException("non-finite action " + action);
        Vec3 target = switch (action) {
            case Action.EndEffectorDelta d -> pos.plus(d.delta());
            case Action.JointTargets j -> Vec3.of(j.positions());
        };
        Vec3 step = target.minus(pos);
        if (step.norm() > 0.05) step = step.times(0.05 / step.norm());
        pos = pos.plus(step);
        gripper = Math.max(-1, Math.min(1, action.gripper()));
        time += period;
        acts++;
        return new Action.EndEffectorDelta(step.x(), step.y(), step.z(), gripper);
    }

    synchronized Vec3 position() { return pos; }

    synchronized double gripper() { return gripper; }

    @Override public void close() {}

    /** Its kinematics are trivial: joint positions are the end-effector position. */
    static final ArmKinematics KINEMATICS = new ArmKinematics() {
        @Override public Vec3 position(double[] q) { return Vec3.of(q); }
        @Override public Quat orientation(double[] q) { return Quat.IDENTITY; }
        @Override public double[] solveDelta(double[] q, Vec3 d) { return Vec3.of(q).plus(d).toArray(); }
    };
}
