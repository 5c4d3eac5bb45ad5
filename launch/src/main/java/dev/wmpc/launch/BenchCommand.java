package dev.wmpc.launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wmpc bench <subcommand>}: Benchmarks that print JSON (ms, rates, GFLOP/s) for docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print JSON (ms, rates, GFLOP/s) for docs/BENCHMARKS.md.",
        subcommands = {
                BenchRenderCommand.class,
                BenchSimCommand.class,
                BenchDatasetCommand.class,
                BenchEncodeCommand.class,
                BenchRolloutCommand.class,
                BenchPlanCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
