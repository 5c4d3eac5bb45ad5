package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wmpc train encoder, eval probe and bench encode through the real CLI. */
class PerceptionCommandsTest {
    static {
        // One PyTorch thread: parallel builds share the cores (must be set before the engine starts).
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    /** {@code wmpc eval probe}: a subcommand of {@code wmpc eval}, which checks its own --task only when it runs itself. */
    static final String[] EVAL_PROBE = {"eval", "probe"};

    @TempDir Path dir;

    @Test void trainResumeAndProbeOnSyntheticData() throws Exception {
        Path model = dir.resolve("enc");
        CliRun.Result r = CliRun.run("train", "encoder", "--data", "synthetic:12:20", "--out", model.toString(), "--steps", "4", "--batch", "2",
                "--checkpoint-every", "2", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("steps").asInt()).isEqualTo(4);
        assertThat(s.get("final_loss").asDouble()).isPositive();
        assertThat(s.get("clips_per_s").asDouble()).isPositive();
        // The spread penalty is on by default and recorded; the targets vary in more than a few directions.
        assertThat(s.get("variance_weight").asDouble()).isEqualTo(dev.wmpc.perception.TrainConfig.DEFAULT_VARIANCE_WEIGHT);
        assertThat(s.get("covariance_weight").asDouble()).isEqualTo(dev.wmpc.perception.TrainConfig.DEFAULT_COVARIANCE_WEIGHT);
        assertThat(s.get("target_participation_ratio").asDouble()).as("well above a collapsed encoder's 1 (6.4 at seed 0)")
                .isGreaterThan(3.0);
        assertThat(model.resolve("config.json")).exists();
        assertThat(model.resolve("encoder.params")).exists();
        assertThat(model.resolve("training/loss-curve.png")).exists();
        assertThat(model.resolve("training/summary.json")).exists();
        assertThat(model.resolve("training/checkpoint/state.json")).exists();
        assertThat(Files.size(model.resolve("training/loss-curve.png"))).isGreaterThan(1000);

        CliRun.Result again = CliRun.run("train", "encoder", "--data", "synthetic:12:20", "--out", model.toString(), "--steps", "6");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("--resume");

        CliRun.Result resumed = CliRun.run("train", "encoder", "--data", "synthetic:12:20", "--out", model.toString(), "--steps", "6", "--batch", "2", "--resume", "--json");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.json().get("resumed_from_step").asInt()).isEqualTo(4);
        assertThat(resumed.json().get("steps").asInt()).isEqualTo(6);

        CliRun.Result probe = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", "synthetic:10:12", "--encoder", model.toString(), "--max-samples", "40", "--json");
        assertThat(probe.code()).as(probe.err()).isZero();
        JsonNode p = probe.json();
        for (String key : new String[] {"r2_ee", "r2_object", "r2_ee_random_init", "r2_object_random_init"})
            assertThat(p.has(key)).as(key).isTrue();
        assertThat(p.get("r2_ee").isNumber()).isTrue();
        assertThat(p.get("token_components").asInt()).isEqualTo(dev.wmpc.perception.ProbeEvaluator.DEFAULT_COMPONENTS);
        assertThat(p.get("readout").asText()).isEqualTo("linear");
        assertThat(p.has("r2_object_linear")).isFalse();

        // The attentive readout reports itself and the linear probe beside it.
        CliRun.Result attentive = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", "synthetic:10:12", "--encoder", model.toString(),
                "--max-samples", "40", "--readout", "attentive", "--probe-steps", "20", "--json");
        assertThat(attentive.code()).as(attentive.err()).isZero();
        JsonNode a = attentive.json();
        assertThat(a.get("readout").asText()).isEqualTo("attentive");
        assertThat(a.get("probe_steps").asInt()).isEqualTo(20);
        assertThat(a.get("r2_object").isNumber()).isTrue();
        assertThat(a.get("r2_object_linear").asDouble()).isEqualTo(p.get("r2_object").asDouble());
    }

    @Test void userMistakesGiveOneLineErrors() {
        CliRun.Result noData = CliRun.run("train", "encoder", "--data", dir.resolve("missing").toString(), "--out", dir.resolve("m").toString());
        assertThat(noData.code()).isEqualTo(1);
        assertThat(noData.err().strip()).startsWith("wmpc: ").contains("not a folder").doesNotContain("\n");
        CliRun.Result preset = CliRun.run("train", "encoder", "--data", "synthetic", "--out", dir.resolve("m").toString(), "--preset", "huge");
        assertThat(preset.code()).isEqualTo(2);
        assertThat(preset.err()).contains("tiny").contains("small");
        CliRun.Result negative = CliRun.run("train", "encoder", "--data", "synthetic", "--out", dir.resolve("m").toString(), "--covariance-weight", "-1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err().strip()).contains("--covariance-weight must be >= 0").doesNotContain("\n");
        CliRun.Result stem = CliRun.run("train", "encoder", "--data", "synthetic", "--out", dir.resolve("m").toString(), "--stem-channels", "10");
        assertThat(stem.code()).isEqualTo(2);
        assertThat(stem.err().strip()).contains("--stem-channels 10").contains("multiple of 4").doesNotContain("\n");
        assertThat(dir.resolve("m")).doesNotExist();
        CliRun.Result components = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", "synthetic", "--encoder", dir.resolve("m").toString(), "--components", "0");
        assertThat(components.code()).isEqualTo(2);
        assertThat(components.err().strip()).contains("--components must be >= 1").doesNotContain("\n");
        CliRun.Result readout = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", "synthetic", "--encoder", dir.resolve("m").toString(), "--readout", "mlp");
        assertThat(readout.code()).isEqualTo(2);
        assertThat(readout.err().strip()).contains("--readout").contains("linear or attentive").doesNotContain("\n");
        CliRun.Result probeSteps = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", "synthetic", "--encoder", dir.resolve("m").toString(), "--readout", "attentive", "--probe-steps", "0");
        assertThat(probeSteps.code()).isEqualTo(2);
        assertThat(probeSteps.err().strip()).contains("--probe-steps must be >= 1").doesNotContain("\n");
        CliRun.Result noResume = CliRun.run("train", "encoder", "--data", "synthetic", "--out", dir.resolve("m").toString(), "--resume");
        assertThat(noResume.code()).isEqualTo(1);
        assertThat(noResume.err()).contains("no checkpoint");
        CliRun.Result gpu = CliRun.run("bench", "encode", "--device", "gpu", "--iterations", "1", "--train-steps", "0");
        if (ai.djl.engine.Engine.getInstance().getGpuCount() == 0) {
            assertThat(gpu.code()).isEqualTo(1);
            assertThat(gpu.err()).contains("no CUDA GPU");
        }
        CliRun.Result badModel = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", "synthetic", "--encoder", dir.resolve("nope").toString());
        assertThat(badModel.code()).isEqualTo(1);
        assertThat(badModel.err()).contains("is not a folder");
    }

    @Test void benchEncodeReportsLatencyAndThroughput() throws Exception {
        CliRun.Result r = CliRun.run("bench", "encode", "--iterations", "5", "--train-steps", "1", "--batch", "2", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("encode_ms_median").asDouble()).isPositive();
        assertThat(j.get("train_clips_per_s").asDouble()).isPositive();
        // With a convolutional stem: more parameters (the stem's), reported as such.
        CliRun.Result stem = CliRun.run("bench", "encode", "--iterations", "5", "--train-steps", "0", "--stem-channels", "128", "--json");
        assertThat(stem.code()).as(stem.err()).isZero();
        assertThat(stem.json().get("stem_channels").asInt()).isEqualTo(128);
        assertThat(stem.json().get("parameters").asLong()).isGreaterThan(j.get("parameters").asLong());
    }

    @Test void trainAndProbeOnARecordedDataset() throws Exception {
        Path data = dir.resolve("reach");
        // 10 episodes: 2 held out, so the (per-episode still) reach cube varies over the held-out frames.
        // Two cameras: the front one and the side one (which shows heights).
        CliRun.Result collect = CliRun.run("collect", "--task", "reach", "--policy", "expert", "--episodes", "10", "--seed", "3",
                "--out", data.toString(), "--workers", "1", "--camera-size", "32", "--cameras", "front,side", "--json");
        assertThat(collect.code()).as(collect.err()).isZero();
        try (dev.wmpc.dataset.EpisodeDataset ds = dev.wmpc.dataset.EpisodeDataset.open(data)) {
            assertThat(ds.cameras()).containsExactly("observation.images.front", "observation.images.side");
            assertThat(ds.clip(0, 0, 1, "observation.images.side").frames()[0])
                    .isNotEqualTo(ds.clip(0, 0, 1, "observation.images.front").frames()[0]);
        }
        Path model = dir.resolve("enc");
        // One encoder trained on both cameras' clips (named by camera or by video feature).
        CliRun.Result train = CliRun.run("train", "encoder", "--data", data.toString(), "--out", model.toString(), "--steps", "2", "--batch", "2",
                "--camera", "front,observation.images.side", "--json");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.json().get("data").asText()).contains("10 episodes").contains("camera observation.images.front")
                .contains("camera observation.images.side");
        // Both views probed together: one linear map of both cameras' latents.
        CliRun.Result both = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", data.toString(), "--encoder", model.toString(),
                "--camera", "front,side", "--max-samples", "40", "--components", "8", "--json"); // the solve is cubic in the features
        assertThat(both.code()).as(both.err()).isZero();
        assertThat(both.json().get("views").asInt()).isEqualTo(2);
        assertThat(both.json().get("r2_object").isNumber()).as(both.json().toString()).isTrue();
        assertThat(both.json().get("data").asText()).contains(" + ");
        CliRun.Result twice = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", data.toString(), "--encoder", model.toString(),
                "--camera", "side,side", "--max-samples", "40");
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("names a camera twice");
        CliRun.Result unknown = CliRun.run("collect", "--task", "reach", "--episodes", "1", "--out", dir.resolve("u").toString(), "--cameras", "front,top");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown camera 'top'").contains("side");
        CliRun.Result probe = CliRun.run(EVAL_PROBE[0], EVAL_PROBE[1], "--data", data.toString(), "--encoder", model.toString(), "--max-samples", "40", "--json");
        assertThat(probe.code()).as(probe.err()).isZero();
        JsonNode p = probe.json();
        assertThat(p.get("r2_ee").isNumber()).as(p.toString()).isTrue();
        assertThat(p.get("r2_ee_random_init").isNumber()).isTrue();
        // The cube position comes from observation.environment_state, which collect records from the simulator.
        assertThat(p.get("r2_object").isNumber()).as(p.toString()).isTrue();
        assertThat(p.get("r2_object_random_init").isNumber()).as(p.toString()).isTrue();
        assertThat(p.get("test_episodes").asInt()).isEqualTo(2);
        assertThat(p.get("views").asInt()).isEqualTo(1);
        CliRun.Result badCam = CliRun.run("train", "encoder", "--data", data.toString(), "--out", dir.resolve("x").toString(), "--camera", "nope");
        assertThat(badCam.code()).isEqualTo(2);
        assertThat(badCam.err()).contains("no camera 'nope'");
    }
}
