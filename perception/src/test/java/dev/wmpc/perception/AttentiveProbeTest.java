package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentiveProbeTest {
    static final int SLOTS = 16, DIM = 16;

    /**
     * Rows of random tokens, one of which (at a random slot) is marked by a large first feature; the targets are that
     * token's second feature and its slot's row and column on a 4 × 4 grid. Reading them means finding the marked
     * token, which a linear map of the tokens cannot do for its content (the weight of a feature would have to
     * depend on where the mark is) and attention can.
     */
    record Data(NDArray tokens, List<double[]> targets) {}

    static Data marked(NDManager m, int rows, long seed) {
        Random r = new Random(seed);
        float[] raw = new float[rows * SLOTS * DIM];
        int[] slot = new int[rows];
        for (int i = 0; i < raw.length; i++) raw[i] = (float) r.nextGaussian();
        for (int i = 0; i < rows; i++) {
            slot[i] = r.nextInt(SLOTS);
            raw[(i * SLOTS + slot[i]) * DIM] = 6f;
        }
        NDArray tokens = AttentiveProbe.normalise(m.create(raw, new Shape(rows, SLOTS, DIM)));
        float[] t = tokens.toFloatArray();
        List<double[]> targets = new ArrayList<>();
        for (int i = 0; i < rows; i++)
            targets.add(new double[] {t[(i * SLOTS + slot[i]) * DIM + 1], slot[i] / 4, slot[i] % 4});
        return new Data(tokens, targets);
    }

    @Test void findsTheMarkedTokenAndReadsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            int rows = 1500, nFit = 1000, nTrain = 1200;
            Data d = marked(m, rows, 1);
            List<double[]> r2 = AttentiveProbe.probe(d.tokens(), d.targets(), nFit, nTrain, new int[] {1, 2},
                    new AttentiveProbe.Settings(800, 64, 3e-3, 0.05, 7), 1e-3);
            // The linear map of every token, fitted on the same rows, for comparison.
            float[] flat = d.tokens().toFloatArray();
            int w = SLOTS * DIM;
            RidgeProbe.Moments fit = new RidgeProbe.Moments(w, 3), val = new RidgeProbe.Moments(w, 3);
            List<float[]> valX = new ArrayList<>(), testX = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                float[] x = Arrays.copyOfRange(flat, i * w, (i + 1) * w);
                if (i < nFit) fit.add(x, d.targets().get(i));
                else if (i < nTrain) { val.add(x, d.targets().get(i)); valX.add(x); }
                else testX.add(x);
            }
            List<double[]> linear = RidgeProbe.probe(fit, val, w, new int[] {1, 2}, valX, d.targets().subList(nFit, nTrain),
                    testX, d.targets().subList(nTrain, rows), 1e-3);
            System.out.printf("attentive: content %.3f, slot %s; linear: content %.3f, slot %s%n", r2.get(0)[0],
                    Arrays.toString(r2.get(1)), linear.get(0)[0], Arrays.toString(linear.get(1)));
            assertThat(r2.get(0)[0]).as("the marked token's content").isGreaterThan(0.8);
            assertThat(RidgeProbe.mean(r2.get(1))).as("the marked token's place").isGreaterThan(0.85);
            assertThat(linear.get(0)[0]).as("a linear map cannot pick the content out").isLessThan(0.3);
        }
    }

    @Test void tokensWithoutTheAnswerScoreNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            int rows = 1000;
            Data d = marked(m, rows, 2);
            Random r = new Random(3);
            List<double[]> noise = new ArrayList<>();
            for (int i = 0; i < rows; i++) noise.add(new double[] {r.nextGaussian(), r.nextGaussian()});
            List<double[]> r2 = AttentiveProbe.probe(d.tokens(), noise, 600, 800, new int[] {2},
                    new AttentiveProbe.Settings(300, 64, 3e-3, 0.05, 7), 1e-3);
            assertThat(RidgeProbe.mean(r2.get(0))).isLessThan(0.05);
        }
    }

    @Test void theEvaluatorReadsLatentsAttentively() {
        try (MovingSquaresSource squares = new MovingSquaresSource(20, 30, 32, 5);
             VideoEncoder enc = VideoEncoder.create(JepaTrainerTest.SMALL_TEST, 4)) {
            ProbeEvaluator.Report r = new ProbeEvaluator(400, 100, 8, ProbeEvaluator.Readout.ATTENTIVE, 600).evaluate(enc, squares, 3);
            System.out.printf("attentive object %.3f (random init %.3f), linear %.3f (random init %.3f)%n", r.r2Object(),
                    r.r2ObjectRandomInit(), r.r2ObjectLinear(), r.r2ObjectLinearRandomInit());
            assertThat(r.readout()).isEqualTo(ProbeEvaluator.Readout.ATTENTIVE);
            assertThat(r.r2Object()).as("the square's place, read attentively").isGreaterThan(0.4);
            assertThat(r.r2ObjectLinear()).as("the linear probe is fitted beside it").isGreaterThan(0.3);
            assertThat(r.r2Object()).isNotEqualTo(r.r2ObjectLinear());
        }
    }

    @Test void readsEveryViewsTokens() {
        try (MovingSquaresSource squares = new MovingSquaresSource(20, 30, 32, 5);
             VideoEncoder enc = VideoEncoder.create(JepaTrainerTest.SMALL_TEST, 4)) {
            MultiViewProbeTest.NoiseView noise = new MultiViewProbeTest.NoiseView(squares);
            ProbeEvaluator probe = new ProbeEvaluator(400, 100, 8, ProbeEvaluator.Readout.ATTENTIVE, 600);
            double blind = probe.evaluate(enc, noise, 3).r2Object();
            double twice = probe.evaluate(enc, List.of(squares, squares), 3).r2Object();
            System.out.printf("attentive object R²: noise view %.3f, the squares seen twice %.3f%n", blind, twice);
            assertThat(blind).isLessThan(0.1);
            assertThat(twice).isGreaterThan(0.4);
        }
    }

    @Test void refusesAProbeWithoutValidationRows() {
        try (NDManager m = NDManager.newBaseManager()) {
            Data d = marked(m, 100, 4);
            assertThatThrownBy(() -> AttentiveProbe.probe(d.tokens(), d.targets(), 80, 80, new int[] {3},
                    AttentiveProbe.Settings.of(AttentiveProbe.DEFAULT_STEPS, 1), 1e-3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("validation");
        }
    }

    @Test void readoutNamesAreParsed() {
        assertThat(ProbeEvaluator.Readout.parse("Attentive")).isEqualTo(ProbeEvaluator.Readout.ATTENTIVE);
        assertThatThrownBy(() -> ProbeEvaluator.Readout.parse("mlp")).hasMessageContaining("linear or attentive");
        assertThatThrownBy(() -> new ProbeEvaluator(100, 50, 8, ProbeEvaluator.Readout.ATTENTIVE, 0))
                .hasMessageContaining("steps");
    }
}
