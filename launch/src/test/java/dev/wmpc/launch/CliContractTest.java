package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

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
}
