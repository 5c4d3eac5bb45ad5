package dev.wmpc.sim;

import dev.wmpc.core.Vec3;
import dev.wmpc.core.kinematics.Pose;
import java.util.List;

/**
 * One episode's start and goal, drawn from the seed: where the cubes start (cube 0 is the task's cube), and the goal
 * point (reach: for the end effector; push / pick-place: for cube 0's centre).
 */
public record Episode(long seed, Vec3 goal, List<Pose> cubes) {
    public Episode {
        cubes = List.copyOf(cubes);
    }
}
