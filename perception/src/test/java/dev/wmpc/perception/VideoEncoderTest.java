package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.WmpcException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoEncoderTest {
    @TempDir Path dir;

    static NDArray randomClips(NDManager m, int b, int t, int size, long seed) {
        Random r = new Random(seed);
        float[] v = new float[b * t * 3 * size * size];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return m.create(v, new Shape(b, t, 3, size, size));
    }

    @Test void tinyPresetOutputsTokenLatentsPerTubelet() {
        EncoderConfig c = EncoderConfig.tiny();
        assertThat(c.gridSize()).isEqualTo(8);
        try (VideoEncoder enc = VideoEncoder.create(c, 1); NDManager m = NDManager.newBaseManager()) {
            NDArray lat = enc.encode(m, randomClips(m, 2, 4, 64, 3));
            assertThat(lat.getShape()).isEqualTo(new Shape(2, 2, 64, 192));
            assertThat(VideoEncoder.pool(lat).getShape()).isEqualTo(new Shape(2, 2, 192));
            // Per-token LayerNorm at the output: each token has mean ~0 over its 192 dims (affine is identity at init).
            float[] means = lat.mean(new int[] {3}).toFloatArray();
            for (float mu : means) assertThat(Math.abs(mu)).isLessThan(1e-3f);
            // Different tubelets see different positions: their latents differ even for identical frames.
            NDArray same = enc.encode(m, randomClips(m, 1, 2, 64, 4).repeat(1, 2));
            assertThat(same.get(":, 0").sub(same.get(":, 1")).abs().max().getFloat()).isGreaterThan(1e-3f);
        }
    }

    @Test void rejectsWrongClipShape() {
        try (VideoEncoder enc = VideoEncoder.create(EncoderConfig.tiny(), 1); NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> enc.encode(m, randomClips(m, 1, 2, 32, 1)))
                    .hasMessageContaining("[B, T, 3, 64, 64]");
            assertThatThrownBy(() -> enc.encode(m, randomClips(m, 1, 3, 64, 1)))
                    .hasMessageContaining("3 frames").hasMessageContaining("tubelet");
        }
    }

    @Test void saveThenLoadGivesIdenticalOutputs() throws Exception {
        EncoderConfig c = JepaTrainerTest.SMALL_TEST;
        try (VideoEncoder enc = VideoEncoder.create(c, 7); NDManager m = NDManager.newBaseManager()) {
            NDArray clips = randomClips(m, 2, 4, 32, 9);
            float[] before = enc.encode(m, clips).toFloatArray();
            enc.save(dir.resolve("model"));
            assertThat(dir.resolve("model/config.json")).exists();
            assertThat(dir.resolve("model/encoder.params")).exists();
            try (Stream<Path> leftovers = Files.list(dir.resolve("model"))) {
                assertThat(leftovers.count()).as("no temporary files left").isEqualTo(2);
            }
            try (VideoEncoder loaded = VideoEncoder.load(dir.resolve("model"))) {
                assertThat(loaded.config()).isEqualTo(c);
                assertThat(loaded.encode(m, clips).toFloatArray()).containsExactly(before);
            }
        }
    }

    @Test void wrongShapeInModelFileNamesTheLayer() throws Exception {
        EncoderConfig c = JepaTrainerTest.SMALL_TEST;
        try (VideoEncoder enc = VideoEncoder.create(c, 7)) {
            enc.save(dir.resolve("model"));
        }
        // Rewrite the params with one layer of the wrong width.
        Path params = dir.resolve("model/encoder.params");
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = NDList.decode(m, Files.readAllBytes(params));
            NDList out = new NDList();
            for (NDArray a : list) {
                NDArray b = a.getName().equals("blocks.1.mlp.fc1.weight") ? m.zeros(new Shape(100, 64)) : a;
                b.setName(a.getName());
                out.add(b);
            }
            try (OutputStream os = Files.newOutputStream(params)) { out.encode(os); }
        }
        assertThatThrownBy(() -> VideoEncoder.load(dir.resolve("model")))
                .isInstanceOf(WmpcException.class)
                .hasMessageContaining("blocks.1.mlp.fc1.weight")
                .hasMessageContaining("(100, 64)")
                .hasMessageContaining("(256, 64)");
        // A config for another width: the first layer is already wrong.
        Files.writeString(dir.resolve("model/config.json"), new EncoderConfig(32, 8, 2, 96, 2, 2, 4, 32, 1, 2).toJson());
        assertThatThrownBy(() -> VideoEncoder.load(dir.resolve("model"))).hasMessageContaining("patch_embed.weight");
        assertThatThrownBy(() -> VideoEncoder.load(dir.resolve("nothing"))).hasMessageContaining("is not a folder");
    }

    @Test void convolutionalStemIsPartOfTheModelFile() throws Exception {
        EncoderConfig c = JepaTrainerTest.SMALL_TEST.withStemChannels(16); // patch 8: three layers, 4, 8, 16 channels
        assertThat(c.stemChannelsAt(1)).isEqualTo(4);
        assertThat(c.stemChannelsAt(3)).isEqualTo(16);
        try (VideoEncoder enc = VideoEncoder.create(c, 7); VideoEncoder plain = VideoEncoder.create(JepaTrainerTest.SMALL_TEST, 7);
             NDManager m = NDManager.newBaseManager()) {
            NDArray clips = randomClips(m, 2, 4, 32, 9);
            float[] before = enc.encode(m, clips).toFloatArray();
            assertThat(before).as("the stem adds to the linear patch embedding").isNotEqualTo(plain.encode(m, clips).toFloatArray());
            enc.save(dir.resolve("model"));
            assertThat(Files.readString(dir.resolve("model/config.json"))).contains("\"stemChannels\" : 16");
            try (VideoEncoder loaded = VideoEncoder.load(dir.resolve("model"))) {
                assertThat(loaded.config()).isEqualTo(c);
                assertThat(loaded.encode(m, clips).toFloatArray()).containsExactly(before);
            }
        }
        // The same parameters under a config without the stem: the file has layers the config does not know.
        Files.writeString(dir.resolve("model/config.json"), JepaTrainerTest.SMALL_TEST.toJson());
        assertThatThrownBy(() -> VideoEncoder.load(dir.resolve("model"))).hasMessageContaining("stem.conv1.weight");
        // Models written before the stem existed have no such field: they have no stem.
        String old = JepaTrainerTest.SMALL_TEST.toJson().replaceAll(",\\s*\"stemChannels\"\\s*:\\s*0", "");
        assertThat(old).doesNotContain("stemChannels");
        assertThat(EncoderConfig.fromJson(old, "old.json")).isEqualTo(JepaTrainerTest.SMALL_TEST);
        // Stems that cannot end on the patch grid.
        assertThatThrownBy(() -> new EncoderConfig(36, 6, 2, 64, 2, 2, 4, 32, 1, 2, 16)).hasMessageContaining("power-of-two patchSize");
        assertThatThrownBy(() -> JepaTrainerTest.SMALL_TEST.withStemChannels(10)).hasMessageContaining("multiple of 4");
    }

    @Test void encodeFramesAcceptsCameraFramesOfAnyEncodingAndSize() {
        EncoderConfig c = JepaTrainerTest.SMALL_TEST;
        List<CameraFrame> frames = new ArrayList<>();
        frames.add(new CameraFrame("cam", 80, 60, PixelEncoding.BGRA8, new byte[80 * 60 * 4], 0.0));
        frames.add(new CameraFrame("cam", 16, 16, PixelEncoding.MONO8, new byte[16 * 16], 0.1));
        try (VideoEncoder enc = VideoEncoder.create(c, 7); NDManager m = NDManager.newBaseManager()) {
            assertThat(enc.encodeFrames(m, frames).getShape()).isEqualTo(new Shape(1, 1, 16, 64));
            assertThatThrownBy(() -> enc.encodeFrames(m, frames.subList(0, 1))).hasMessageContaining("multiple of 2");
        }
    }

    @Test void noGpuGivesClearError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ai.djl.engine.Engine.getInstance().getGpuCount() == 0);
        assertThatThrownBy(() -> VideoEncoder.parseDevice("gpu")).isInstanceOf(WmpcException.class).hasMessageContaining("no CUDA GPU");
        assertThatThrownBy(() -> VideoEncoder.parseDevice("tpu")).hasMessageContaining("choose cpu, gpu");
    }
}
