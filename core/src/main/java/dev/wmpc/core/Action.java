package dev.wmpc.core;

/** What a policy sends a robot: a closed set of command forms. */
public sealed interface Action permits Action.EndEffectorDelta, Action.JointTargets {

    /** Gripper command in [-1, 1]: -1 close, +1 open. */
    double gripper();

    /** True when every number in the action is finite. */
    boolean isFinite();

    /** A Cartesian end-effector displacement in metres (base frame) for one control step, plus the gripper. */
    record EndEffectorDelta(double dx, double dy, double dz, double gripper) implements Action {
        public Vec3 delta() { return new Vec3(dx, dy, dz); }
        @Override public boolean isFinite() { return delta().isFinite() && Double.isFinite(gripper); }
        public float[] toVector() { return new float[] {(float) dx, (float) dy, (float) dz, (float) gripper}; }
        public static EndEffectorDelta of(float[] v) { return new EndEffectorDelta(v[0], v[1], v[2], v[3]); }
    }

    /** Absolute joint position targets (radians / metres), in the robot's joint order, plus the gripper. */
    record JointTargets(double[] positions, double gripper) implements Action {
        public JointTargets { positions = positions.clone(); }
        @Override public double[] positions() { return positions.clone(); }
        @Override public boolean isFinite() {
            for (double p : positions) if (!Double.isFinite(p)) return false;
            return Double.isFinite(gripper);
        }
    }

    /** Names of {@link EndEffectorDelta#toVector()}'s entries: the layout of the dataset's {@code action}. */
    java.util.List<String> DELTA_NAMES = java.util.List.of("dx", "dy", "dz", "gripper");
}
