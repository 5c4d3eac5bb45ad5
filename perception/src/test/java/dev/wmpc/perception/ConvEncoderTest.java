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
        assertThatThrownBy(() -> new ConvEncoder.Config("vit", 16, new int[] {4}, 16, 8)).hasMessageContaining("type");
    }
}
