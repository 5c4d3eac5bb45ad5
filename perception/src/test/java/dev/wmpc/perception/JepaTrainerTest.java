package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JepaTrainerTest {
    static final EncoderConfig SMALL_TEST = new EncoderConfig(32, 8, 2, 64, 2, 2, 4, 32, 1, 2);

    @Test void lossFallsAndMemoryIsFlat() {
        checkLossFallsAndMemoryIsFlat(SMALL_TEST);
    }

    @Test void lossFallsAndMemoryIsFlatWithAConvolutionalStem() {
        checkLossFallsAndMemoryIsFlat(SMALL_TEST.withStemChannels(16));
    }

    private static void checkLossFallsAndMemoryIsFlat(EncoderConfig config) {
        TrainConfig tc = TrainConfig.defaults(60, 8, 1).withLearningRate(1e-3, 5);
        try (MovingSquaresSource src = new MovingSquaresSource(6, 40, 32, 3);
             JepaTrainer t = JepaTrainer.create(config, tc, Device.cpu())) {
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

    @Test void spreadPenaltyCountsCollapsedAndCorrelatedDimensions() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(3);
            int n = 4000, d = 16;
            // Every token the same: each dimension's std is 0, the hinge is 1 per dimension; nothing co-varies.
            ai.djl.ndarray.NDArray same = m.ones(new ai.djl.ndarray.types.Shape(n, d));
            assertThat(JepaTrainer.spreadPenalty(same, 1, 0).getFloat()).isCloseTo(0.99f, org.assertj.core.api.Assertions.within(1e-3f));
            assertThat(JepaTrainer.spreadPenalty(same, 0, 1).getFloat()).isCloseTo(0f, org.assertj.core.api.Assertions.within(1e-6f));
            // Independent dimensions with std 2: no hinge, off-diagonal covariances only sampling noise.
            ai.djl.ndarray.NDArray spread = m.randomNormal(0, 2, new ai.djl.ndarray.types.Shape(n, d), ai.djl.ndarray.types.DataType.FLOAT32);
            assertThat(JepaTrainer.spreadPenalty(spread, 1, 0).getFloat()).isZero();
            float noise = JepaTrainer.spreadPenalty(spread, 0, 1).getFloat();
            assertThat(noise).isLessThan(0.2f);
            // Every dimension a copy of one: each of the d(d-1) off-diagonal covariances is the variance (4),
            // so the penalty is d(d-1)·16/d = 240, while each dimension alone still looks healthy.
            ai.djl.ndarray.NDArray copies = spread.get(":, 0:1").repeat(1, d);
            assertThat(JepaTrainer.spreadPenalty(copies, 1, 0).getFloat()).isZero();
            assertThat(JepaTrainer.spreadPenalty(copies, 0, 1).getFloat()).isCloseTo(240f, org.assertj.core.api.Assertions.within(15f));
        }
    }

    @Test void spreadPenaltyKeepsTheLatentsInMoreDirections() {
        // The same run with and without the penalty: JEPA's loss alone lets the target latents' variance gather in
        // few directions; the penalty keeps it spread (higher participation ratio) and still lets the loss fall.
        // A fast EMA so that the target encoder follows the context encoder within the short run.
        double[] rank = new double[2];
        double[] ratio = new double[2];
        for (int k = 0; k < 2; k++) {
            TrainConfig tc = TrainConfig.defaults(60, 8, 1).withLearningRate(1e-3, 5).withMomentum(0.9, 0.9)
                    .withRegulariser(k == 0 ? 0 : 1, k == 0 ? 0 : 0.1);
            try (MovingSquaresSource src = new MovingSquaresSource(6, 40, 32, 3);
                 JepaTrainer t = JepaTrainer.create(SMALL_TEST, tc, Device.cpu())) {
                List<Double> reg = new ArrayList<>();
                JepaTrainer.Result r = t.train(src, null, s -> reg.add(s.regulariser()));
                rank[k] = r.finalTargetRank();
                List<Double> l = r.losses();
                ratio[k] = l.subList(l.size() - 5, l.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow()
                        / l.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                if (k == 0) assertThat(reg).allMatch(v -> v == 0);
                else assertThat(reg).allMatch(v -> v > 0);
            }
        }
        System.out.printf("participation ratio without %.2f with %.2f; loss ratio %.2f / %.2f%n", rank[0], rank[1], ratio[0], ratio[1]);
        assertThat(rank[1]).isGreaterThan(rank[0] * 1.2);
        assertThat(ratio[1]).isLessThan(0.9);
    }

    @Test void participationRatioCountsTheDirectionsTheTokensVaryIn() {
        Random r = new Random(4);
        int n = 4000, dim = 16;
        float[] line = new float[n * dim], four = new float[n * dim], all = new float[n * dim];
        for (int i = 0; i < n; i++) {
            double t = r.nextGaussian();
            for (int d = 0; d < dim; d++) {
                line[i * dim + d] = (float) (t * (d + 1)); // every dimension moves, but along one shared direction
                all[i * dim + d] = (float) r.nextGaussian();
            }
            for (int d = 0; d < 4; d++) four[i * dim + 3 * d] = (float) r.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThat(JepaTrainer.participationRatio(m.create(line, new Shape(n, dim)))).isCloseTo(1.0, within(1e-3));
            assertThat(JepaTrainer.participationRatio(m.create(four, new Shape(n, dim)))).isCloseTo(4.0, within(0.2));
            assertThat(JepaTrainer.participationRatio(m.create(all, new Shape(n, dim)))).isCloseTo(dim, within(1.0));
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
        checkResume(SMALL_TEST, dir.resolve("plain"));
    }

    @Test void checkpointResumeContinuesExactlyWithAConvolutionalStem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        checkResume(SMALL_TEST.withStemChannels(16), dir);
    }

    private static void checkResume(EncoderConfig config, java.nio.file.Path dir) {
        TrainConfig tc = TrainConfig.defaults(6, 2, 5).withCheckpointEvery(3);
        java.nio.file.Path ckpt = dir.resolve("ckpt"), atStep3 = dir.resolve("at3");
        List<Double> straight;
        try (MovingSquaresSource src = new MovingSquaresSource(4, 12, 32, 3);
             JepaTrainer t = JepaTrainer.create(config, tc, Device.cpu())) {
            straight = t.train(src, ckpt, s -> {
                if (s.step() == 4) copyTree(ckpt, atStep3); // the checkpoint written after step 3
            }).losses();
        }
        assertThat(atStep3.resolve("state.json")).exists();
        try (MovingSquaresSource src = new MovingSquaresSource(4, 12, 32, 3);
             JepaTrainer t = JepaTrainer.resume(atStep3, 0, Device.cpu())) {
            assertThat(t.step()).isEqualTo(3);
            assertThat(t.encoderConfig()).isEqualTo(config);
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

    /**
     * A garbage collection between the forward and the backward pass must not change the gradients of the spread
     * penalty and of attention: their scalars were Java numbers wrapped in direct buffers that nothing kept alive, and
     * autograd read them back after a collection had freed them.
     */
    @Test void gradientsDoNotDependOnWhenTheGarbageCollectorRuns() {
        float[] quiet = gradients(false), collected = gradients(true);
        assertThat(collected).hasSameSizeAs(quiet);
        for (int i = 0; i < quiet.length; i++) assertThat(collected[i]).as("gradient %d", i).isEqualTo(quiet[i]);
    }

    private static float[] gradients(boolean collectBeforeBackward) {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu())) {
            java.util.Random rng = new java.util.Random(5);
            float[] v = new float[2 * 6 * 16];
            for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
            ai.djl.ndarray.NDArray x = m.create(v, new ai.djl.ndarray.types.Shape(2, 6, 16));
            x.setRequiresGradient(true);
            Transformer t = new Transformer("t.", 16, 2, 2, 2);
            ParameterSet.Layout layout = new ParameterSet.Layout();
            t.declare(layout);
            ParameterSet p = ParameterSet.create(m, layout, 3);
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
                ai.djl.ndarray.NDArray y = t.forward(p, x);
                ai.djl.ndarray.NDArray loss = y.abs().mean().add(JepaTrainer.spreadPenalty(y.reshape(-1, 16), 1, 0.1));
                if (collectBeforeBackward)
                    for (int i = 0; i < 5; i++) {
                        System.gc();
                        byte[][] churn = new byte[64][];
                        for (int j = 0; j < churn.length; j++) churn[j] = new byte[1 << 16];
                    }
                gc.backward(loss);
                return x.getGradient().toFloatArray();
            }
        }
    }
}
