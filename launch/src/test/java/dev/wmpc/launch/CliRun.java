package dev.wmpc.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
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

    /** Runs {@code wmpc args...} on a fresh command line, as {@code bin/wmpc} would. */
    static Result run(String... args) {
        return run(Wmpc::commandLine, args);
    }

    /**
     * Runs {@code args} on a command line made by {@code cli} (e.g. one with a command added for the test). The command
     * line is made after stdout and stderr are captured: picocli writes help and errors to the streams current then.
     */
    static Result run(Supplier<CommandLine> cli, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine c = cli.get();
            int code = c.execute(args);
            c.getOut().flush();
            c.getErr().flush();
            System.out.flush();
            System.err.flush();
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
