package dev.wmpc.worldmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictorTrainerTest {
    static {
        // One intra-op thread: these are small models, and on a loaded 2-core machine two OpenMP threads wait on
        // each other at every op (10-100x slower). Read when the engine starts; harmless if it already has.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    static final LatentSpec SPEC = new LatentSpec(2, 2, 16, 3, 4);

    static PredictorConfig base() {
        return new PredictorConfig(16, 2, 2, 4, 3, 64, 2, 4, 2, 6, null, null, null, null, null);
    }

    static TrainOptions options(int steps, int checkpointEvery, boolean resume) {
        return new TrainOptions(steps, 16, 6, 2, 2e-3f, 1e-4f, 10, 0.01f, 1.0f, checkpointEvery, 11, resume);
    }

    @Test
    void lossFallsAndBeatsCopyLast(@TempDir Path dir) throws Exception {
        var source = new SyntheticLatentSource(SPEC, 22, 12, 1);
        Path out = dir.resolve("pred");
        var r = PredictorTrainer.train(source, base(), options(400, 200, false), out, Device.cpu(), null);
        assertThat(r.finalLoss()).as("final vs first loss").isLessThan(0.5f * r.firstLoss());
        assertThat(r.eval()).isNotNull();
        // a model that reads the actions beats copying the last frame at every step
        assertThat(r.eval().l1().get(0)).as("step 1").isLessThan(0.6 * r.eval().copyLastL1().get(0));
        for (int h = 0; h < r.eval().l1().size(); h++)
            assertThat(r.eval().l1().get(h)).as("step %d", h + 1).isLessThan(r.eval().copyLastL1().get(h));
        assertThat(out.resolve(PredictorTrainer.LOSS_PLOT)).isNotEmptyFile();
        assertThat(out.resolve(PredictorTrainer.SUMMARY_FILE)).content().contains("\"eval_copy_last_l1\"");
        // the config carries the statistics and the integration found from the state names
        try (AcPredictor loaded = AcPredictor.load(out, Device.cpu())) {
            assertThat(loaded.config().stateIntegration()).containsExactly(0, 1, 2, -1);
            assertThat(loaded.config().actionStd()[0]).isBetween(0.1f, 0.3f);
        }
    }

    /**
     * A run broken at step 13 and resumed from its step-10 checkpoint ends with the weights of a run that never
     * stopped, to 1e-5. A resume that draws other batches after the checkpoint misses by 6e-3 to 8e-3, in 98% of the
     * weights.
     */
    @Test
    void resumeContinuesExactly(@TempDir Path dir) {
        var source = new SyntheticLatentSource(SPEC, 6, 8, 2);
        Path broken = dir.resolve("broken");
        assertThatThrownBy(() -> PredictorTrainer.train(source, base(), options(20, 10, false), broken, Device.cpu(),
                (step, steps, loss, lr, sec) -> {
                    if (step == 13) throw new IllegalStateException("interrupted");
                })).hasMessage("interrupted");
        assertThat(broken.resolve(PredictorTrainer.STATE_FILE)).content().contains("\"step\" : 10");
        PredictorTrainer.train(source, base(), options(20, 10, true), broken, Device.cpu(), null);
        Path straight = dir.resolve("straight");
        PredictorTrainer.train(source, base(), options(20, 10, false), straight, Device.cpu(), null);
        String mismatch = firstMismatch(straight, broken, 1e-5f);
        assertThat(mismatch).as("resumed vs straight weights").isNull();
    }

    /** The first weight of {@code b} more than {@code tol} from {@code a}'s, or null. */
    private static String firstMismatch(Path a, Path b, float tol) {
        try (AcPredictor x = AcPredictor.load(a, Device.cpu()); AcPredictor y = AcPredictor.load(b, Device.cpu())) {
            for (int i = 0; i < x.parameters().size(); i++) {
                float[] u = x.parameters().get(i).getArray().toFloatArray();
                float[] v = y.parameters().get(i).getArray().toFloatArray();
                for (int j = 0; j < u.length; j++)
                    if (Math.abs(u[j] - v[j]) > tol)
                        return x.parameters().get(i).getName() + "[" + j + "]: " + v[j] + " vs " + u[j];
            }
            return null;
        }
    }

    @Test
    void tooShortEpisodesAreAClearError(@TempDir Path dir) {
        var source = new SyntheticLatentSource(SPEC, 3, 5, 3);
        assertThatThrownBy(() -> PredictorTrainer.train(source, base(), options(5, 5, false), dir.resolve("x"),
                Device.cpu(), null)).hasMessageContaining("at least 6 latent frames");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    @Test
    void heldOutEpisodesAreEveryTenthSoEveryTaskOfASequentialRecordingIsInThem() {
        SyntheticLatentSource thirty = new SyntheticLatentSource(new LatentSpec(1, 1, 4, 3, 4), 30, 3, 1);
        assertThat(thirty.heldOut()).containsExactly(9, 19, 29);
        assertThat(thirty.training()).hasSize(27).doesNotContain(9, 19, 29).contains(0, 10, 20, 28);
        SyntheticLatentSource five = new SyntheticLatentSource(new LatentSpec(1, 1, 4, 3, 4), 5, 3, 1);
        assertThat(five.heldOut()).containsExactly(4);
        assertThat(five.training()).containsExactly(0, 1, 2, 3);
        assertThat(new SyntheticLatentSource(new LatentSpec(1, 1, 4, 3, 4), 1, 3, 1).heldOut()).isEmpty();
    }
}
