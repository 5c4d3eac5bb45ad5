package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.core.WmpcException;
import dev.wmpc.planner.PlannerConfig;
import dev.wmpc.sim.Task;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The CLI contract: usage errors exit 2 with one line on stderr, help exits 0 and lists the commands. */
class CliContractTest {

    @Test
    void helpListsEveryTopLevelCommand() {
        CliRun.Result r = CliRun.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("bench", "train", "dataset", "ros2");
    }

    @Test
    void unknownCommandIsAUsageErrorOnOneLine() {
        CliRun.Result r = CliRun.run("fly-to-the-moon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("fly-to-the-moon");
    }

    @Test
    void parentCommandWithoutSubcommandNamesTheChoices() {
        CliRun.Result r = CliRun.run("bench");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing subcommand");
    }

    @Test
    void plannerOptionsShowEachCommandsDefaults() {
        // samples / iters / horizon differ per command; device and threads are the same everywhere
        String[][] cases = {{"eval", "48", "4", "3"}, {"demo", "48", "4", "3"}, {"bench plan", "48", "4", "3"},
                {"ros2 controller", "48", "4", "3"}};
        for (String[] c : cases) {
            String[] args = (c[0] + " --help").split(" ");
            CliRun.Result r = CliRun.run(args);
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
        assertThat(new int[] {cem.samples(), cem.iterations(), cem.horizon(), cem.topK()}).containsExactly(48, 4, 3, 6);

        EvalCommand given = new EvalCommand();
        new CommandLine(given).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--task", "reach", "--planner", "oracle", "--samples", "40", "--horizon", "4");
        PlannerConfig o = given.plannerConfig(EvalCommand.Choice.ORACLE, Task.byName("reach"));
        assertThat(new int[] {o.samples(), o.iterations(), o.horizon(), o.topK()}).containsExactly(40, 2, 4, 5);
    }

    /** A command standing in for a fault inside the code, or for a command that refuses bad input. */
    @Command(name = "fault")
    static final class Fault implements Runnable {
        @Option(names = "--usage") boolean usage;
        @Option(names = "--verbose") boolean verbose;

        @Override public void run() {
            if (usage) throw WmpcException.usage("--size 9 is out of range: use 32 to 1024");
            throw new IllegalArgumentException("index 7 out of bounds for length 3");
        }
    }

    static picocli.CommandLine withFault() {
        return Wmpc.commandLine().addSubcommand("fault", new Fault());
    }

    @Test
    void internalIllegalArgumentIsAFailureNotAUsageError() {
        CliRun.Result r = CliRun.run(CliContractTest::withFault, "fault");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("index 7 out of bounds").contains("--verbose");

        CliRun.Result v = CliRun.run(CliContractTest::withFault, "fault", "--verbose");
        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.err()).contains("IllegalArgumentException").contains("at dev.wmpc.launch.CliContractTest");
    }

    @Test
    void usageExceptionFromACommandExitsTwo() {
        CliRun.Result r = CliRun.run(CliContractTest::withFault, "fault", "--usage");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("wmpc: --size 9 is out of range: use 32 to 1024");
    }

    @Test
    void badNumbersAreCaughtAtTheCommandBoundary() {
        CliRun.Result batch = CliRun.run("bench", "encode", "--batch", "0");
        assertThat(batch.exit()).isEqualTo(2);
        assertThat(batch.err()).contains("--batch must be >= 1");
        CliRun.Result state = CliRun.run("bench", "rollout", "--state-dim", "0");
        assertThat(state.exit()).isEqualTo(2);
        assertThat(state.err()).contains("--state-dim must be >= 1");
        CliRun.Result gripper = CliRun.run("ros2", "record", "--out", "x", "--ros-args", "-p", "gripper_closed:=1", "-p", "gripper_open:=1");
        assertThat(gripper.exit()).isEqualTo(2);
        assertThat(gripper.err()).contains("gripper").contains("gripper_open:=");
        assertThat(gripper.err().strip().lines()).hasSize(1);
    }
}
