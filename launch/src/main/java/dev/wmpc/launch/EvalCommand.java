package dev.wmpc.launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wmpc eval <subcommand>}: Evaluate models: encoder probes, planners. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate models: linear probes of the encoder, planning success.",
        subcommands = {
                EvalProbeCommand.class,
        })
public final class EvalCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
