package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskGeneratorTest {
    @Test void oneBlockIsABoxOfTheConfiguredSizeAcrossTime() {
        MaskGenerator gen = new MaskGenerator(4, 8, 8);
        MaskSpec spec = new MaskSpec("one", 1, 0.25, 1.0, 1.0, 0.5);
        Random rng = new Random(1);
        for (int i = 0; i < 50; i++) {
            MaskGenerator.TokenMask m = gen.sample(spec, rng);
            // 25% of 8x8 = 16 tokens = 4x4, over half of 4 tubelets = 2.
            assertThat(m.maskedCount()).isEqualTo(4 * 4 * 2);
            int[] t = m.target();
            int tMin = 99, tMax = -1, hMin = 99, hMax = -1, wMin = 99, wMax = -1;
            for (int idx : t) {
                int tt = idx / 64, hh = (idx / 8) % 8, ww = idx % 8;
                tMin = Math.min(tMin, tt); tMax = Math.max(tMax, tt);
                hMin = Math.min(hMin, hh); hMax = Math.max(hMax, hh);
                wMin = Math.min(wMin, ww); wMax = Math.max(wMax, ww);
            }
            assertThat(new int[] {tMax - tMin + 1, hMax - hMin + 1, wMax - wMin + 1}).containsExactly(2, 4, 4);
            assertThat(m.context().length + m.target().length).isEqualTo(256);
        }
    }

    @Test void blockShapesFollowScaleAndAspect() {
        MaskGenerator gen = new MaskGenerator(2, 16, 16);
        Random rng = new Random(2);
        for (int i = 0; i < 200; i++) {
            MaskGenerator.BlockShape s = gen.blockShape(MaskSpec.shortRange(), rng);
            double area = s.h() * s.w();
            assertThat(area / 256).isBetween(0.10, 0.21);
            assertThat((double) s.h() / s.w()).isBetween(0.6, 1.9);
            assertThat(s.t()).isEqualTo(2);
        }
    }

    @Test void longRangeMasksMoreThanShortRangeAndRatiosAreStable() {
        MaskGenerator gen = new MaskGenerator(2, 8, 8);
        Random rng = new Random(3);
        double shortRatio = 0, longRatio = 0;
        int n = 400;
        for (int i = 0; i < n; i++) {
            shortRatio += gen.sample(MaskSpec.shortRange(), rng).maskedCount() / 128.0 / n;
            longRatio += gen.sample(MaskSpec.longRange(), rng).maskedCount() / 128.0 / n;
        }
        // Union of 8 blocks of ~15% (short) vs 2 blocks of ~70% (long), as V-JEPA.
        assertThat(shortRatio).isBetween(0.55, 0.85);
        assertThat(longRatio).isBetween(0.75, 0.95);
        assertThat(longRatio).isGreaterThan(shortRatio);
    }

    @Test void batchesShareCountsAndIndicesAreDisjoint() {
        MaskGenerator gen = new MaskGenerator(2, 8, 8);
        MaskGenerator.BatchMask b = gen.sampleBatch(MaskSpec.longRange(), 6, new Random(4));
        assertThat(b.context()).hasSize(6 * b.contextCount());
        assertThat(b.target()).hasSize(6 * b.targetCount());
        assertThat(b.contextCount()).isGreaterThanOrEqualTo(128 / 16);
        for (int i = 0; i < 6; i++) {
            java.util.Set<Long> ctx = new java.util.HashSet<>();
            for (int k = 0; k < b.contextCount(); k++) ctx.add(b.context()[i * b.contextCount() + k]);
            assertThat(ctx).hasSize(b.contextCount());
            for (int k = 0; k < b.targetCount(); k++) assertThat(ctx).doesNotContain(b.target()[i * b.targetCount() + k]);
        }
    }
}
