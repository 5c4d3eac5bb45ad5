package dev.wmpc.bridge.ros;

/**
 * The topics wmpc nodes use, fully resolved. Defaults are relative names, so {@code __ns} moves them and
 * {@code -r} remaps them: {@code /camera/image_raw}, {@code /joint_states}, {@code /wmpc/goal_image},
 * {@code /wmpc/goal_images}, {@code /servo_node/delta_twist_cmds}, {@code /arm_controller/joint_trajectory}, {@code /gripper_controller/commands},
 * {@code /wmpc/estop}, {@code /wmpc/estop_reset}, {@code /joy}, {@code /wmpc/planned_path}; and {@code /diagnostics},
 * absolute as ROS's diagnostics convention has it (one topic for every node, whatever its namespace; {@code -r} still
 * remaps it).
 */
public record TopicNames(String camera, String jointStates, String goalImage, String goalImages, String twist, String jointTrajectory,
                         String gripper, String estop, String estopReset, String joy, String plannedPath, String diagnostics) {

    public static TopicNames resolve(RosArgs.Names names) {
        return new TopicNames(
                names.resolve("camera/image_raw"),
                names.resolve("joint_states"),
                names.resolve("wmpc/goal_image"),
                names.resolve("wmpc/goal_images"),
                names.resolve("servo_node/delta_twist_cmds"),
                names.resolve("arm_controller/joint_trajectory"),
                names.resolve("gripper_controller/commands"),
                names.resolve("wmpc/estop"),
                names.resolve("wmpc/estop_reset"),
                names.resolve("joy"),
                names.resolve("wmpc/planned_path"),
                names.resolve("/diagnostics"));
    }

    public static final TopicNames DEFAULT = resolve(RosArgs.NONE.names("wmpc"));
}
