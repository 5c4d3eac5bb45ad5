package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Durable;
import dev.wmpc.planner.LearnedWorldModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wmpc train all} on the tiny preset, end to end (collect in the simulator, train the world model), then the
 * model it wrote: loading it, resolving {@code --model}, a mismatched model, the demo.
 */
class EndToEndTest {
    @TempDir static Path dir;
    static Path model, work;
    static JsonNode summary;

    @BeforeAll static void trainTiny() throws Exception {
        model = dir.resolve("model");
        work = dir.resolve("work");
        CliRun.Result r = CliRun.run("train", "all", "--preset", "tiny", "--out", model.toString(), "--work", work.toString(), "--seed", "3", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        summary = r.json();
    }

    @Test void trainAllWritesALoadableModelWithItsRecipe() throws Exception {
        for (String f : new String[] {"manifest.json", "encoder/config.json", "encoder/parameters.npz", "predictor/config.json",
                "predictor/parameters.npz", "loss.png", "summary.json"})
            assertThat(model.resolve(f)).as(f).isRegularFile();
        assertThat(model.resolve("optimizer.npz")).as("optimizer state stays in the work folder").doesNotExist();
        assertThat(summary.get("episodes").asInt()).isEqualTo(2 * TrainingRecipe.TASKS.size()); // 2 per task: reach, push, pick-place
        assertThat(summary.get("frames").asLong()).isGreaterThan(4);
        for (String stage : new String[] {"collect", "world_model"})
            assertThat(summary.get("stage_seconds").get(stage).asDouble()).as(stage).isPositive();
        assertThat(summary.get("final_loss").asDouble()).as("the world model learned something")
                .isLessThan(summary.get("first_loss").asDouble());
        assertThat(DefaultModel.inspect(model).endToEnd()).isTrue();
        JsonNode manifest = new ObjectMapper().readTree(model.resolve("manifest.json").toFile());
        assertThat(manifest.get("command").asText()).startsWith("wmpc train all --preset tiny").contains("--seed 3");
        assertThat(manifest.get("seed").asLong()).isEqualTo(3);

        try (LearnedWorldModel wm = DefaultModel.load(model.toString(), Device.cpu())) {
            int size = wm.imageSize();
            float[] z = wm.encode(new CameraFrame("front", size, size, PixelEncoding.RGB8, new byte[size * size * 3], 0));
            assertThat(z).hasSize(wm.latentSize());
            // two samples from the same frame: stay, and move 2 cm along x at both steps
            float[] actions = new float[2 * 2 * 4];
            actions[2 * 4] = actions[3 * 4] = 0.02f;
            float[] pred = wm.rollout(z, new float[wm.predictorConfig().stateDim()], actions, 2, 2, 4);
            int n = 2 * wm.latentSize();
            assertThat(pred).hasSize(2 * n);
            assertThat(java.util.Arrays.copyOfRange(pred, n, 2 * n)).as("the predictions depend on the actions")
                    .isNotEqualTo(java.util.Arrays.copyOfRange(pred, 0, n));
        }
    }

    @Test void sameSeedSameModel() throws Exception {
        // The dataset in the work folder is reused (its episodes are the seed's); training from it again gives the same weights.
        Path again = dir.resolve("again");
        CliRun.Result r = CliRun.run("train", "all", "--preset", "tiny", "--out", again.toString(), "--work", work.toString(), "--seed", "3");
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, byte[]> ea = npzEntries(again.resolve("encoder/parameters.npz")), eb = npzEntries(model.resolve("encoder/parameters.npz"));
        assertThat(ea.keySet()).isEqualTo(eb.keySet()).isNotEmpty();
        for (String k : ea.keySet()) assertThat(Arrays.equals(ea.get(k), eb.get(k))).as("same encoder weights " + k).isTrue();
        Map<String, byte[]> a = npzEntries(again.resolve("predictor/parameters.npz")), b = npzEntries(model.resolve("predictor/parameters.npz"));
        assertThat(a.keySet()).isEqualTo(b.keySet()).isNotEmpty();
        for (String k : a.keySet()) assertThat(Arrays.equals(a.get(k), b.get(k))).as("same predictor weights " + k).isTrue();
    }

    /** The arrays inside an npz (a zip whose entry times differ from run to run). */
    static Map<String, byte[]> npzEntries(Path npz) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(npz))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) out.put(e.getName(), z.readAllBytes());
        }
        return out;
    }

    @Test void demoRunsClosedLoopAndWritesVideoAndPicture() throws Exception {
        Path out = dir.resolve("demo");
        CliRun.Result r = CliRun.run("demo", "--model", model.toString(), "--episodes", "1", "--tasks", "reach", "--max-steps", "2",
                "--samples", "8", "--iters", "2", "--horizon", "2", "--out", out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("episodes").asInt()).isEqualTo(1);
        assertThat(j.get("plan_ms_p50").asDouble()).isPositive();
        assertThat(j.get("goals").asText()).isEqualTo("final");
        assertThat(j.get("privileged").asBoolean()).isFalse();
        assertThat(j.get("tasks").get("reach").get("episodes").asInt()).isEqualTo(1);
        assertThat(Files.size(out.resolve("demo.mp4"))).isGreaterThan(1000);
        assertThat(Files.size(out.resolve("demo.png"))).isGreaterThan(100);
        assertThat(r.out()).contains("reach episode 1");
    }

    @Test void missingDefaultModelNamesTheRecipe() {
        Path empty = dir.resolve("empty-home");
        assertThatThrownBy(() -> DefaultModel.resolve("default", empty.toString(), empty))
                .isInstanceOf(WmpcException.class).hasMessageContaining("wmpc train all").hasMessageContaining("models");
        assertThatThrownBy(() -> DefaultModel.resolve("default", null, empty))
                .isInstanceOf(WmpcException.class).hasMessageContaining("wmpc train all");
        CliRun.Result r = CliRun.run("demo", "--model", dir.resolve("nowhere").toString(), "--out", dir.resolve("x").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("wmpc: --model").contains("wmpc train all").doesNotContain("Exception");
    }

    @Test void defaultResolvesUnderWmpcHomeOrAParentFolder() throws Exception {
        Path home = dir.resolve("home");
        Path shipped = home.resolve(DefaultModel.FOLDER);
        Files.createDirectories(shipped);
        Files.writeString(shipped.resolve(DefaultModel.MANIFEST), "{}");
        assertThat(DefaultModel.resolve("default", home.toString(), dir)).isEqualTo(shipped);
        Path deep = home.resolve("a/b");
        Files.createDirectories(deep);
        assertThat(DefaultModel.resolve("default", null, deep)).isEqualTo(shipped.toAbsolutePath());
        assertThat(DefaultModel.resolve(model.toString(), null, deep)).isEqualTo(model);
    }

    @Test void theShippedDefaultModelLoadsAndRecordsItsRecipe() throws Exception {
        Path shipped = DefaultModel.resolve("default", null, Path.of("").toAbsolutePath());
        DefaultModel.Info info = DefaultModel.inspect(shipped);
        assertThat(info.manifest().get("command").asText()).isEqualTo(DefaultModel.RECIPE);
        assertThat(info.manifest().get("frames").asLong()).isPositive();
        assertThat(TrainingRecipe.folderBytes(shipped)).as("committed model stays small").isLessThan(20_000_000L);
        try (LearnedWorldModel wm = DefaultModel.load(shipped.toString(), Device.cpu())) {
            int size = wm.imageSize();
            assertThat(size).isEqualTo(TrainAllPreset.of(TrainAllPreset.Name.DEFAULT).cameraSize());
            float[] black = wm.encode(new CameraFrame("front", size, size, PixelEncoding.RGB8, new byte[size * size * 3], 0));
            byte[] white = new byte[size * size * 3];
            java.util.Arrays.fill(white, (byte) 255);
            assertThat(wm.encode(new CameraFrame("front", size, size, PixelEncoding.RGB8, white, 0))).as("another frame, another latent")
                    .isNotEqualTo(black);
        }
    }

    @Test void theShippedModelReachesGoalsGivenAsTheFinalImageAlone() {
        // the real model in closed loop in the simulator, in the default mode: one goal image, nothing only the
        // simulator knows, the world model's energy
        CliRun.Result r = CliRun.run("eval", "--task", "reach", "--model", "default", "--episodes", "5", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("privileged").asBoolean()).isFalse();
        assertThat(j.get("goal_images").asInt()).isEqualTo(1);
        assertThat(j.get("proprio_weight").asDouble()).isZero();
        assertThat(j.get("success_rate").asDouble()).as(r.out()).isGreaterThanOrEqualTo(0.8);
    }

    @Test void encoderAndPredictorThatDoNotFitAreAClearError() throws Exception {
        Path bad = dir.resolve("mismatched");
        Durable.deleteTree(bad);
        Files.createDirectories(bad.resolve("encoder"));
        Files.createDirectories(bad.resolve("predictor"));
        for (String f : new String[] {"encoder/config.json", "encoder/parameters.npz", "predictor/parameters.npz", "manifest.json"})
            Files.copy(model.resolve(f), bad.resolve(f));
        String config = Files.readString(model.resolve("predictor/config.json"));
        int width = summaryLatentDim();
        Files.writeString(bad.resolve("predictor/config.json"),
                config.replaceFirst("\"latentDim\"\\s*:\\s*" + width, "\"latentDim\" : " + (width * 2)));
        assertThatThrownBy(() -> DefaultModel.inspect(bad)).isInstanceOf(WmpcException.class)
                .hasMessageContaining("does not fit together").hasMessageContaining("width " + width)
                .hasMessageContaining("width " + width * 2);
        CliRun.Result r = CliRun.run("demo", "--model", bad.toString(), "--out", dir.resolve("y").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("does not fit together");
    }

    @Test void aTruncatedWeightFileIsOneClearErrorNamingTheFile() throws Exception {
        for (String part : new String[] {"encoder", "predictor"}) {
            Path bad = dir.resolve("truncated-" + part);
            Durable.deleteTree(bad);
            copyTree(model, bad);
            Path weights = bad.resolve(part + "/parameters.npz");
            byte[] all = Files.readAllBytes(weights);
            Files.write(weights, Arrays.copyOf(all, all.length / 3));
            CliRun.Result r = CliRun.run("eval", "--task", "reach", "--model", bad.toString(), "--episodes", "1", "--max-steps", "1");
            assertThat(r.exit()).as(part).isEqualTo(1);
            assertThat(r.err().strip()).as(part).contains(weights.toString()).doesNotContain("Exception").hasLineCount(1);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
    }

    private static int summaryLatentDim() throws Exception {
        return new ObjectMapper().readTree(model.resolve("encoder/config.json").toFile()).get("latentDim").asInt();
    }
}
