package dev.wmpc.bridge.node;

import dev.wmpc.bridge.ros.NodeParams;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.SafetyLimits;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.WmpcException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How the controller side sees a remote arm. Parameters (ROS params file or -p): control_rate_hz (5),
 * command_mode (twist | joint_trajectory), joint_names ([..], learned from /joint_states when absent),
 * gripper_joint (gripper), camera_name (camera), camera_width/height (640x480), base_frame (base_link),
 * watchdog_timeout (2 control periods), startup_timeout (10 s), gripper_closed/gripper_open (-1/1), safety.*.
 */
public record Ros2RobotConfig(TopicNames topics, double controlPeriod, CommandMode mode, Optional<List<String>> jointNames,
                              String gripperJoint, CameraSpec camera, String baseFrame, double watchdogTimeout,
                              double startupTimeout, GripperMapping gripper, SafetyLimits limits) {

    public enum CommandMode {
        TWIST, JOINT_TRAJECTORY;

        static CommandMode parse(String s) {
            for (CommandMode m : values()) if (m.name().equalsIgnoreCase(s.strip())) return m;
            throw WmpcException.usage("command_mode '" + s + "' is unknown: choose twist or joint_trajectory");
        }
    }

    public Ros2RobotConfig {
        if (!(controlPeriod > 0)) throw WmpcException.usage("control rate must be positive");
        if (!(watchdogTimeout > 0)) throw WmpcException.usage("watchdog_timeout must be positive");
    }

    public static Ros2RobotConfig defaults(TopicNames topics, double controlPeriod) {
        return new Ros2RobotConfig(topics, controlPeriod, CommandMode.TWIST, Optional.empty(), "gripper",
                genericCamera("camera", 640, 480), "base_link", 2 * controlPeriod, 10, GripperMapping.IDENTITY, SafetyLimits.DEFAULT);
    }

    public static Ros2RobotConfig from(NodeParams p, TopicNames topics) {
        double rate = p.number("control_rate_hz", 5);
        if (!(rate > 0)) throw WmpcException.usage("control_rate_hz must be positive, got " + rate);
        double period = 1 / rate;
        return new Ros2RobotConfig(topics, period, CommandMode.parse(p.string("command_mode", "twist")),
                p.strings("joint_names"), p.string("gripper_joint", "gripper"),
                genericCamera(p.string("camera_name", "camera"), (int) p.number("camera_width", 640), (int) p.number("camera_height", 480)),
                p.string("base_frame", "base_link"), p.number("watchdog_timeout", 2 * period), p.number("startup_timeout", 10),
                new GripperMapping(p.number("gripper_closed", -1), p.number("gripper_open", 1)), SafetyLimits.from(p));
    }

    /** A camera whose pose we do not know (a real one): only name and size matter to the controller. */
    static CameraSpec genericCamera(String name, int w, int h) {
        return new CameraSpec(name, new Vec3(1, 0, 1), Vec3.ZERO, new Vec3(0, 0, 1), 60, w, h);
    }

    public Ros2RobotConfig withMode(CommandMode m) {
        return new Ros2RobotConfig(topics, controlPeriod, m, jointNames, gripperJoint, camera, baseFrame, watchdogTimeout, startupTimeout, gripper, limits);
    }

    public Ros2RobotConfig withJointNames(List<String> names) {
        return new Ros2RobotConfig(topics, controlPeriod, mode, Optional.of(List.copyOf(names)), gripperJoint, camera, baseFrame, watchdogTimeout, startupTimeout, gripper, limits);
    }

    public Ros2RobotConfig withWatchdogTimeout(double seconds) {
        return new Ros2RobotConfig(topics, controlPeriod, mode, jointNames, gripperJoint, camera, baseFrame, seconds, startupTimeout, gripper, limits);
    }

    public Ros2RobotConfig withLimits(SafetyLimits l) {
        return new Ros2RobotConfig(topics, controlPeriod, mode, jointNames, gripperJoint, camera, baseFrame, watchdogTimeout, startupTimeout, gripper, l);
    }

    @Override public String toString() {
        return "Ros2RobotConfig[period=" + controlPeriod + ", mode=" + mode + ", joints=" + jointNames.map(Object::toString).orElse("(learned)")
                + ", watchdog=" + watchdogTimeout + ", limits=" + limits.maxStep() + " m/step " + Arrays.toString(new double[] {limits.maxJointVelocity()}) + "]";
    }
}
