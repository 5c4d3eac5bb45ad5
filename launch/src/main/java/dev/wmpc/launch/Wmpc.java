package dev.wmpc.launch;

import dev.wmpc.core.WmpcException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wmpc} command line: one subcommand per job. Errors are one line on stderr; exit 2 usage, 1 failure. */
@Command(name = "wmpc", mixinStandardHelpOptions = true, versionProvider = Wmpc.Version.class,
        description = "World-model predictive control for robot arms: simulate, collect data, train, plan, and bridge to ROS2.",
        subcommands = {
                CommandLine.HelpCommand.class,
                SimCommand.class,
                EvalCommand.class,
                BenchCommand.class,
                TrainCommand.class,
                DatasetCommand.class,
                CollectCommand.class,
                TeleopCommand.class,
                Ros2Command.class,
                DemoCommand.class,
        })
public final class Wmpc implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Wmpc());
        cli.setExecutionExceptionHandler(Wmpc::handleFailure);
        cli.setParameterExceptionHandler(Wmpc::handleUsage);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static int handleUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("wmpc: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return 2;
    }

    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || (parsed.subcommand() != null && deepest(parsed).hasMatchedOption("--verbose"));
        if (verbose) e.printStackTrace(cmd.getErr());
        if (e instanceof WmpcException w) {
            cmd.getErr().println("wmpc: " + w.getMessage());
            return w.exitCode();
        }
        if (e instanceof IllegalArgumentException) {
            // An unchecked argument check inside the code is an internal fault, not the user's mistake: commands turn
            // bad user input into WmpcException.usage (exit 2) at their boundary.
            cmd.getErr().println("wmpc: " + e.getMessage() + (verbose ? "" : " (rerun with --verbose for details)"));
            return 1;
        }
        cmd.getErr().println("wmpc: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + (verbose ? "" : " (rerun with --verbose for details)"));
        return 1;
    }

    private static CommandLine.ParseResult deepest(CommandLine.ParseResult p) {
        while (p.subcommand() != null) p = p.subcommand();
        return p;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Wmpc.class.getPackage().getImplementationVersion();
            return new String[] {"wmpc " + (v == null ? "dev" : v)};
        }
    }
}
