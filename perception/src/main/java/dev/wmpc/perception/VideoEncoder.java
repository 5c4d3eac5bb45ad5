package dev.wmpc.perception;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The V-JEPA video encoder (the earlier pipeline, kept as a baseline: trained alone, then frozen under a predictor): clips {@code [B, T, 3, S, S]} (preprocessed frames,
 * see {@link FramePreprocessor}) → patch-token latents {@code [B, T/2, N, D]}, one {@code [N, D]} map per 2-frame
 * tubelet, plus a pooled vector per tubelet. Owns its parameters' native memory: close it.
 *
 * <p>A model is a folder holding {@code config.json} ({@link EncoderConfig}) and {@code encoder.params}
 * (DJL NDList of named weights).
 */
public final class VideoEncoder implements FrameEncoder {
    public static final String CONFIG_FILE = "config.json";
    public static final String PARAMS_FILE = "encoder.params";

    private final EncoderNetwork network;
    private final NDManager manager;
    private final ParameterSet params;
    private final Device device;

    private VideoEncoder(EncoderNetwork network, NDManager manager, ParameterSet params) {
        this.network = network;
        this.manager = manager;
        this.params = params;
        this.device = manager.getDevice();
    }

    /** A freshly initialised encoder (random weights from the seed) on the CPU. */
    public static VideoEncoder create(EncoderConfig config, long seed) {
        return create(config, seed, Device.cpu());
    }

    public static VideoEncoder create(EncoderConfig config, long seed, Device device) {
        NDManager m = NDManager.newBaseManager(checkDevice(device));
        try {
            return new VideoEncoder(new EncoderNetwork(config, m), m, ParameterSet.create(m, EncoderNetwork.layout(config), seed));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Loads a model folder on the CPU. */
    public static VideoEncoder load(Path dir) {
        return load(dir, Device.cpu());
    }

    /** Loads a model folder; a parameter with the wrong name or shape fails naming that layer. */
    public static VideoEncoder load(Path dir, Device device) {
        if (!Files.isDirectory(dir))
            throw new WmpcException("encoder model " + dir + " is not a folder: pass a folder written by 'wmpc train encoder'");
        EncoderConfig config = EncoderConfig.read(dir.resolve(CONFIG_FILE));
        NDManager m = NDManager.newBaseManager(checkDevice(device));
        try {
            return new VideoEncoder(new EncoderNetwork(config, m), m,
                    ParameterSet.load(m, EncoderNetwork.layout(config), dir.resolve(PARAMS_FILE)));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Wraps parameters (copied) of a training run. */
    static VideoEncoder fromParameters(EncoderConfig config, ParameterSet source) {
        NDManager m = NDManager.newBaseManager(source.manager().getDevice());
        try {
            return new VideoEncoder(new EncoderNetwork(config, m), m, source.copy(m));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Checks a device exists; a GPU without CUDA gives a clear error instead of a native crash. */
    public static Device checkDevice(Device device) {
        if (device.isGpu()) {
            int gpus = Engine.getInstance().getGpuCount();
            if (gpus == 0)
                throw new WmpcException("--device gpu: PyTorch sees no CUDA GPU on this machine (the bundled native library is the CPU build; "
                        + "add ai.djl.pytorch:pytorch-native-cu* for CUDA) — use --device cpu");
            if (device.getDeviceId() >= gpus)
                throw new WmpcException("--device gpu:" + device.getDeviceId() + ": only " + gpus + " GPU(s) visible");
        }
        return device;
    }

    /** Parses a --device value: cpu, gpu or gpu:N. */
    public static Device parseDevice(String name) {
        String n = name == null ? "cpu" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("cpu")) return Device.cpu();
        if (n.equals("gpu") || n.equals("cuda")) return checkDevice(Device.gpu());
        if (n.startsWith("gpu:")) {
            try {
                return checkDevice(Device.gpu(Integer.parseInt(n.substring(4))));
            } catch (NumberFormatException e) {
                throw WmpcException.usage("bad --device '" + name + "': choose cpu, gpu or gpu:N");
            }
        }
        throw WmpcException.usage("bad --device '" + name + "': choose cpu, gpu or gpu:N");
    }

    /** Writes config.json and encoder.params; each file is written to a temporary name and renamed into place. */
    public void save(Path dir) {
        save(dir, network.config(), params);
    }

    static void save(Path dir, EncoderConfig config, ParameterSet params) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, ".save-");
            try {
                params.save(tmp.resolve(PARAMS_FILE));
                Files.writeString(tmp.resolve(CONFIG_FILE), config.toJson());
                Durable.move(tmp.resolve(PARAMS_FILE), dir.resolve(PARAMS_FILE));
                Durable.move(tmp.resolve(CONFIG_FILE), dir.resolve(CONFIG_FILE));
            } finally {
                Durable.deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new WmpcException("cannot save encoder to " + dir + ": " + e.getMessage(), e);
        }
    }

    public EncoderConfig config() { return network.config(); }

    public Device device() { return device; }

    /** Parameter count. */
    public long parameterCount() { return params.size(); }

    /** Clips {@code [B, T, 3, S, S]} → latents {@code [B, T/tubelet, N, D]}, created in the given manager. */
    public NDArray encode(NDManager scope, NDArray clips) {
        NDArray x = clips.getDevice().equals(device) ? clips : clips.toDevice(device, false);
        if (x != clips) x.attach(scope);
        long b = x.getShape().get(0);
        int t = network.tubelets(x.getShape().get(1));
        NDArray tokens;
        try (NDManager tmp = scope.newSubManager()) {
            x.tempAttach(tmp);
            tokens = network.forward(params, x);
            tokens.attach(scope);
        }
        EncoderConfig c = network.config();
        return tokens.reshape(b, t, c.tokensPerTubelet(), c.dim());
    }

    /** Frames of one camera, oldest first (a multiple of the tubelet length) → latents {@code [1, T/tubelet, N, D]}. */
    public NDArray encodeFrames(NDManager scope, List<CameraFrame> frames) {
        EncoderConfig c = network.config();
        if (frames.isEmpty() || frames.size() % c.tubelet() != 0)
            throw new WmpcException("encodeFrames got " + frames.size() + " frames: pass a positive multiple of " + c.tubelet());
        FramePreprocessor pre = new FramePreprocessor(c.imageSize());
        float[] data = new float[frames.size() * pre.frameLength()];
        for (int i = 0; i < frames.size(); i++) pre.preprocess(frames.get(i), data, i * pre.frameLength());
        NDArray clips = scope.create(data, new Shape(1, frames.size(), 3, c.imageSize(), c.imageSize()));
        return encode(scope, clips);
    }

    @Override public int imageSize() { return network.config().imageSize(); }

    @Override public int tokens() { return network.config().tokensPerTubelet(); }

    @Override public int width() { return network.config().dim(); }

    /** One frame repeated to fill a tubelet (as V-JEPA 2-AC encodes single images) → {@code [N, D]}. */
    @Override public NDArray encodeFrame(NDManager scope, CameraFrame frame) {
        EncoderConfig c = network.config();
        return encodeFrames(scope, java.util.Collections.nCopies(c.tubelet(), frame)).reshape(c.tokensPerTubelet(), c.dim());
    }

    /** Mean over patch tokens: {@code [B, T', N, D]} → {@code [B, T', D]}. */
    public static NDArray pool(NDArray latents) {
        return latents.mean(new int[] {2});
    }

    @Override public void close() {
        manager.close();
    }
}
