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
}
