package dev.wmpc.bridge.node;

import dev.wmpc.bridge.ros.NodeParams;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.core.WmpcException;

/**
 * How a robot is served over ROS 2. Parameters: camera_rate_hz (30), joint_state_rate_hz (100), command_timeout
 * (seconds without a command before holding; default 2 control periods), gripper_joint (gripper), camera_frame
 * (camera), gripper_closed / gripper_open (-1 / 1).
 */
public record RobotNodeConfig(TopicNames topics, double cameraRateHz, double jointStateRateHz, double commandTimeout,
                              String gripperJoint, String cameraFrame, GripperMapping gripper) {
    public RobotNodeConfig {
        if (!(cameraRateHz > 0) || !(jointStateRateHz > 0)) throw WmpcException.usage("camera_rate_hz and joint_state_rate_hz must be positive");
    }

    public static RobotNodeConfig defaults(TopicNames topics, double controlPeriod) {
        return new RobotNodeConfig(topics, 30, 100, 2 * controlPeriod, "gripper", "camera", GripperMapping.IDENTITY);
    }

    public static RobotNodeConfig from(NodeParams p, TopicNames topics, double controlPeriod) {
        return new RobotNodeConfig(topics, p.number("camera_rate_hz", 30), p.number("joint_state_rate_hz", 100),
                p.number("command_timeout", 2 * controlPeriod), p.string("gripper_joint", "gripper"), p.string("camera_frame", "camera"),
                new GripperMapping(p.number("gripper_closed", -1), p.number("gripper_open", 1)));
    }

    public RobotNodeConfig withRates(double cameraHz, double jointStateHz) {
        return new RobotNodeConfig(topics, cameraHz, jointStateHz, commandTimeout, gripperJoint, cameraFrame, gripper);
    }
}
