package dev.wmpc.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code wmpc} in a child JVM (its own DDS participant and native libraries, as a second process on a robot would be),
 * stdout and stderr gathered together. Closing kills it.
 */
final class ChildWmpc implements AutoCloseable {
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Thread pump;

    private ChildWmpc(Process process) {
        this.process = process;
        pump = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // process gone
            }
        }, "child-wmpc-output");
        pump.start();
    }

    /** Starts {@code wmpc args...} with this JVM's class path. */
    static ChildWmpc start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss4m", "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Wmpc.class.getName()));
        cmd.addAll(List.of(args));
        return new ChildWmpc(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Waits up to {@code seconds} for it to end (and for its output); true when it ended. */
    boolean waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) return false;
        pump.join(5000);
        return true;
    }

    int exitValue() { return process.exitValue(); }

    /** Everything it printed so far (all of it once {@link #waitFor} returned true). */
    String output() { return output.toString(); }

    @Override public void close() { process.destroyForcibly(); }
}
