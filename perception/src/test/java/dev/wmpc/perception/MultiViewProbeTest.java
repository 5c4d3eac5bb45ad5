package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wmpc.core.WmpcException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiViewProbeTest {
    /** The same episodes and targets as {@code of}, seen by a camera that shows only noise. */
    static final class NoiseView implements ClipSource {
        private final ClipSource of;

        NoiseView(ClipSource of) { this.of = of; }

        @Override public int episodes() { return of.episodes(); }
        @Override public int length(int episode) { return of.length(episode); }
        @Override public String describe() { return "noise view of " + of.describe(); }

        @Override public VideoClip clip(int episode, int start, int frames) {
            VideoClip c = of.clip(episode, start, frames);
            byte[] rgb = new byte[c.rgb().length];
            new Random(episode * 1000L + start).nextBytes(rgb);
            return new VideoClip(episode, start, frames, c.width(), c.height(), rgb, c.state(), c.eePosition(), c.objectPosition());
        }
    }

    @Test void aSecondViewAddsWhatTheFirstCannotSee() {
        try (MovingSquaresSource squares = new MovingSquaresSource(20, 30, 32, 5);
             VideoEncoder enc = VideoEncoder.create(JepaTrainerTest.SMALL_TEST, 4)) {
            NoiseView noise = new NoiseView(squares);
            ProbeEvaluator probe = new ProbeEvaluator(400, 100, 8);
            ProbeEvaluator.Report blind = probe.evaluate(enc, noise, 3);
            ProbeEvaluator.Report both = probe.evaluate(enc, List.of(noise, squares), 3);
            ProbeEvaluator.Report alone = probe.evaluate(enc, squares, 3);
            System.out.printf("object R²: noise view %.3f, noise + squares %.3f, squares alone %.3f%n",
                    blind.r2Object(), both.r2Object(), alone.r2Object());
            assertThat(blind.r2Object()).isLessThan(0.2);
            assertThat(both.r2Object()).isGreaterThan(0.5).isGreaterThan(blind.r2Object() + 0.4);
            // The noise view's features only add noise dimensions to the squares' own.
            assertThat(both.r2Object()).isCloseTo(alone.r2Object(), org.assertj.core.api.Assertions.within(0.1));
            assertThat(both.trainSamples()).isEqualTo(alone.trainSamples());
        }
    }

    @Test void viewsMustHoldTheSameEpisodes() {
        try (MovingSquaresSource a = new MovingSquaresSource(20, 30, 32, 5);
             MovingSquaresSource b = new MovingSquaresSource(20, 24, 32, 5);
             VideoEncoder enc = VideoEncoder.create(JepaTrainerTest.SMALL_TEST, 4)) {
            assertThatThrownBy(() -> new ProbeEvaluator(400, 100, 8).evaluate(enc, List.of(a, b), 3))
                    .isInstanceOf(WmpcException.class).hasMessageContaining("do not hold the same episodes");
        }
    }

    @Test void aCameraMixHoldsEveryCamerasEpisodes() {
        MovingSquaresSource squares = new MovingSquaresSource(6, 10, 32, 5);
        try (CameraMixSource mix = new CameraMixSource(List.of(squares, new NoiseView(squares)))) {
            assertThat(mix.episodes()).isEqualTo(12);
            assertThat(mix.length(7)).isEqualTo(10);
            VideoClip front = mix.clip(2, 3, 2), side = mix.clip(8, 3, 2);
            assertThat(front.episode()).isEqualTo(2);
            assertThat(side.episode()).isEqualTo(8);
            assertThat(side.objectPosition()).isDeepEqualTo(front.objectPosition());
            assertThat(side.rgb()).isNotEqualTo(front.rgb());
            assertThat(front.rgb()).isEqualTo(squares.clip(2, 3, 2).rgb());
        }
    }

    @Test void syntheticDataHasNoNamedCameras() {
        assertThatThrownBy(() -> ClipSource.openViews("synthetic", 1, "front,side"))
                .isInstanceOf(WmpcException.class).hasMessageContaining("synthetic data has one unnamed camera");
        assertThatThrownBy(() -> ClipSource.openViews("synthetic", 1, "front,front"))
                .isInstanceOf(WmpcException.class).hasMessageContaining("names a camera twice");
    }
}
