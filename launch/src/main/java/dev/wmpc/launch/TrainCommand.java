package dev.wmpc.launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wmpc train <subcommand>}: Train models: the world model end to end, the video encoder, the predictor, or the whole pipeline. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train models: the world model end to end, the video encoder, the predictor, or the whole pipeline.",
        subcommands = {
                TrainAllCommand.class,
                TrainEncoderCommand.class,
                TrainPredictorCommand.class,
                TrainWorldModelCommand.class,
        })
public final class TrainCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
