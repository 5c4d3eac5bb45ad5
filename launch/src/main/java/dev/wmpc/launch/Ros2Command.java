package dev.wmpc.launch;

import dev.wmpc.bridge.ros.RosArgs;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.core.WmpcException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wmpc ros2 <subcommand>}: ROS2 nodes: the controller, the simulator and the recorder, over DDS without a ROS2 install. */
@Command(name = "ros2", mixinStandardHelpOptions = true,
        description = "ROS2 nodes: the controller, the simulator and the recorder, over DDS without a ROS2 install.",
        subcommands = {
                Ros2ControllerCommand.class,
                Ros2SimCommand.class,
                Ros2RecordCommand.class,
        })
public final class Ros2Command implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** DDS options every ROS 2 node shares (mix in with {@code @Mixin Ros2Command.DdsOptions dds;}). */
    public static final class DdsOptions {
        @Option(names = "--domain-id", paramLabel = "ID", description = "ROS domain id 0..232 (default: ROS_DOMAIN_ID, else 0).")
        Integer domainId;

        @Option(names = "--localhost-only", description = "Keep DDS discovery and data on the loopback interface "
                + "(as ROS_LOCALHOST_ONLY=1 / ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST).")
        boolean localhostOnly;

        /** The environment's settings with the command-line overrides. */
        public DdsSettings settings() {
            DdsSettings env = DdsSettings.fromEnvironment();
            return new DdsSettings(domainId != null ? domainId : env.domainId(), localhostOnly || env.localhostOnly(), env.staticPeers(),
                    env.framePacingKbPerMs());
        }
    }

    /**
     * The ROS arguments of a node command: what picocli did not match must be a {@code --ros-args} block
     * (remaps, __node, __ns, -p, --params-file), anything else is a usage error naming it.
     */
    static RosArgs rosArgs(List<String> unmatched) {
        RosArgs.Split split = RosArgs.split(unmatched);
        if (!split.own().isEmpty())
            throw WmpcException.usage("unknown argument(s) " + split.own() + ": ROS arguments go after --ros-args (e.g. --ros-args -r __node:=arm1)");
        return split.ros();
    }
}
