package dev.wmpc.launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wmpc ros2 <subcommand>}: ROS2 nodes: the controller, the simulator and the recorder, over DDS without a ROS2 install. */
@Command(name = "ros2", mixinStandardHelpOptions = true,
        description = "ROS2 nodes: the controller, the simulator and the recorder, over DDS without a ROS2 install.",
        subcommands = {
        })
public final class Ros2Command implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
