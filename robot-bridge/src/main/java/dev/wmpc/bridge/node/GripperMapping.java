package dev.wmpc.bridge.node;

/**
 * Maps wmpc's gripper command in [-1 close, +1 open] to the value the gripper controller takes
 * (std_msgs/Float64MultiArray data[0]) and back. Default: the identity on [-1, 1].
 */
public record GripperMapping(double closed, double open) {
    public static final GripperMapping IDENTITY = new GripperMapping(-1, 1);

    public GripperMapping {
        if (!Double.isFinite(closed) || !Double.isFinite(open) || closed == open)
            throw new IllegalArgumentException("gripper closed/open positions must be finite and different, got " + closed + " and " + open);
    }

    public double toController(double command) { return closed + (Math.max(-1, Math.min(1, command)) + 1) / 2 * (open - closed); }

    public double toCommand(double controllerValue) { return Math.max(-1, Math.min(1, (controllerValue - closed) / (open - closed) * 2 - 1)); }
}
