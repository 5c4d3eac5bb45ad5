package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import dev.wmpc.planner.PlannerConfig;
import dev.wmpc.sim.Task;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI contract: usage errors exit 2 with one line on stderr, help exits 0 and lists the commands. */
class CliContractTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            var cli = Wmpc.commandLine();
            cli.setOut(new java.io.PrintWriter(System.out, true));
            cli.setErr(new java.io.PrintWriter(System.err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsEveryTopLevelCommand() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("bench", "train", "dataset", "ros2");
    }

    @Test
    void unknownCommandIsAUsageErrorOnOneLine() {
        Run r = run("fly-to-the-moon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("fly-to-the-moon");
    }

    @Test
    void parentCommandWithoutSubcommandNamesTheChoices() {
        Run r = run("bench");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing subcommand");
    }

    @Test
    void plannerOptionsShowEachCommandsDefaults() {
        // samples / iters / horizon differ per command; device and threads are the same everywhere
        String[][] cases = {{"eval", "64", "4", "3"}, {"demo", "64", "4", "3"}, {"bench plan", "64", "3", "3"},
                {"ros2 controller", "64", "6", "5"}};
        for (String[] c : cases) {
            String[] args = (c[0] + " --help").split(" ");
            Run r = run(args);
            assertThat(r.code()).as(c[0]).isZero();
            String help = r.out().replaceAll("\\s+", " ");
            assertThat(help).as(c[0]).contains("--samples=S Candidate sequences per planner iteration (default: " + c[1] + ")")
                    .contains("--iters=I Planner iterations per plan (default: " + c[2] + ")")
                    .contains("--horizon=H Steps per candidate sequence (default: " + c[3] + ")")
                    .contains("--device=cpu|gpu Where the world model runs: cpu, gpu or gpu:N (default: cpu)")
                    .contains("(default: 1)");
        }
    }

    @Test
    void evalOracleTakesSmallerPlannerDefaultsUnlessGiven() {
        EvalCommand eval = new EvalCommand();
        new CommandLine(eval).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--task", "reach", "--planner", "oracle,cem");
        PlannerConfig oracle = eval.plannerConfig(EvalCommand.Choice.ORACLE, Task.byName("reach"));
        assertThat(new int[] {oracle.samples(), oracle.iterations(), oracle.horizon(), oracle.topK()}).containsExactly(16, 2, 2, 2);
        PlannerConfig cem = eval.plannerConfig(EvalCommand.Choice.CEM, Task.byName("reach"));
        assertThat(new int[] {cem.samples(), cem.iterations(), cem.horizon(), cem.topK()}).containsExactly(64, 4, 3, 8);

        EvalCommand given = new EvalCommand();
        new CommandLine(given).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--task", "reach", "--planner", "oracle", "--samples", "40", "--horizon", "4");
        PlannerConfig o = given.plannerConfig(EvalCommand.Choice.ORACLE, Task.byName("reach"));
        assertThat(new int[] {o.samples(), o.iterations(), o.horizon(), o.topK()}).containsExactly(40, 2, 4, 5);
    }
}
