package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Quat;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.DatasetWriter;
import dev.wmpc.dataset.EpisodeRecorder;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.VideoEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorldModelCommandsTest {
    static {
        // Small models: one intra-op thread avoids OpenMP threads waiting on each other on a loaded machine.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @TempDir Path dir;

    @Test void benchRolloutReportsTheContractKeys() throws Exception {
        CliRun.Result r = CliRun.run("bench", "rollout", "--samples", "4", "--horizon", "3", "--repeats", "1", "--threads", "1",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.json();
        for (String key : List.of("ms_per_rollout", "gflop_per_rollout", "achieved_gflops", "sgemm_gflops",
                "naive_ms_per_rollout"))
            assertThat(j.get(key).asDouble()).as(key).isPositive();
        assertThat(j.get("naive_gflop_per_rollout").asDouble()).isGreaterThan(j.get("gflop_per_rollout").asDouble());
        assertThat(CliRun.run("bench", "rollout", "--preset", "huge").err()).contains("choose tiny or small");
    }

    @Test void trainPredictorThenEvaluateOnARecordedDataset() throws Exception {
        Path data = dir.resolve("ds");
        recordSquareDataset(data, 5, 14);
        Path encoder = dir.resolve("enc");
        try (VideoEncoder enc = VideoEncoder.create(new EncoderConfig(32, 8, 2, 32, 1, 2, 2, 32, 1, 2), 1)) {
            enc.save(encoder);
        }
        Path cache = dir.resolve("cache"), out = dir.resolve("pred");
        String[] train = {"train", "predictor", "--data", data.toString(), "--encoder", encoder.toString(), "--out",
                out.toString(), "--steps", "6", "--batch", "4", "--preset", "tiny", "--cache", cache.toString(), "--json"};
        CliRun.Result r = CliRun.run(train);
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("steps").asInt()).isEqualTo(6);
        assertThat(j.get("eval_l1").size()).isEqualTo(5);
        assertThat(out.resolve("config.json")).exists();
        assertThat(out.resolve("loss.png")).isNotEmptyFile();
        assertThat(r.err()).contains("encoding [").contains("training [");
        Path latents;
        try (Stream<Path> s = Files.list(cache)) {
            List<Path> entries = s.toList();
            assertThat(entries).hasSize(1);
            latents = entries.get(0).resolve("latents.f32");
        }
        // 5 episodes x 14 frames, 16 tokens of 32 floats each
        assertThat(Files.size(latents)).isEqualTo(5L * 14 * 16 * 32 * 4);
        long stamp = Files.getLastModifiedTime(latents).toMillis();

        // a finished run resumes to nothing and reuses the latent cache
        String[] resume = java.util.Arrays.copyOf(train, train.length + 1);
        resume[train.length] = "--resume";
        CliRun.Result again = CliRun.run(resume);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.json().get("resumed_from").asInt()).isEqualTo(6);
        assertThat(again.err()).doesNotContain("encoding [");
        assertThat(Files.getLastModifiedTime(latents).toMillis()).isEqualTo(stamp);

        CliRun.Result e = CliRun.run(() -> new CommandLine(new EvalWorldModelCommand()), "--data", data.toString(), "--encoder", encoder.toString(), "--model", out.toString(),
                "--horizon", "3", "--cache", cache.toString(), "--json");
        assertThat(e.exit()).as(e.err()).isZero();
        JsonNode ej = e.json();
        assertThat(ej.get("l1").size()).isEqualTo(3);
        assertThat(ej.get("copy_last_l1").size()).isEqualTo(3);
        assertThat(ej.get("copy_last_l1").get(0).asDouble()).isPositive();
        assertThat(e.out()).contains("copy-last");

        // a wrong --model names the fix
        CliRun.Result bad = CliRun.run("train", "predictor", "--data", dir.resolve("nope").toString(), "--encoder",
                encoder.toString(), "--out", out.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("is not a folder");
    }

    /** Episodes of a bright square that moves with random Δxy actions, on a 32x32 camera. */
    static void recordSquareDataset(Path root, int episodes, int length) {
        List<String> state = Stream.concat(Stream.of("j0"), RobotState.POSE_NAMES.stream()).toList();
        DatasetSpec spec = new DatasetSpec(10, "square", List.of(new DatasetSpec.Camera("front", 32, 32)), state,
                Action.DELTA_NAMES);
        Random rng = new Random(3);
        try (DatasetWriter w = DatasetWriter.open(root, spec, DatasetWriter.Options.defaults())) {
            for (int e = 0; e < episodes; e++) {
                double x = rng.nextDouble() * 0.5 - 0.25, y = rng.nextDouble() * 0.5 - 0.25;
                try (EpisodeRecorder rec = new EpisodeRecorder(spec, "move the square", e)) {
                    for (int t = 0; t < length; t++) {
                        RobotState st = new RobotState(new double[] {0}, new Vec3(x, y, 0.1), Quat.IDENTITY, 1);
                        CameraFrame f = new CameraFrame("front", 32, 32, PixelEncoding.RGB8, square(x, y), t * 0.1);
                        var a = new Action.EndEffectorDelta(rng.nextDouble() * 0.1 - 0.05, rng.nextDouble() * 0.1 - 0.05, 0, 1);
                        rec.add(new Observation(Map.of("front", f), st, t * 0.1), a, t == length - 1, false);
                        x += a.dx();
                        y += a.dy();
                    }
                    w.append(rec.finish(false));
                }
            }
        }
    }

    static byte[] square(double x, double y) {
        byte[] rgb = new byte[32 * 32 * 3];
        int cx = (int) Math.round(16 + x * 40), cy = (int) Math.round(16 + y * 40);
        for (int py = 0; py < 32; py++)
            for (int px = 0; px < 32; px++)
                if (Math.abs(px - cx) <= 4 && Math.abs(py - cy) <= 4)
                    for (int c = 0; c < 3; c++) rgb[(py * 32 + px) * 3 + c] = (byte) 230;
        return rgb;
    }
}
