package dev.wmpc.worldmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.wmpc.core.WmpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcPredictorTest {
    static {
        // One intra-op thread: these are small models, and on a loaded 2-core machine two OpenMP threads wait on
        // each other at every op (10-100x slower). Read when the engine starts; harmless if it already has.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    static final int N = 4, D = 16, A = 4, S_DIM = 3;

    static PredictorConfig tinyConfig() {
        return new PredictorConfig(D, 2, 2, A, S_DIM, 32, 2, 2, 2, 8,
                null, null, null, null, new int[] {0, 1, 2, -1});
    }

    static NDArray random(NDManager m, Random rng, long... shape) {
        Shape s = new Shape(shape);
        float[] v = new float[(int) s.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return m.create(v, s);
    }

    static double maxRelativeError(NDArray a, NDArray b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        assertThat(x).hasSameSizeAs(y);
        double maxDiff = 0, maxAbs = 0;
        for (int i = 0; i < x.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
            maxAbs = Math.max(maxAbs, Math.abs(y[i]));
        }
        return maxDiff / Math.max(maxAbs, 1e-12);
    }

    @Test
    void kvCachedRolloutEqualsFullRecompute() {
        kvCachedRolloutEqualsFullRecompute(tinyConfig());
    }

    @Test
    void withSummedInputsAFrameIsItsPatchTokensAndTheCachedRolloutStillEqualsFullRecompute() {
        PredictorConfig summed = tinyConfig().withSummedInputs(true);
        assertThat(summed.frameTokens()).isEqualTo(N);
        assertThat(tinyConfig().frameTokens()).isEqualTo(N + 2);
        kvCachedRolloutEqualsFullRecompute(summed);
        kvCachedRolloutEqualsFullRecomputeWithoutStateIntegration(
                new PredictorConfig(D, 2, 2, A, S_DIM, 32, 3, 2, 2, 8, null, null, null, null, null).withSummedInputs(true));
        laterFramesNeverChangeEarlierPredictions(summed, 1e-4);
    }

    private void kvCachedRolloutEqualsFullRecompute(PredictorConfig config) {
        try (AcPredictor model = AcPredictor.create(config, Device.cpu(), 1);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Random rng = new Random(2);
            // one shared context frame
            NDArray actions = random(m, rng, 5, 4, A);
            NDArray z = random(m, rng, N, D);
            NDArray s = random(m, rng, S_DIM);
            NDArray fast = model.rollout(z, s, null, actions);
            NDArray slow = model.rolloutNaive(z, s, null, actions);
            assertThat(fast.getShape()).isEqualTo(new Shape(5, 4, N, D));
            assertThat(maxRelativeError(fast, slow)).isLessThan(1e-4);
            // the plain-Java entry point (the planner's) gives the same numbers
            assertThat(model.rollout(z.toFloatArray(), s.toFloatArray(), actions.toFloatArray(), 5, 4))
                    .containsExactly(fast.toFloatArray());
            assertThat(model.normalizeFlat(z.toFloatArray())).containsExactly(model.normalize(z).toFloatArray());
            // three shared context frames with past actions
            NDArray z3 = random(m, rng, 3, N, D);
            NDArray s3 = random(m, rng, 3, S_DIM);
            NDArray past = random(m, rng, 2, A);
            assertThat(maxRelativeError(model.rollout(z3, s3, past, actions), model.rolloutNaive(z3, s3, past, actions)))
                    .isLessThan(1e-4);
            // one context per sample
            NDArray zs = random(m, rng, 5, 2, N, D);
            NDArray ss = random(m, rng, 5, 2, S_DIM);
            NDArray ps = random(m, rng, 5, 1, A);
            assertThat(maxRelativeError(model.rollout(zs, ss, ps, actions), model.rolloutNaive(zs, ss, ps, actions)))
                    .isLessThan(1e-4);
        }
    }

    @Test
    void kvCachedRolloutEqualsFullRecomputeWithoutStateIntegrationAndForOneSample() {
        // No state integration: the shared context state is never advanced, so later steps broadcast it themselves.
        kvCachedRolloutEqualsFullRecomputeWithoutStateIntegration(
                new PredictorConfig(D, 2, 2, A, S_DIM, 32, 3, 2, 2, 8, null, null, null, null, null));
    }

    private void kvCachedRolloutEqualsFullRecomputeWithoutStateIntegration(PredictorConfig still) {
        try (AcPredictor model = AcPredictor.create(still, Device.cpu(), 8);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Random rng = new Random(9);
            NDArray z = random(m, rng, N, D);
            NDArray s = random(m, rng, S_DIM);
            for (int samples : new int[] {1, 6}) {
                NDArray actions = random(m, rng, samples, 5, A);
                NDArray fast = model.rollout(z, s, null, actions);
                assertThat(fast.getShape()).isEqualTo(new Shape(samples, 5, N, D));
                assertThat(maxRelativeError(fast, model.rolloutNaive(z, s, null, actions))).isLessThan(1e-4);
            }
            // a planner-sized batch: the step blocks' linear layers run as 1x1 convolutions (AcPredictor#dense)
            assertThat(AcPredictor.CONV_LINEAR).isTrue();
            NDArray many = random(m, rng, 256, 3, A);
            assertThat(maxRelativeError(model.rollout(z, s, null, many), model.rolloutNaive(z, s, null, many)))
                    .isLessThan(1e-4);
            // two shared context frames, horizon 1
            NDArray z2 = random(m, rng, 2, N, D);
            NDArray s2 = random(m, rng, 2, S_DIM);
            NDArray past = random(m, rng, 1, A);
            NDArray actions = random(m, rng, 4, 1, A);
            assertThat(maxRelativeError(model.rollout(z2, s2, past, actions), model.rolloutNaive(z2, s2, past, actions)))
                    .isLessThan(1e-4);
        }
    }

    @Test
    void laterFramesNeverChangeEarlierPredictions() {
        // With either head; the residual head starts near copy-last, so what a later input changes is smaller there.
        laterFramesNeverChangeEarlierPredictions(tinyConfig().withResidualHead(false), 1e-2);
        laterFramesNeverChangeEarlierPredictions(tinyConfig(), 1e-4);
    }

    private void laterFramesNeverChangeEarlierPredictions(PredictorConfig config, double changes) {
        try (AcPredictor model = AcPredictor.create(config, Device.cpu(), 3);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Random rng = new Random(4);
            NDArray z = model.normalize(random(m, rng, 2, 4, N, D));
            NDArray a = random(m, rng, 2, 4, A);
            NDArray s = random(m, rng, 2, 4, S_DIM);
            NDArray before = model.predict(z, a, s);
            // change everything about the last frame: latents, action and state
            NDArray z2 = z.duplicate();
            z2.set(new ai.djl.ndarray.index.NDIndex(":, 3"), 5f);
            NDArray a2 = a.duplicate();
            a2.set(new ai.djl.ndarray.index.NDIndex(":, 3"), -3f);
            NDArray s2 = s.duplicate();
            s2.set(new ai.djl.ndarray.index.NDIndex(":, 3"), 7f);
            NDArray after = model.predict(z2, a2, s2);
            NDArray early = before.get(":, :3"), earlyAfter = after.get(":, :3");
            assertThat(maxRelativeError(earlyAfter, early)).isLessThan(1e-6);
            // ...while the last frame's own prediction does change (the test can fail)
            assertThat(maxRelativeError(after.get(":, 3"), before.get(":, 3"))).isGreaterThan(changes);
            // changing the action of frame 1 changes frames 1..3 but not frame 0
            NDArray a3 = a.duplicate();
            a3.set(new ai.djl.ndarray.index.NDIndex(":, 1"), 4f);
            NDArray after3 = model.predict(z, a3, s);
            assertThat(maxRelativeError(after3.get(":, 0"), before.get(":, 0"))).isLessThan(1e-6);
            assertThat(maxRelativeError(after3.get(":, 1"), before.get(":, 1"))).isGreaterThan(changes);
        }
    }

    @Test
    void theResidualHeadStartsAsCopyLastAndTheOtherDoesNot() {
        try (AcPredictor residual = AcPredictor.create(tinyConfig(), Device.cpu(), 3);
             AcPredictor plain = AcPredictor.create(tinyConfig().withResidualHead(false), Device.cpu(), 3);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Random rng = new Random(6);
            NDArray z = residual.normalize(random(m, rng, 2, 3, N, D));
            NDArray a = random(m, rng, 2, 3, A);
            NDArray s = random(m, rng, 2, 3, S_DIM);
            assertThat(maxRelativeError(residual.predict(z, a, s), z)).isLessThan(0.2);
            assertThat(maxRelativeError(plain.predict(z, a, s), z)).isGreaterThan(0.5);
        }
    }

    @Test
    void saveThenLoadGivesIdenticalPredictions(@TempDir Path dir) throws Exception {
        saveThenLoadGivesIdenticalPredictions(dir, tinyConfig());
    }

    @Test
    void aSummedInputsPredictorLoadsAsOne(@TempDir Path dir) throws Exception {
        saveThenLoadGivesIdenticalPredictions(dir, tinyConfig().withSummedInputs(true));
    }

    private void saveThenLoadGivesIdenticalPredictions(Path dir, PredictorConfig config) throws Exception {
        Path folder = dir.resolve("model");
        try (AcPredictor model = AcPredictor.create(config, Device.cpu(), 5);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            model.save(folder);
            model.save(folder); // replacing an existing folder works too
            assertThat(Files.list(dir)).containsExactly(folder);
            Random rng = new Random(6);
            NDArray actions = random(m, rng, 3, 2, A);
            NDArray z = random(m, rng, N, D);
            NDArray s = random(m, rng, S_DIM);
            try (AcPredictor loaded = AcPredictor.load(folder, Device.cpu())) {
                assertThat(loaded.config()).isEqualTo(model.config());
                assertThat(loaded.config().summedInputs()).isEqualTo(config.summedInputs());
                assertThat(loaded.rollout(z, s, null, actions).toFloatArray())
                        .containsExactly(model.rollout(z, s, null, actions).toFloatArray());
            }
        }
    }

    @Test
    void loadNamesTheFirstMismatchedParameter(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("model");
        try (AcPredictor model = AcPredictor.create(tinyConfig(), Device.cpu(), 5)) {
            model.save(folder);
        }
        Path cfg = folder.resolve(AcPredictor.CONFIG_FILE);
        Files.writeString(cfg, Files.readString(cfg).replace("\"latentDim\" : 16", "\"latentDim\" : 24"));
        assertThatThrownBy(() -> AcPredictor.load(folder, Device.cpu()))
                .isInstanceOf(WmpcException.class)
                .hasMessageContaining("'patch_embed.weight' has shape (32, 16)")
                .hasMessageContaining("(32, 24)");
        assertThatThrownBy(() -> AcPredictor.load(dir.resolve("nothing"), Device.cpu()))
                .isInstanceOf(WmpcException.class).hasMessageContaining("not a predictor model folder");
    }

    @Test
    void wrongShapesNameTheExpectedShape() {
        try (AcPredictor model = AcPredictor.create(tinyConfig(), Device.cpu(), 7);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Random rng = new Random(8);
            NDArray z = random(m, rng, N, D);
            NDArray s = random(m, rng, S_DIM);
            assertThatThrownBy(() -> model.rollout(z, s, null, random(m, rng, 3, 2, A + 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("actions must have shape [*, *, 4], got [3, 2, 5]");
            assertThatThrownBy(() -> model.rollout(random(m, rng, N, D + 1), s, null, random(m, rng, 3, 2, A)))
                    .hasMessageContaining("context latents must have shape [4, 16]");
            assertThatThrownBy(() -> model.rollout(z, random(m, rng, S_DIM + 2), null, random(m, rng, 3, 2, A)))
                    .hasMessageContaining("context states must have shape [3]");
            assertThatThrownBy(() -> model.rollout(random(m, rng, 2, N, D), random(m, rng, 2, S_DIM), null,
                    random(m, rng, 3, 2, A))).hasMessageContaining("past actions are required");
            assertThatThrownBy(() -> model.rollout(z, s, null, random(m, rng, 3, 9, A)))
                    .hasMessageContaining("maxFrames=8");
            assertThatThrownBy(() -> model.predict(random(m, rng, 1, 2, N, D), random(m, rng, 1, 3, A),
                    random(m, rng, 1, 2, S_DIM))).hasMessageContaining("actions must have shape [1, 2, 4]");
        }
    }

    @Test
    void rolloutsDoNotGrowNativeMemory() throws Exception {
        PredictorConfig small = new PredictorConfig(8, 1, 2, 2, 2, 16, 1, 2, 2, 4, null, null, null, null, null);
        try (AcPredictor model = AcPredictor.create(small, Device.cpu(), 9);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Random rng = new Random(10);
            NDArray z = random(m, rng, 2, 8);
            NDArray s = random(m, rng, 2);
            NDArray actions = random(m, rng, 2, 2, 2);
            int modelArrays = model.manager().getManagedArrays().size();
            for (int i = 0; i < 500; i++) model.rollout(z, s, null, actions).close();
            int callerArrays = m.getManagedArrays().size();
            // native memory outside the heap every 1,000 calls: a leak grows steadily, noise does not
            long[] samples = new long[10];
            for (int k = 0; k < samples.length; k++) {
                for (int i = 0; i < 1_000; i++) model.rollout(z, s, null, actions).close();
                samples[k] = nativeKb();
            }
            long growthKb = median(samples[7], samples[8], samples[9]) - median(samples[0], samples[1], samples[2]);
            assertThat(model.manager().getManagedArrays()).hasSize(modelArrays);
            assertThat(m.getManagedArrays()).hasSize(callerArrays);
            assertThat(growthKb).as("resident memory growth from 1,000-2,000 to 8,000-10,000 rollouts (kB), samples "
                    + java.util.Arrays.toString(samples)).isLessThan(48 * 1024);
        }
    }

    static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Resident memory outside the committed Java heap, after a GC. */
    static long nativeKb() throws Exception {
        System.gc();
        return rssKb() - Runtime.getRuntime().totalMemory() / 1024;
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        throw new IllegalStateException("no VmRSS");
    }

    /**
     * A garbage collection between the forward and the backward pass must not change the gradients. It did: a scale
     * multiplied in as a Java number lived in a direct buffer that nothing kept alive, autograd saved it for the
     * backward pass, and after a collection the gradient read freed memory (identical trainings then differed).
     */
    @Test
    void gradientsDoNotDependOnWhenTheGarbageCollectorRuns() {
        float[] quiet = gradients(false), collected = gradients(true);
        assertThat(quiet).hasSameSizeAs(collected);
        for (int i = 0; i < quiet.length; i++)
            assertThat(collected[i]).as("gradient %d", i).isEqualTo(quiet[i]);
    }

    /** All parameter gradients of one L1 loss on fixed inputs, from a fresh predictor of a fixed seed. */
    private static float[] gradients(boolean collectBeforeBackward) {
        try (AcPredictor model = AcPredictor.create(tinyConfig(), Device.cpu(), 11);
             NDManager m = model.manager().newSubManager()) {
            Random rng = new Random(4);
            NDArray z = model.normalize(random(m, rng, 2, 3, N, D));
            NDArray a = random(m, rng, 2, 3, A), s = random(m, rng, 2, 3, S_DIM);
            try (GradientCollector gc = Engine.getEngine(model.manager().getEngine().getEngineName()).newGradientCollector()) {
                NDArray loss = model.predict(z, a, s).sub(z).abs().mean();
                if (collectBeforeBackward) {
                    for (int i = 0; i < 5; i++) {
                        System.gc();
                        byte[][] churn = new byte[64][];
                        for (int j = 0; j < churn.length; j++) churn[j] = new byte[1 << 16];
                    }
                }
                gc.backward(loss);
                java.util.List<Float> out = new java.util.ArrayList<>();
                for (var p : model.parameters())
                    for (float g : p.getArray().getGradient().toFloatArray()) out.add(g);
                float[] flat = new float[out.size()];
                for (int i = 0; i < flat.length; i++) flat[i] = out.get(i);
                return flat;
            }
        }
    }
}
