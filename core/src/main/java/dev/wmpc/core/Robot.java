package dev.wmpc.core;

import java.util.List;

/**
 * An arm with cameras: the simulator, or a real arm over ROS2. One small type, as LeRobot's {@code Robot}.
 * Implementations own native resources, so always close them.
 */
public interface Robot extends AutoCloseable {
    /** Joint names in the order of {@link RobotState#jointPositions()} and {@link Action.JointTargets}. */
    List<String> jointNames();

    /** The cameras this robot reports, in the order of {@link Observation#frames()}. */
    List<CameraSpec> cameras();

    /**
     * Names of the privileged environment state this robot's observations carry ({@link Observation#environment()}),
     * e.g. a simulator's cube positions; empty (the default) for a real robot.
     */
    default List<String> environmentStateNames() { return List.of(); }

    /** Control period in seconds (one {@link #act} per period). */
    double controlPeriod();

    /** Starts a new episode; every random choice flows from the seed. */
    Observation reset(long seed);

    /** The latest observation, without moving. */
    Observation observe();

    /**
     * Applies one action for one control period. Returns the action as actually applied (clipped to the robot's
     * limits). A non-finite action is refused with {@link IllegalArgumentException} and the robot does not move.
     */
    Action act(Action action);

    @Override void close();
}
