package dev.wmpc.planner;

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
import java.util.SplittableRandom;

/**
 * A test robot: a point end effector that moves by each action's delta (clipped to 5 cm per axis). Its 32x32 mono
 * camera draws the position as the first three pixel values (1/255 of the [-0.5, 0.5] m cube per level), so an
 * encoder can read the position back from pixels.
 */
final class PointRobot implements Robot {
    static final CameraSpec CAMERA = new CameraSpec("top", new Vec3(0, 0, 1), Vec3.ZERO, new Vec3(0, 1, 0), 60, 32, 32);
    Vec3 position = Vec3.ZERO;
    double gripper = 1;
    int acts;

    @Override public List<String> jointNames() { return List.of(); }
    @Override public List<CameraSpec> cameras() { return List.of(CAMERA); }
    @Override public double controlPeriod() { return 0.1; }

    @Override public Observation reset(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        position = new Vec3(r.nextDouble(-0.2, 0.2), r.nextDouble(-0.2, 0.2), r.nextDouble(-0.1, 0.1));
        acts = 0;
        return observe();
    }

    @Override public Observation observe() {
        byte[] px = new byte[32 * 32];
        double[] p = position.toArray();
        for (int i = 0; i < 3; i++) px[i] = (byte) Math.round((Math.max(-0.5, Math.min(0.5, p[i])) + 0.5) * 255);
        CameraFrame f = new CameraFrame("top", 32, 32, PixelEncoding.MONO8, px, acts * 0.1);
        return new Observation(Map.of("top", f), new RobotState(new double[0], position, Quat.IDENTITY, gripper), acts * 0.1);
    }

    @Override public Action act(Action action) {
        if (!action.isFinite()) throw new IllegalArgumentException("non-finite action");
        Action.EndEffectorDelta d = (Action.EndEffectorDelta) action;
        Vec3 step = new Vec3(clip(d.dx()), clip(d.dy()), clip(d.dz()));
        position = position.plus(step);
        gripper = (d.gripper() + 1) / 2;
        acts++;
        return new Action.EndEffectorDelta(step.x(), step.y(), step.z(), d.gripper());
    }

    static double clip(double v) { return Math.max(-0.05, Math.min(0.05, v)); }

    /** Reads the position back from the frame's pixels. */
    static float[] decode(CameraFrame f) {
        float[] p = new float[3];
        for (int i = 0; i < 3; i++) p[i] = (float) ((f.data()[i] & 0xff) / 255.0 - 0.5);
        return p;
    }

    static CameraFrame frameAt(Vec3 p) {
        PointRobot r = new PointRobot();
        r.position = p;
        return r.observe().primaryFrame();
    }

    @Override public void close() {}
}
