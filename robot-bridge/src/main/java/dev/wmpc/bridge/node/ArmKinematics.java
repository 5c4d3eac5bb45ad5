package dev.wmpc.bridge.node;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;

/**
 * The arm's kinematics as the bridge needs them: forward kinematics for the end-effector pose in observations and
 * the workspace check, and a differential IK step for joint-trajectory output. The launcher adapts the URDF
 * kinematics of {@code dev.wmpc.core.kinematics} to this.
 */
public interface ArmKinematics {
    Vec3 position(double[] jointPositions);

    Quat orientation(double[] jointPositions);

    /** Joint positions that move the end effector by {@code delta} (base frame) from {@code jointPositions}. */
    double[] solveDelta(double[] jointPositions, Vec3 delta);
}
