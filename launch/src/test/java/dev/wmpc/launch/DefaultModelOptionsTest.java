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

    @Test void evalProbeAcceptsTheDefaultEncoder() throws Exception {
        var probe = CliRun.run("eval", "probe", "--data", "synthetic:10:12", "--encoder", "default", "--max-samples", "40", "--json");
        assertThat(probe.code()).as(probe.err()).isZero();
        assertThat(probe.json().has("r2_ee")).isTrue();
    }
}
