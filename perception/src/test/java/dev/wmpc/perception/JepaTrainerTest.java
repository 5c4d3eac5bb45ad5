package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JepaTrainerTest {
    static final EncoderConfig SMALL_TEST = new EncoderConfig(32, 8, 2, 64, 2, 2, 4, 32, 1, 2);

    @Test void lossFallsAndMemoryIsFlat() {
        TrainConfig tc = TrainConfig.defaults(60, 8, 1).withLearningRate(1e-3, 5);
        try (MovingSquaresSource src = new MovingSquaresSource(6, 40, 32, 3);
             JepaTrainer t = JepaTrainer.create(SMALL_TEST, tc, Device.cpu())) {
            List<Integer> live = new ArrayList<>();
            long t0 = System.nanoTime();
            JepaTrainer.Result r = t.train(src, null, s -> {
                live.add(t.liveArrays());
                if (s.step() % 10 == 0) System.out.printf("step %d loss %.4f gn %.3f %.1f clips/s std %.4f%n", s.step(), s.loss(), s.gradNorm(), s.clipsPerSecond(), s.targetStd());
            });
            System.out.printf("took %.2fs result %s%n", (System.nanoTime() - t0) / 1e9, r.clipsPerSecond());
            List<Double> l = r.losses();
            double first = l.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double last = l.subList(l.size() - 5, l.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            System.out.println("first " + first + " last " + last + " live " + live.get(1) + " -> " + live.get(live.size() - 1));
            assertThat(last).isLessThan(first * 0.8);
            assertThat(live.get(live.size() - 1)).isEqualTo(live.get(1));
        }
    }

    @Test void collapseWatchStopsWithAClearError() {
        // A threshold no healthy representation meets: the watch must fire after three checks.
        TrainConfig tc = TrainConfig.defaults(20, 2, 1).withCollapseStd(10.0);
        try (MovingSquaresSource src = new MovingSquaresSource(2, 10, 32, 3);
             JepaTrainer t = JepaTrainer.create(SMALL_TEST, tc, Device.cpu())) {
            List<Double> stds = new ArrayList<>();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.train(src, null, s -> { if (!Double.isNaN(s.targetStd())) stds.add(s.targetStd()); }))
                    .isInstanceOf(dev.wmpc.core.WmpcException.class)
                    .hasMessageContaining("collapsed at step 20".replace("20", "19"));
            // Healthy targets: normalised latents spread across tokens (per-dimension std of order 1).
            assertThat(stds).isNotEmpty();
            assertThat(stds.get(0)).isBetween(0.1, 2.0);
        }
    }

    @Test void checkpointResumeContinuesExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        TrainConfig tc = TrainConfig.defaults(6, 2, 5).withCheckpointEvery(3);
        java.nio.file.Path ckpt = dir.resolve("ckpt"), atStep3 = dir.resolve("at3");
        List<Double> straight;
        try (MovingSquaresSource src = new MovingSquaresSource(4, 12, 32, 3);
             JepaTrainer t = JepaTrainer.create(SMALL_TEST, tc, Device.cpu())) {
            straight = t.train(src, ckpt, s -> {
                if (s.step() == 4) copyTree(ckpt, atStep3); // the checkpoint written after step 3
            }).losses();
        }
        assertThat(atStep3.resolve("state.json")).exists();
        try (MovingSquaresSource src = new MovingSquaresSource(4, 12, 32, 3);
             JepaTrainer t = JepaTrainer.resume(atStep3, 0, Device.cpu())) {
            assertThat(t.step()).isEqualTo(3);
            List<Double> resumed = t.train(src, null, null).losses();
            assertThat(resumed).hasSize(6);
            for (int i = 0; i < 6; i++) assertThat(resumed.get(i)).isCloseTo(straight.get(i), org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    static void copyTree(java.nio.file.Path from, java.nio.file.Path to) {
        try (var files = java.nio.file.Files.list(from)) {
            java.nio.file.Files.createDirectories(to);
            for (java.nio.file.Path f : files.toList()) java.nio.file.Files.copy(f, to.resolve(f.getFileName()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
