package dev.wmpc.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code wmpc} in-process with stdout and stderr captured: the one test harness for the launch tests. */
final class CliRun {
    private CliRun() {}

    /** One run of the CLI: its exit code and everything it printed. */
    record Result(int exit, String out, String err) {
        /** Alias of {@link #exit()} for tests that call it the code. */
        int code() { return exit; }

        /** The last line of stdout, where {@code --json} puts its one JSON object. */
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }

        /** The last line of stdout parsed as JSON. */
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(lastLine());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException("the last line of stdout is not JSON: " + lastLine(), e);
            }
        }
    }

    /** Runs {@code wmpc args...} on a fresh command line. */
    static Result run(String... args) {
        return run(Wmpc.commandLine(), args);
    }

    /** Runs {@code args} on the given command line (e.g. one whose commands were replaced for the test). */
    static Result run(CommandLine cli, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int code = cli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
