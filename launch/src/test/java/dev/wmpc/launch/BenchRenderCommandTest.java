package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchRenderCommandTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Wmpc.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test void reportsFramesPerSecondAsJson() throws Exception {
        Run r = run("bench", "render", "--size", "64", "--frames", "30", "--warmup", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("benchmark").asText()).isEqualTo("render");
        assertThat(json.get("width").asInt()).isEqualTo(64);
        assertThat(json.get("frames").asInt()).isEqualTo(30);
        assertThat(json.get("shapes").asInt()).isGreaterThanOrEqualTo(18);
        assertThat(json.get("frames_per_second").asDouble()).isPositive();
        assertThat(json.get("renderer").asText()).startsWith("EGL");
        assertThat(r.out()).contains("frames/s");
    }

    @Test void outOfRangeSizeIsAUsageError() {
        Run r = run("bench", "render", "--size", "2000");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--size 2000 is out of range").contains("32 to 1024");
        assertThat(run("bench", "render", "--frames", "0").exit()).isEqualTo(2);
    }
}
