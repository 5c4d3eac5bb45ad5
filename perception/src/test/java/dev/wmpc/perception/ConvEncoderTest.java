package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.WmpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvEncoderTest {
    static final ConvEncoder.Config CONFIG = new ConvEncoder.Config(16, new int[] {4, 8}, 16, 8);

    static CameraFrame frame(int seed) {
        byte[] rgb = new byte[16 * 16 * 3];
        new java.util.Random(seed).nextBytes(rgb);
        return new CameraFrame("front", 16, 16, PixelEncoding.RGB8, rgb, 0);
    }

    @Test
    void savedAndLoadedEncodersGiveTheSameLatents(@TempDir Path dir) {
        try (ConvEncoder e = ConvEncoder.create(CONFIG, Device.cpu(), 1); NDManager m = NDManager.newBaseManager()) {
            e.save(dir);
            assertThat(ConvEncoder.isConvEncoder(dir)).isTrue();
            float[] a = e.encodeFrame(m, frame(2)).toFloatArray();
            assertThat(a).hasSize(8);
            try (ConvEncoder back = ConvEncoder.load(dir, Device.cpu())) {
                assertThat(back.config()).isEqualTo(CONFIG);
                assertThat(back.encodeFrame(m, frame(2)).toFloatArray()).containsExactly(a);
                assertThat(back.encodeFrame(m, frame(3)).toFloatArray()).isNotEqualTo(a);
            }
        }
    }

    @Test
    void thePixelsBaselineIsTheFrameAveragedOverItsGridCells(@TempDir Path dir) {
        ConvEncoder.Config pixels = ConvEncoder.Config.pixels(16, 4).withStateHead(java.util.List.of("ee_x"), null, null);
        assertThat(pixels.latentDim()).isEqualTo(48);
        try (ConvEncoder e = ConvEncoder.create(pixels, Device.cpu(), 1); NDManager m = NDManager.newBaseManager()) {
            // only the state head learns: no convolution, no projector
            assertThat(e.parameters()).allMatch(p -> p.getName().startsWith("state_head"));
            CameraFrame f = frame(5);
            float[] z = e.encodeFrame(m, f).toFloatArray();
            float[] x = new FramePreprocessor(16).preprocess(f); // [3, 16, 16]
            // cell (row 1, column 2) of channel 2: the mean of its 4x4 preprocessed pixels
            double sum = 0;
            for (int r = 4; r < 8; r++) for (int c = 8; c < 12; c++) sum += x[2 * 256 + r * 16 + c];
            assertThat((double) z[2 * 16 + 4 + 2]).isCloseTo(sum / 16, org.assertj.core.data.Offset.offset(1e-5));
            e.save(dir);
            assertThat(ConvEncoder.isConvEncoder(dir)).isTrue();
            try (ConvEncoder back = ConvEncoder.load(dir, Device.cpu())) {
                assertThat(back.config()).isEqualTo(pixels);
                assertThat(back.encodeFrame(m, f).toFloatArray()).containsExactly(z);
                assertThat(back.readState(back.encodeFrame(m, f)).toFloatArray()).containsExactly(e.readState(e.encodeFrame(m, f)).toFloatArray());
            }
        }
        assertThatThrownBy(() -> new ConvEncoder.Config("pixels", 16, new int[0], 0, 50, null, null, null))
                .hasMessageContaining("3*g*g");
    }

    @Test
    void theStateHeadIsSavedWithTheEncoderAndReadsInTheStatesUnits(@TempDir Path dir) {
        ConvEncoder.Config withHead = CONFIG.withStateHead(java.util.List.of("ee_x", "gripper"), new float[] {0.5f, 0.3f},
                new float[] {0.1f, 0.4f});
        try (ConvEncoder e = ConvEncoder.create(withHead, Device.cpu(), 1); NDManager m = NDManager.newBaseManager()) {
            e.save(dir);
            var z = e.encodeFrame(m, frame(2));
            float[] read = e.readState(z).toFloatArray(), std = e.readStateStandardised(z).toFloatArray();
            assertThat(read).hasSize(2);
            assertThat(read[0]).isCloseTo(0.5f + 0.1f * std[0], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(read[1]).isCloseTo(0.3f + 0.4f * std[1], org.assertj.core.data.Offset.offset(1e-5f));
            try (ConvEncoder back = ConvEncoder.load(dir, Device.cpu())) {
                assertThat(back.config()).isEqualTo(withHead);
                assertThat(back.readState(back.encodeFrame(m, frame(2))).toFloatArray()).containsExactly(read);
            }
        }
        try (ConvEncoder plain = ConvEncoder.create(CONFIG, Device.cpu(), 1); NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> plain.readState(plain.encodeFrame(m, frame(2)))).hasMessageContaining("no state head");
        }
    }

    @Test
    void aTruncatedWeightFileFailsNamingTheFile(@TempDir Path dir) throws Exception {
        try (ConvEncoder e = ConvEncoder.create(CONFIG, Device.cpu(), 1)) {
            e.save(dir);
        }
        Path params = dir.resolve(ConvEncoder.PARAMS_FILE);
        byte[] all = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> ConvEncoder.load(dir, Device.cpu())).isInstanceOf(WmpcException.class)
                .hasMessageContaining(params.toString()).hasMessageContaining("truncated");
    }

    @Test
    void aConfigThatDoesNotMatchTheWeightsFailsNamingTheParameter(@TempDir Path dir) throws Exception {
        try (ConvEncoder e = ConvEncoder.create(CONFIG, Device.cpu(), 1)) {
            e.save(dir);
        }
        new ConvEncoder.Config(16, new int[] {4, 8}, 16, 12).write(dir.resolve(ConvEncoder.CONFIG_FILE));
        assertThatThrownBy(() -> ConvEncoder.load(dir, Device.cpu())).isInstanceOf(WmpcException.class)
                .hasMessageContaining("proj2.weight").hasMessageContaining(ConvEncoder.PARAMS_FILE);
    }

    @Test
    void badShapesAreRefused() {
        assertThatThrownBy(() -> new ConvEncoder.Config(18, new int[] {4, 8}, 16, 8)).hasMessageContaining("multiple of 2^2");
        assertThatThrownBy(() -> new ConvEncoder.Config("vit", 16, new int[] {4}, 16, 8, null, null, null)).hasMessageContaining("type");
        assertThatThrownBy(() -> CONFIG.withStateHead(java.util.List.of("ee_x"), new float[] {0, 1}, new float[] {1}))
                .hasMessageContaining("1 state names but 2 means");
    }
}
