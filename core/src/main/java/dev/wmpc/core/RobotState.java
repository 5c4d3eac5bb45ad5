package dev.wmpc.core;

import java.util.List;

/**
 * Proprioception: joint positions (radians / metres), end-effector pose in the robot base frame and the gripper
 * opening (0 = closed, 1 = fully open).
 */
public record RobotState(double[] jointPositions, Vec3 eePosition, Quat eeOrientation, double gripper) {
    /** Names of {@link #toVector()}'s entries after the joints: the layout of {@code observation.state}. */
    public static final List<String> POSE_NAMES = List.of("ee_x", "ee_y", "ee_z", "ee_qx", "ee_qy", "ee_qz", "ee_qw", "gripper");

    public RobotState {
        jointPositions = jointPositions.clone();
    }

    @Override public double[] jointPositions() { return jointPositions.clone(); }

    /** [joints..., ee xyz, ee quaternion xyzw, gripper] as float32, the dataset's {@code observation.state}. */
    public float[] toVector() {
        int n = jointPositions.length;
        float[] v = new float[n + 8];
        for (int i = 0; i < n; i++) v[i] = (float) jointPositions[i];
        double[] rest = {eePosition.x(), eePosition.y(), eePosition.z(),
                eeOrientation.x(), eeOrientation.y(), eeOrientation.z(), eeOrientation.w(), gripper};
        for (int i = 0; i < 8; i++) v[n + i] = (float) rest[i];
        return v;
    }
}
