package dev.wmpc.sim;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.kinematics.Pose;
import java.util.List;

/**
 * Everything that determines a {@link SimRobot}'s future: the episode, control step and time, arm joints and their
 * targets, fingers and the gripper command, every cube's pose and velocity, and which cube the gripper holds.
 * Immutable; {@link SimRobot#restore(SimState)} puts a simulator back into it.
 */
public record SimState(Episode episode, int step, double time, double[] joints, double[] jointTargets, double[] fingers,
                       double gripperCommand, List<Body> cubes, int heldCube, Pose heldOffset) {
    public SimState {
        joints = joints.clone();
        jointTargets = jointTargets.clone();
        fingers = fingers.clone();
        cubes = List.copyOf(cubes);
    }

    @Override public double[] joints() { return joints.clone(); }
    @Override public double[] jointTargets() { return jointTargets.clone(); }
    @Override public double[] fingers() { return fingers.clone(); }

    /** A rigid body's pose and velocity (base frame). */
    public record Body(Vec3 position, Quat orientation, Vec3 linearVelocity, Vec3 angularVelocity) {}
}
