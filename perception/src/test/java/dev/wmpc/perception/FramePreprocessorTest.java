package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.WmpcException;
import org.junit.jupiter.api.Test;

class FramePreprocessorTest {
    static CameraFrame solid(PixelEncoding enc, int w, int h, int r, int g, int b, double t) {
        byte[] d = new byte[w * h * enc.channels()];
        for (int i = 0; i < w * h; i++) {
            int o = i * enc.channels();
            switch (enc) {
                case RGB8, RGBA8 -> { d[o] = (byte) r; d[o + 1] = (byte) g; d[o + 2] = (byte) b; }
                case BGR8, BGRA8 -> { d[o] = (byte) b; d[o + 1] = (byte) g; d[o + 2] = (byte) r; }
                case MONO8 -> d[o] = (byte) r;
            }
        }
        return new CameraFrame("cam", w, h, enc, d, t);
    }

    @Test void everyEncodingGivesTheSameNormalisedColour() {
        FramePreprocessor p = new FramePreprocessor(16);
        for (PixelEncoding enc : new PixelEncoding[] {PixelEncoding.RGB8, PixelEncoding.BGR8, PixelEncoding.RGBA8, PixelEncoding.BGRA8}) {
            for (int[] size : new int[][] {{640, 480}, {16, 16}, {7, 9}}) {
                float[] out = p.preprocess(solid(enc, size[0], size[1], 200, 100, 50, 0));
                assertThat(out).hasSize(3 * 16 * 16);
                assertThat(out[0]).as(enc + " red").isCloseTo((200 / 255f - 0.485f) / 0.229f, within(1e-4f));
                assertThat(out[256 + 5]).as(enc + " green").isCloseTo((100 / 255f - 0.456f) / 0.224f, within(1e-4f));
                assertThat(out[512 + 255]).as(enc + " blue").isCloseTo((50 / 255f - 0.406f) / 0.225f, within(1e-4f));
            }
        }
        float[] mono = p.preprocess(solid(PixelEncoding.MONO8, 32, 32, 128, 0, 0, 0));
        assertThat(mono[0]).isCloseTo((128 / 255f - 0.485f) / 0.229f, within(1e-4f));
        assertThat(mono[512]).isCloseTo((128 / 255f - 0.406f) / 0.225f, within(1e-4f));
    }

    @Test void downscalingAveragesAndKeepsLayout() {
        // Left half white, right half black at 64x64 -> 8x8: columns 0-3 white, 4-7 black.
        byte[] d = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++) for (int x = 0; x < 32; x++) for (int c = 0; c < 3; c++) d[(y * 64 + x) * 3 + c] = (byte) 255;
        float[] out = new FramePreprocessor(8).preprocess(new CameraFrame("c", 64, 64, PixelEncoding.RGB8, d, 0));
        assertThat(out[3]).isCloseTo((1 - 0.485f) / 0.229f, within(1e-4f));
        assertThat(out[4]).isCloseTo(-0.485f / 0.229f, within(1e-4f));
    }

    @Test void badRawFramesNameWhatArrived() {
        FramePreprocessor p = new FramePreprocessor(16);
        assertThatThrownBy(() -> p.preprocessRaw("yuv422", 4, 4, 0, new byte[32]))
                .isInstanceOf(WmpcException.class).hasMessageContaining("'yuv422'").hasMessageContaining("rgb8");
        assertThatThrownBy(() -> p.preprocessRaw("rgb8", 4, 4, 0, new byte[47]))
                .isInstanceOf(WmpcException.class).hasMessageContaining("47 bytes").hasMessageContaining("4x4 rgb8").hasMessageContaining("48");
        assertThatThrownBy(() -> p.preprocessRaw("bgra8", 0, 4, 0, new byte[0])).hasMessageContaining("0x4");
        assertThatThrownBy(() -> p.preprocessRaw("mono8", 4, 4, 3, new byte[16])).hasMessageContaining("row step 3");
        assertThatThrownBy(() -> p.preprocess(null)).isInstanceOf(WmpcException.class).hasMessageContaining("null");
        // Padded rows (step > width * channels) are fine.
        assertThat(p.preprocessRaw("mono8", 4, 4, 8, new byte[8 * 3 + 4])).hasSize(3 * 16 * 16);
        // A wrong buffer never gets this far: CameraFrame itself rejects it, naming the sizes.
        assertThatThrownBy(() -> new CameraFrame("c", 4, 4, PixelEncoding.RGBA8, new byte[48], 0)).hasMessageContaining("48 bytes");
    }

    @Test void clipBufferYieldsTheLastFramesOldestFirst() {
        ClipBuffer buf = new ClipBuffer(new FramePreprocessor(4), 4, 2);
        for (int i = 0; i < 3; i++) assertThat(buf.push(solid(PixelEncoding.MONO8, 8, 8, i * 10, 0, 0, i))).isFalse();
        assertThatThrownBy(buf::clip).hasMessageContaining("3 of 4");
        assertThat(buf.push(solid(PixelEncoding.MONO8, 8, 8, 30, 0, 0, 3))).isTrue();
        assertThat(buf.push(solid(PixelEncoding.MONO8, 8, 8, 40, 0, 0, 4))).isTrue();
        float[] clip = buf.clip();
        int len = 3 * 16;
        for (int f = 0; f < 4; f++)
            assertThat(clip[f * len]).isCloseTo(((f + 1) * 10 / 255f - 0.485f) / 0.229f, within(1e-4f));
        assertThatThrownBy(() -> buf.push(solid(PixelEncoding.MONO8, 8, 8, 0, 0, 0, 1.0)))
                .isInstanceOf(WmpcException.class).hasMessageContaining("time order");
        CameraFrame other = new CameraFrame("wrist", 8, 8, PixelEncoding.MONO8, new byte[64], 9);
        assertThatThrownBy(() -> buf.push(other)).hasMessageContaining("'wrist'");
        assertThatThrownBy(() -> new ClipBuffer(new FramePreprocessor(4), 3, 2)).hasMessageContaining("multiple of the tubelet");
    }
}
