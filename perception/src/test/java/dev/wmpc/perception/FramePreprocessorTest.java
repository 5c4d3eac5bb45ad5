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
        // Colour goes through the video's limited-range YUV: within 2 of 255 levels of what was sent.
        float level = 2 / 255f / 0.224f;
        for (int[] size : new int[][] {{640, 480}, {16, 16}, {7, 9}}) {
            float[] rgb = p.preprocess(solid(PixelEncoding.RGB8, size[0], size[1], 200, 100, 50, 0));
            assertThat(rgb).hasSize(3 * 16 * 16);
            assertThat(rgb[0]).as("red").isCloseTo((200 / 255f - 0.485f) / 0.229f, within(level));
            assertThat(rgb[256 + 5]).as("green").isCloseTo((100 / 255f - 0.456f) / 0.224f, within(level));
            assertThat(rgb[512 + 255]).as("blue").isCloseTo((50 / 255f - 0.406f) / 0.225f, within(level));
            for (PixelEncoding enc : new PixelEncoding[] {PixelEncoding.BGR8, PixelEncoding.RGBA8, PixelEncoding.BGRA8})
                assertThat(p.preprocess(solid(enc, size[0], size[1], 200, 100, 50, 0))).as(enc + " as rgb8").containsExactly(rgb);
        }
        float[] mono = p.preprocess(solid(PixelEncoding.MONO8, 32, 32, 128, 0, 0, 0));
        assertThat(mono[0]).isCloseTo((128 / 255f - 0.485f) / 0.229f, within(1e-4f));
        assertThat(mono[512]).isCloseTo((128 / 255f - 0.406f) / 0.225f, within(1e-4f));
    }

    @Test void liveFramesSeeColourAsRecordedVideoCarriesIt() {
        // A red pixel on grey: 4:2:0 video keeps one colour sample per 2x2 pixels, so the red spreads over its block
        // and fades; a live frame must reach the encoder the same way, and a frame that already went through it
        // (decoded from a dataset) passes unchanged up to rounding.
        byte[] d = new byte[8 * 8 * 3];
        java.util.Arrays.fill(d, (byte) 128);
        d[(2 * 8 + 2) * 3] = (byte) 255;
        d[(2 * 8 + 2) * 3 + 1] = 0;
        d[(2 * 8 + 2) * 3 + 2] = 0;
        FramePreprocessor p = new FramePreprocessor(8);
        float[] out = p.preprocess(new CameraFrame("c", 8, 8, PixelEncoding.RGB8, d, 0));
        float red = out[2 * 8 + 2] * 0.229f + 0.485f, neighbourRed = out[2 * 8 + 3] * 0.229f + 0.485f;
        assertThat(red).as("the red pixel fades").isLessThan(0.9f);
        assertThat(neighbourRed).as("its block neighbour turns red").isGreaterThan(128 / 255f + 0.05f);
        byte[] once = dev.wmpc.dataset.video.Yuv.roundTrip420(d, 8, 8);
        assertThat(p.preprocess(new CameraFrame("c", 8, 8, PixelEncoding.RGB8, once, 0)))
                .usingElementComparator((a, b) -> Math.abs(a - b) <= 3 / 255f / 0.224f ? 0 : Float.compare(a, b))
                .containsExactly(toObjects(out));
    }

    private static Float[] toObjects(float[] v) {
        Float[] o = new Float[v.length];
        for (int i = 0; i < v.length; i++) o[i] = v[i];
        return o;
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
