package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test void trainedEncoderBeatsRandomInit() {
        // The plain V-JEPA objective. On these synthetic squares (32 px, a 64-wide encoder, 150 steps) the spread
        // penalty does not lift the probes (object R² 0.743 at lr 3e-4 against 0.779 plain, random init 0.740); its
        // effect on simulator scenes is measured in docs/BENCHMARKS.md, and JepaTrainerTest checks what it does.
        TrainConfig tc = TrainConfig.defaults(150, 8, 11).withLearningRate(1e-3, 10).withRegulariser(0, 0);
        try (MovingSquaresSource src = new MovingSquaresSource(40, 30, 32, 5);
             JepaTrainer t = JepaTrainer.create(JepaTrainerTest.SMALL_TEST, tc, Device.cpu())) {
            long t0 = System.nanoTime();
            t.train(src, null, null);
            System.out.printf("train %.1fs%n", (System.nanoTime() - t0) / 1e9);
            try (VideoEncoder enc = t.encoder()) {
                long t1 = System.nanoTime();
                ProbeEvaluator.Report r = new ProbeEvaluator(600, 300).evaluate(enc, src, 3);
                System.out.printf("probe %.1fs: ee %.3f (random %.3f), object %.3f (random %.3f)%n", (System.nanoTime() - t1) / 1e9,
                        r.r2Ee(), r.r2EeRandomInit(), r.r2Object(), r.r2ObjectRandomInit());
                assertThat(r.r2Ee()).isGreaterThan(r.r2EeRandomInit());
                assertThat(r.r2Object()).isGreaterThan(r.r2ObjectRandomInit());
            }
        }
    }

    @Test void blockSizeOfTheSumsDoesNotChangeTheResult() {
        // The training rows' XᵀX is summed in blocks; blocks smaller than the validation split (flushed while the
        // rows are still read) must give the same probe as one block for everything.
        try (MovingSquaresSource src = new MovingSquaresSource(20, 30, 32, 5);
             VideoEncoder enc = VideoEncoder.create(JepaTrainerTest.SMALL_TEST, 4)) {
            ProbeEvaluator.Report small = new ProbeEvaluator(400, 100, 8, 16).evaluate(enc, src, 3);
            ProbeEvaluator.Report one = new ProbeEvaluator(400, 100, 8, 100_000).evaluate(enc, src, 3);
            assertThat(small.trainSamples()).isGreaterThan(3 * 16);
            assertThat(small.r2Ee()).isCloseTo(one.r2Ee(), org.assertj.core.api.Assertions.within(1e-3));
            assertThat(small.r2Object()).isCloseTo(one.r2Object(), org.assertj.core.api.Assertions.within(1e-3));
            assertThat(small.r2EeRandomInit()).isCloseTo(one.r2EeRandomInit(), org.assertj.core.api.Assertions.within(1e-3));
        }
    }
}
