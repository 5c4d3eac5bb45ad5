package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test void trainedEncoderBeatsRandomInit() {
        TrainConfig tc = TrainConfig.defaults(150, 8, 11).withLearningRate(1e-3, 10);
        try (MovingSquaresSource src = new MovingSquaresSource(40, 30, 32, 5);
             JepaTrainer t = JepaTrainer.create(JepaTrainerTest.SMALL_TEST, tc, Device.cpu())) {
            long t0 = System.nanoTime();
            t.train(src, null, null);
            System.out.printf("train %.1fs%n", (System.nanoTime() - t0) / 1e9);
            try (VideoEncoder enc = t.encoder()) {
                long t1 = System.nanoTime();
                ProbeEvaluator.Report r = new ProbeEvaluator(600, 300).evaluate(enc, src, 3);
                System.out.printf("probe %.1fs %s%n", (System.nanoTime() - t1) / 1e9, r);
                assertThat(r.r2Ee()).isGreaterThan(r.r2EeRandomInit());
                assertThat(r.r2Object()).isGreaterThan(r.r2ObjectRandomInit());
            }
        }
    }
}
