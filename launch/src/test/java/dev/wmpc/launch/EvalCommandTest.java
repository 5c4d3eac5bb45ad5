package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @Test void oracleReachesReachGoalsAndRandomDoesNot() throws Exception {
        CliRun.Result r = CliRun.run("eval", "--task", "reach", "--planner", "oracle,random", "--episodes", "4",
                "--seed-start", "11", "--samples", "10", "--iters", "2", "--horizon", "1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("task").asText()).isEqualTo("reach");
        assertThat(j.get("planner").asText()).isEqualTo("oracle");
        assertThat(j.get("success_rate").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(j.get("final_distance_mean").asDouble()).isLessThan(0.02);
        assertThat(j.get("steps_to_success_mean").asDouble()).isBetween(2.0, 30.0);
        assertThat(j.get("plan_ms_p50").asDouble()).isPositive();
        JsonNode random = j.get("by_planner").get("random");
        assertThat(random.get("success_rate").asDouble()).isLessThan(j.get("success_rate").asDouble());
        assertThat(random.get("final_distance_mean").asDouble()).isGreaterThan(j.get("final_distance_mean").asDouble());
        assertThat(j.get("fraction_of_oracle").get("oracle").asDouble()).isEqualTo(1.0);
        // the oracle plans with the simulator itself: privileged, and said so
        assertThat(j.get("privileged").asBoolean()).isTrue();
        assertThat(j.get("energy").asText()).isEqualTo("simulator-distance");
        assertThat(random.get("privileged").asBoolean()).isFalse();
        assertThat(r.out()).contains("reach oracle seed 11: success");
    }

    @Test void outWritesVideoStepLogsAndPlots(@TempDir Path dir) throws Exception {
        CliRun.Result r = CliRun.run("eval", "--task", "push", "--planner", "oracle", "--episodes", "1",
                "--max-steps", "3", "--samples", "6", "--iters", "2", "--horizon", "1", "--camera-size", "32", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(dir.resolve("oracle-seed100000.mp4")).isNotEmptyFile();
        assertThat(Files.readAllLines(dir.resolve("oracle-seed100000.jsonl"))).hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("\"plan_ms\"").contains("\"best_energy_per_iteration\":[")); 
        assertThat(javax.imageio.ImageIO.read(dir.resolve("success.png").toFile()).getWidth()).isPositive();
        assertThat(javax.imageio.ImageIO.read(dir.resolve("energy-oracle.png").toFile()).getWidth()).isPositive();
    }

    @Test void learnedPlannersRunOnAModelFolder(@TempDir Path dir) throws Exception {
        // A tiny untrained model with the simulator's shapes: this checks the wiring, not the skill.
        EncoderConfig ec = new EncoderConfig(32, 8, 2, 32, 1, 2, 2, 16, 1, 2);
        PredictorConfig pc = new PredictorConfig(32, 4, 4, 4, 15, 32, 1, 2, 2, 8, null, null, null, null, null);
        try (VideoEncoder e = VideoEncoder.create(ec, 1, Device.cpu()); AcPredictor p = AcPredictor.create(pc, Device.cpu(), 2)) {
            e.save(dir.resolve(LearnedWorldModel.ENCODER_DIR));
            p.save(dir.resolve(LearnedWorldModel.PREDICTOR_DIR));
        }
        CliRun.Result r = CliRun.run("eval", "--task", "reach", "--planner", "cem,mppi", "--model", dir.toString(),
                "--episodes", "1", "--max-steps", "2", "--samples", "8", "--iters", "2", "--horizon", "2", "--json",
                "--out", dir.resolve("out").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // each step's log line has the chosen plan's energy by term, here the latent term alone, adding up to the energy
        for (String line : Files.readAllLines(dir.resolve("out").resolve("cem-seed100000.jsonl"))) {
            JsonNode step = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(step.get("energy_terms").get("latent").asDouble()).isCloseTo(step.get("energy").asDouble(),
                    org.assertj.core.data.Offset.offset(1e-3 * Math.max(1, Math.abs(step.get("energy").asDouble()))));
        }
        JsonNode j = r.json();
        assertThat(j.get("holds").asInt()).isZero();
        assertThat(j.get("by_planner").get("mppi").get("plan_ms_p50").asDouble()).isPositive();
        // the default mode: the final goal image alone, nothing only the simulator knows, the latent energy alone
        assertThat(j.get("goal_images").asInt()).isEqualTo(1);
        assertThat(j.get("goals").asText()).isEqualTo("final");
        assertThat(j.get("privileged").asBoolean()).isFalse();
        assertThat(j.get("energy").asText()).isEqualTo("latent-l1-sum");

        // the simulator's scripted sub-goals are named help, and the report says so
        CliRun.Result scripted = CliRun.run("eval", "--task", "push", "--planner", "cem", "--model", dir.toString(), "--goals",
                "scripted", "--episodes", "1", "--max-steps", "2", "--samples", "8", "--iters", "2", "--horizon", "2", "--json");
        assertThat(scripted.exit()).as(scripted.err()).isZero();
        assertThat(scripted.json().get("privileged").asBoolean()).isTrue();
        assertThat(scripted.json().get("goal_images").asInt()).isGreaterThan(3);
        CliRun.Result keyframes = CliRun.run("eval", "--task", "pick-place", "--planner", "cem", "--model", dir.toString(), "--goals",
                "keyframes", "--episodes", "1", "--max-steps", "2", "--samples", "8", "--iters", "2", "--horizon", "2", "--json");
        assertThat(keyframes.exit()).as(keyframes.err()).isZero();
        assertThat(keyframes.json().get("privileged").asBoolean()).isFalse();
        assertThat(keyframes.json().get("goal_images").asInt()).isEqualTo(3);
    }

    @Test void badInputIsOneClearLine(@TempDir Path empty) {
        CliRun.Result noModel = CliRun.run("eval", "--task", "reach", "--planner", "cem", "--model", empty.toString());
        assertThat(noModel.exit()).isEqualTo(1);
        assertThat(noModel.err()).contains("is not a wmpc model folder").doesNotContain("Exception");

        CliRun.Result missing = CliRun.run("eval", "--planner", "oracle");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("missing --task");

        CliRun.Result task = CliRun.run("eval", "--task", "fly", "--planner", "oracle");
        assertThat(task.exit()).isEqualTo(2);
        assertThat(task.err()).contains("reach, push, pick-place");

        CliRun.Result planner = CliRun.run("eval", "--task", "reach", "--planner", "magic");
        assertThat(planner.exit()).isEqualTo(2);
        assertThat(planner.err()).containsIgnoringCase("cem").containsIgnoringCase("oracle");

        CliRun.Result topK = CliRun.run("eval", "--task", "reach", "--planner", "oracle", "--samples", "4", "--top-k", "9");
        assertThat(topK.exit()).isEqualTo(2);
        assertThat(topK.err()).contains("top-k is 9");

        CliRun.Result folder = CliRun.run("eval", "--task", "reach", "--planner", "mppi", "--model", "/nonexistent/model");
        assertThat(folder.exit()).isEqualTo(1);
        assertThat(folder.err()).contains("is not a folder");
    }
}
