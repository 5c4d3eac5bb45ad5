package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.worldmodel.AcPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --encoder default} and {@code --model default} find the shipped model's parts (models/default/encoder, /predictor). */
class DefaultModelOptionsTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @TempDir Path dir;

    @Test void defaultPartsLiveUnderTheDefaultModelFolder() throws Exception {
        Path home = dir.resolve("home"), shipped = home.resolve(DefaultModel.FOLDER);
        Files.createDirectories(shipped);
        Files.writeString(shipped.resolve(DefaultModel.MANIFEST), "{}");
        assertThat(DefaultModel.part("default", LearnedWorldModel.ENCODER_DIR, home.toString(), dir)).isEqualTo(shipped.resolve("encoder"));
        assertThat(DefaultModel.part("default", LearnedWorldModel.PREDICTOR_DIR, home.toString(), dir)).isEqualTo(shipped.resolve("predictor"));
        assertThat(DefaultModel.part("some/enc", LearnedWorldModel.ENCODER_DIR, home.toString(), dir)).isEqualTo(Path.of("some/enc"));
        // The shipped model in the checkout has both parts where 'default' points.
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(DefaultModel.part("default", LearnedWorldModel.ENCODER_DIR, null, cwd).resolve(VideoEncoder.CONFIG_FILE)).isRegularFile();
        assertThat(DefaultModel.part("default", LearnedWorldModel.PREDICTOR_DIR, null, cwd).resolve(AcPredictor.CONFIG_FILE)).isRegularFile();
    }

    @Test void evalProbeReadsTheDefaultModelsLatentOnRecordedEpisodes(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("reach");
        var collect = CliRun.run("collect", "--task", "reach", "--policy", "noisy-expert", "--noise", "0.03", "--episodes", "30",
                "--seed", "9", "--camera-size", "64", "--workers", "1", "--out", data.toString());
        assertThat(collect.code()).as(collect.err()).isZero();
        var probe = CliRun.run("eval", "probe", "--data", data.toString(), "--encoder", "default", "--json");
        assertThat(probe.code()).as(probe.err()).isZero();
        // the world model's latent holds the end effector linearly, better than the same network at random init
        // (fitted here on 27 short reach episodes, scored on 3; one worker, so the episodes land in seed order)
        double ee = probe.json().get("r2_ee").asDouble();
        assertThat(ee).as(probe.out()).isGreaterThan(0.7).isGreaterThan(probe.json().get("r2_ee_random_init").asDouble() + 0.1);
        var attentive = CliRun.run("eval", "probe", "--data", data.toString(), "--encoder", "default", "--readout", "attentive");
        assertThat(attentive.code()).isEqualTo(2);
        assertThat(attentive.err()).contains("--readout linear");
    }
}
