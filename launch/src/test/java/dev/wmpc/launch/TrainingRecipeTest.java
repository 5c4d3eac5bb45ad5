package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.core.WmpcException;
import dev.wmpc.planner.StateReadout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe as a library, stage by stage, on the tiny preset: the vjepa baseline (EndToEndTest runs the default one through the CLI). */
class TrainingRecipeTest {
    @Test void theVjepaRecipeStageByStage(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(log, true, StandardCharsets.UTF_8);
        TrainAllPreset tiny = TrainAllPreset.of(TrainAllPreset.Name.TINY);
        TrainingRecipe run = new TrainingRecipe(TrainingRecipe.Kind.VJEPA, tiny, dir.resolve("work"), 5, Device.cpu(),
                progress, "the command");

        TrainingRecipe.Collected data = run.collect();
        assertThat(data.episodes()).isEqualTo(tiny.episodesPerTask() * TrainingRecipe.TASKS.size());
        assertThat(data.frames()).isGreaterThan(data.episodes());
        assertThat(data.data()).isDirectory();
        assertThat(data.seconds()).isPositive();

        TrainingRecipe.Trained trained = run.train(data);
        assertThat(trained.stageSeconds()).containsOnlyKeys("encoder", "encode", "readout", "predictor");
        assertThat(trained.manifest().get("recipe")).isEqualTo("vjepa");
        assertThat(trained.staged().resolve(StateReadout.FILE)).isRegularFile();

        Path out = dir.resolve("model");
        TrainingRecipe.Published published = run.publish(data, trained, out);
        assertThat(published.model()).isEqualTo(out);
        assertThat(published.bytes()).isEqualTo(TrainingRecipe.folderBytes(out)).isPositive();
        assertThat(trained.staged()).as("the staged folder was moved into place").doesNotExist();
        JsonNode manifest = new ObjectMapper().readTree(out.resolve(DefaultModel.MANIFEST).toFile());
        assertThat(manifest.get("command").asText()).isEqualTo("the command");
        assertThat(manifest.get("recipe").asText()).isEqualTo("vjepa");
        assertThat(manifest.get("frames").asLong()).isEqualTo(data.frames());
        assertThat(manifest.get("stage_seconds").fieldNames()).toIterable()
                .containsExactly("collect", "encoder", "encode", "readout", "predictor");
        assertThat(manifest.has("model")).as("the summary's folder and size are not the manifest's").isFalse();
        assertThat(published.summary()).containsEntry("model", out.toString()).containsEntry("bytes", published.bytes());
        assertThat(DefaultModel.inspect(out).endToEnd()).as("a vjepa model is not end to end").isFalse();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("[1/4] collecting", "[4/4] training the predictor",
                "model written to " + out);
    }

    @Test void aWorkFolderDatasetIsReusedOnlyWhenCollectedTheSameWay(@TempDir Path dir) throws Exception {
        TrainAllPreset tiny = TrainAllPreset.of(TrainAllPreset.Name.TINY).withEpisodes(2);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path work = dir.resolve("work");
        TrainingRecipe.Collected first = new TrainingRecipe(TrainingRecipe.Kind.WORLD_MODEL, tiny, work, 5, Device.cpu(), quiet, "c").collect();
        assertThat(work.resolve(TrainingRecipe.COLLECTION_FILE)).isRegularFile();
        // the same recipe again: the dataset is reused, nothing is added
        TrainingRecipe.Collected again = new TrainingRecipe(TrainingRecipe.Kind.WORLD_MODEL, tiny, work, 5, Device.cpu(), quiet, "c").collect();
        assertThat(again.frames()).isEqualTo(first.frames());
        // another seed, or a dataset whose collection nobody recorded (an earlier wmpc's), is refused, not mixed in
        TrainingRecipe other = new TrainingRecipe(TrainingRecipe.Kind.WORLD_MODEL, tiny, work, 6, Device.cpu(), quiet, "c");
        assertThatThrownBy(other::collect).isInstanceOf(WmpcException.class).hasMessageContaining("with other settings")
                .hasMessageContaining("pass another --work");
        Files.delete(work.resolve(TrainingRecipe.COLLECTION_FILE));
        assertThatThrownBy(new TrainingRecipe(TrainingRecipe.Kind.WORLD_MODEL, tiny, work, 5, Device.cpu(), quiet, "c")::collect)
                .isInstanceOf(WmpcException.class).hasMessageContaining("did not record how");
    }

    @Test void anUnknownRecipeIsAUsageError(@TempDir Path dir) {
        CliRun.Result r = CliRun.run("train", "all", "--preset", "tiny", "--recipe", "jepa2", "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --recipe 'jepa2': choose world-model or vjepa");
    }
}
