package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchRenderCommandTest {

    @Test void reportsFramesPerSecondAsJson() throws Exception {
        CliRun.Result r = CliRun.run("bench", "render", "--size", "64", "--frames", "30", "--warmup", "2", "--json");
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
        CliRun.Result r = CliRun.run("bench", "render", "--size", "2000");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--size 2000 is out of range").contains("32 to 1024");
        assertThat(CliRun.run("bench", "render", "--frames", "0").exit()).isEqualTo(2);
    }
}
