package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPlanCommandTest {
    @Test void reportsPlanTimesFlopsAndTheNaiveBaseline(@TempDir Path dir) throws Exception {
        PredictorConfig pc = new PredictorConfig(16, 2, 2, 4, 15, 32, 1, 2, 2, 8, null, null, null, null, null);
        try (AcPredictor p = AcPredictor.create(pc, Device.cpu(), 2)) {
            p.save(dir.resolve(LearnedWorldModel.PREDICTOR_DIR));
        }
        CliRun.Result r = CliRun.run("bench", "plan", "--model", dir.toString(), "--samples", "8", "--iters", "2",
                "--horizon", "3", "--repeats", "1", "--naive-repeats", "1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.json();
        for (String k : new String[] {"ms_per_plan", "gflop_per_plan", "achieved_gflops", "sgemm_gflops", "naive_ms_per_plan", "kv_cache_speedup"})
            assertThat(j.get(k).asDouble()).as(k).isPositive();
        assertThat(j.get("samples").asInt()).isEqualTo(8);
        assertThat(j.get("gflop_per_plan").asDouble()).isLessThan(1);

        CliRun.Result bad = CliRun.run("bench", "plan", "--model", dir.toString(), "--horizon", "9");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--horizon 9").contains("at most 8");
        // The longest horizon the predictor accepts (one context frame + 8 steps - 1 = maxFrames) is accepted here too.
        CliRun.Result longest = CliRun.run("bench", "plan", "--model", dir.toString(), "--samples", "8", "--iters", "1",
                "--horizon", "8", "--repeats", "1", "--naive-repeats", "1", "--json");
        assertThat(longest.exit()).as(longest.err()).isZero();
        assertThat(longest.json().get("horizon").asInt()).isEqualTo(8);
    }
}
