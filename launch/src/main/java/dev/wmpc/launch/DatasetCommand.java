package dev.wmpc.launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wmpc dataset <subcommand>}: Inspect and validate LeRobotDataset v3 folders. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Inspect and validate LeRobotDataset v3 folders.",
        subcommands = {
                DatasetInfoCommand.class, DatasetValidateCommand.class,
        })
public final class DatasetCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
