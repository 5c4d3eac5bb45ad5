package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole recipe in seconds: a tiny world model trained here end to end from simulator data, then CEM over it in
 * closed loop on held-out reach goals given as the final goal image alone, against the random baseline.
 */
class ClosedLoopReachTest {
    @TempDir Path dir;

    @Test void cemOnAModelTrainedHereBeatsRandomOnReach() {
        Path model = dir.resolve("model");
        CliRun.Result t = CliRun.run("train", "all", "--preset", "tiny", "--episodes", "10", "--steps", "600", "--out", model.toString(),
                "--work", dir.resolve("work").toString(), "--seed", "3", "--json");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.json().get("state_head_heldout_ee_rmse_m").asDouble()).as("state head's end-effector error, metres").isLessThan(0.06);

        CliRun.Result r = CliRun.run("eval", "--task", "reach", "--planner", "cem,random", "--episodes", "6", "--model",
                model.toString(), "--samples", "32", "--iters", "3", "--horizon", "3", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode by = r.json().get("by_planner");
        double cem = by.get("cem").get("final_distance_mean").asDouble();
        double random = by.get("random").get("final_distance_mean").asDouble();
        assertThat(cem).as("cem's mean final distance vs random's " + random).isLessThan(0.75 * random);
        assertThat(by.get("cem").get("success_rate").asDouble()).isGreaterThanOrEqualTo(by.get("random").get("success_rate").asDouble());
    }
}
