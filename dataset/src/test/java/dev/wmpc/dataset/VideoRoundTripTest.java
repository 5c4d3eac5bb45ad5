package dev.wmpc.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.dataset.video.EncodedVideo;
import dev.wmpc.dataset.video.Mp4Writer;
import dev.wmpc.dataset.video.H264Encoder;
import dev.wmpc.dataset.video.VideoReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoRoundTripTest {
    @TempDir Path dir;

    static byte[] pattern(int w, int h, int k) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (x * 4 + k * 7);
                rgb[o + 1] = (byte) (y * 4);
                rgb[o + 2] = (byte) (k * 20);
            }
        return rgb;
    }

    @Test void episodesConcatenatedInOneMp4DecodeBackByTimestamp() throws Exception {
        int w = 64, h = 64, fps = 5;
        List<EncodedVideo> eps = new ArrayList<>();
        int[] lengths = {7, 12, 5};
        for (int len : lengths) {
            try (H264Encoder enc = new H264Encoder(w, h, fps)) {
                for (int k = 0; k < len; k++) enc.encode(pattern(w, h, k));
                eps.add(enc.finish());
            }
        }
        assertThat(eps.get(1).compatibleWith(eps.get(0))).isTrue();
        Path mp4 = dir.resolve("v.mp4");
        Mp4Writer.write(mp4, eps);
        double[] starts = Mp4Writer.startTimes(eps);
        try (VideoReader r = new VideoReader(mp4)) {
            assertThat(r.countFrames()).isEqualTo(24);
            List<byte[]> second = r.decode(starts[1], starts[2], 1.0 / fps);
            assertThat(second).hasSize(12);
            double worst = 0;
            for (int k = 0; k < 12; k++) worst = Math.max(worst, meanAbsDiff(second.get(k), pattern(w, h, k)));
            System.out.printf("worst mean abs error %.2f, %d bytes for 24 frames%n", worst, java.nio.file.Files.size(mp4));
            assertThat(worst).isLessThan(6.0);
            assertThat(meanAbsDiff(second.get(3), pattern(w, h, 9))).isGreaterThan(10.0);
        }
        long t0 = System.nanoTime();
        int n = 2000;
        try (H264Encoder enc = new H264Encoder(w, h, fps)) {
            for (int k = 0; k < n; k++) enc.encode(pattern(w, h, k));
            enc.finish();
        }
        System.out.printf("encode 64x64: %.0f frames/s%n", n / ((System.nanoTime() - t0) / 1e9));
    }

    static double meanAbsDiff(byte[] a, byte[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        return (double) s / a.length;
    }
}
