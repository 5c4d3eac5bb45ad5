package dev.wmpc.perception;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The end-to-end world model's encoder: one compact latent per camera frame, as LeWorldModel's (there a ViT's CLS
 * token through a projector; here a small CNN, which LeWM's ablation puts within 2 points of the ViT and which runs
 * on a CPU). Four 4x4 stride-2 convolutions with GELU halve the frame each time (64 → 4 pixels), the feature map is
 * flattened, and a projector (linear, LayerNorm, GELU, linear) gives the latent. Trained with the predictor, never
 * alone; SIGReg keeps the latents spread.
 *
 * <p>{@code "type": "pixels"} is the baseline with no learned encoder: the frame average-pooled to a grid of
 * {@code g x g} RGB cells and flattened ({@code latentDim = 3 g^2}, no convolutions, no projector); the predictor and
 * the state head train on it as on a learned latent, so a planner over it asks what learning the latent adds.
 *
 * <p>Folder: {@value #CONFIG_FILE} ({@link Config}, with {@code "type": "conv"} or {@code "pixels"}) and
 * {@value #PARAMS_FILE} (one named array per parameter). Loading checks every name and shape and names the first
 * mismatch.
 */
public final class ConvEncoder implements FrameEncoder {
    public static final String CONFIG_FILE = "config.json";
    public static final String PARAMS_FILE = "parameters.npz";
    public static final String TYPE = "conv";
    /** The type of the pooled-pixels baseline. */
    public static final String PIXELS = "pixels";
    private static final float LN_EPS = 1e-5f;
    private static final Shape KERNEL = new Shape(4, 4), STRIDE = new Shape(2, 2), PAD = new Shape(1, 1), DILATION = new Shape(1, 1);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param imageSize  square input frames (a multiple of 2^channels.length)
     * @param channels   output channels of each stride-2 convolution
     * @param hidden     the projector's hidden width
     * @param latentDim  numbers in one latent
     * @param stateNames robot-state entries the state head reads from a latent (empty: no head)
     * @param stateMean  their training mean (the head predicts standardised values)
     * @param stateStd   their training standard deviation
     */
    public record Config(String type, int imageSize, int[] channels, int hidden, int latentDim, List<String> stateNames,
                         float[] stateMean, float[] stateStd) {
        @JsonCreator
        public Config(@JsonProperty("type") String type, @JsonProperty("imageSize") int imageSize,
                      @JsonProperty("channels") int[] channels, @JsonProperty("hidden") int hidden,
                      @JsonProperty("latentDim") int latentDim, @JsonProperty("stateNames") List<String> stateNames,
                      @JsonProperty("stateMean") float[] stateMean, @JsonProperty("stateStd") float[] stateStd) {
            if (PIXELS.equals(type)) {
                int g = (int) Math.round(Math.sqrt(latentDim / 3.0));
                if (channels == null) channels = new int[0];
                if (channels.length != 0 || hidden != 0 || g < 1 || 3 * g * g != latentDim || imageSize % g != 0)
                    throw new IllegalArgumentException("pixels encoder config: no channels, hidden 0 and latentDim 3*g*g with g "
                            + "dividing the image size " + imageSize + ", got channels " + Arrays.toString(channels)
                            + ", hidden " + hidden + ", latentDim " + latentDim);
            } else {
                if (!TYPE.equals(type))
                    throw new IllegalArgumentException("conv encoder config: type is '" + type + "', expected '" + TYPE + "' or '" + PIXELS + "'");
                if (channels == null || channels.length < 1) throw new IllegalArgumentException("conv encoder config: give at least one convolution");
                for (int c : channels) if (c < 1) throw new IllegalArgumentException("conv encoder config: channels must be >= 1: " + Arrays.toString(channels));
                int cells = imageSize >> channels.length;
                if (imageSize < 8 || cells < 1 || cells << channels.length != imageSize)
                    throw new IllegalArgumentException("conv encoder config: image size " + imageSize + " must be a multiple of 2^"
                            + channels.length + " (one halving per convolution)");
                if (hidden < 1 || latentDim < 1) throw new IllegalArgumentException("conv encoder config: hidden and latentDim must be >= 1");
            }
            this.stateNames = stateNames == null ? List.of() : List.copyOf(stateNames);
            int k = this.stateNames.size();
            this.stateMean = stateMean == null ? new float[k] : stateMean.clone();
            this.stateStd = stateStd == null ? ones(k) : stateStd.clone();
            if (this.stateMean.length != k || this.stateStd.length != k)
                throw new IllegalArgumentException("conv encoder config: " + k + " state names but " + this.stateMean.length
                        + " means and " + this.stateStd.length + " standard deviations");
            for (float v : this.stateStd) if (!(v > 0)) throw new IllegalArgumentException("conv encoder config: state std must be > 0");
            this.type = type;
            this.imageSize = imageSize;
            this.channels = channels.clone();
            this.hidden = hidden;
            this.latentDim = latentDim;
        }

        /** An encoder without a state head. */
        public Config(int imageSize, int[] channels, int hidden, int latentDim) {
            this(TYPE, imageSize, channels, hidden, latentDim, List.of(), null, null);
        }

        /** The pooled-pixels baseline: frames of {@code imageSize} averaged over {@code grid x grid} cells. */
        public static Config pixels(int imageSize, int grid) {
            return new Config(PIXELS, imageSize, new int[0], 0, 3 * grid * grid, List.of(), null, null);
        }

        /** Whether this is the pooled-pixels baseline (no learned encoder). */
        public boolean isPixels() { return PIXELS.equals(type); }

        /** The pixels baseline's grid side. */
        public int grid() { return (int) Math.round(Math.sqrt(latentDim / 3.0)); }

        /** This shape with a state head reading {@code names} (standardised with {@code mean}, {@code std}). */
        public Config withStateHead(List<String> names, float[] mean, float[] std) {
            return new Config(type, imageSize, channels, hidden, latentDim, names, mean, std);
        }

        private static float[] ones(int k) {
            float[] o = new float[k];
            Arrays.fill(o, 1f);
            return o;
        }

        @Override public float[] stateMean() { return stateMean.clone(); }

        @Override public float[] stateStd() { return stateStd.clone(); }

        /** Whether a state head reads the robot state from latents. */
        public boolean hasStateHead() { return !stateNames.isEmpty(); }

        @Override public int[] channels() { return channels.clone(); }

        /** Side of the last feature map. */
        public int cells() { return imageSize >> channels.length; }

        /** Numbers fed to the projector. */
        public int flat() { return channels[channels.length - 1] * cells() * cells(); }

        @Override public boolean equals(Object o) {
            return o instanceof Config c && type.equals(c.type) && imageSize == c.imageSize && Arrays.equals(channels, c.channels)
                    && hidden == c.hidden && latentDim == c.latentDim && stateNames.equals(c.stateNames);
        }

        @Override public int hashCode() { return 31 * (31 * (31 * imageSize + Arrays.hashCode(channels)) + hidden) + latentDim; }

        @Override public String toString() {
            if (isPixels()) return "ConvEncoder.Config[pixels, " + imageSize + "px pooled to " + grid() + "x" + grid()
                    + (stateNames.isEmpty() ? "" : ", state head " + stateNames) + "]";
            return "ConvEncoder.Config[" + imageSize + "px, channels " + Arrays.toString(channels) + ", hidden " + hidden
                    + ", latent " + latentDim + (stateNames.isEmpty() ? "" : ", state head " + stateNames) + "]";
        }

        public void write(Path file) throws IOException { Files.writeString(file, JSON.writeValueAsString(this)); }

        public static Config read(Path file) {
            try {
                return JSON.readValue(file.toFile(), Config.class);
            } catch (IOException | RuntimeException e) {
                throw new WmpcException("cannot read encoder config " + file + ": " + e.getMessage()
                        + " (retrain the model with 'wmpc train world-model')", e);
            }
        }
    }

    private final Config config;
    private final NDManager manager;
    private final List<Parameter> parameters;
    private final Map<String, NDArray> arrays;
    private final FramePreprocessor preprocessor;
    private final NDArray ones, zeros, stateMean, stateStd;
    /** Width of the state head's hidden layer. */
    static final int STATE_HIDDEN = 128;
    private static final float LATENT_LN_EPS = 1e-6f;

    private ConvEncoder(Config config, NDManager manager, Map<String, NDArray> values) {
        this.config = config;
        this.manager = manager;
        List<Parameter> params = new ArrayList<>();
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (String name : parameterShapes(config).keySet()) {
            NDArray a = values.get(name);
            a.setName(name);
            Parameter p = Parameter.builder().setName(name)
                    .setType(name.endsWith(".bias") ? Parameter.Type.BIAS : name.endsWith(".gamma") ? Parameter.Type.GAMMA
                            : name.endsWith(".beta") ? Parameter.Type.BETA : Parameter.Type.WEIGHT)
                    .optArray(a).build();
            p.initialize(manager, DataType.FLOAT32);
            params.add(p);
            byName.put(name, a);
        }
        this.parameters = Collections.unmodifiableList(params);
        this.arrays = Collections.unmodifiableMap(byName);
        this.preprocessor = new FramePreprocessor(config.imageSize());
        this.ones = manager.ones(new Shape(config.latentDim()));
        this.zeros = manager.zeros(new Shape(config.latentDim()));
        this.stateMean = manager.create(config.stateMean());
        this.stateStd = manager.create(config.stateStd());
    }

    /** The ordered names and shapes of every parameter (convolutions [out, in, 4, 4], linear weights [out, in]). */
    public static Map<String, Shape> parameterShapes(Config c) {
        Map<String, Shape> s = new LinkedHashMap<>();
        int[] ch = c.channels();
        int in = 3;
        for (int i = 0; i < ch.length; i++) {
            s.put("conv" + i + ".weight", new Shape(ch[i], in, 4, 4));
            s.put("conv" + i + ".bias", new Shape(ch[i]));
            in = ch[i];
        }
        if (!c.isPixels()) {
            s.put("proj1.weight", new Shape(c.hidden(), c.flat()));
            s.put("proj1.bias", new Shape(c.hidden()));
            s.put("proj_norm.gamma", new Shape(c.hidden()));
            s.put("proj_norm.beta", new Shape(c.hidden()));
            s.put("proj2.weight", new Shape(c.latentDim(), c.hidden()));
            s.put("proj2.bias", new Shape(c.latentDim()));
        }
        if (c.hasStateHead()) {
            s.put("state_head.fc1.weight", new Shape(STATE_HIDDEN, c.latentDim()));
            s.put("state_head.fc1.bias", new Shape(STATE_HIDDEN));
            s.put("state_head.fc2.weight", new Shape(c.stateNames().size(), STATE_HIDDEN));
            s.put("state_head.fc2.bias", new Shape(c.stateNames().size()));
        }
        return s;
    }

    /** A freshly initialised encoder: He-normal convolutions, 1/sqrt(fan-in) linear layers, zero biases. */
    public static ConvEncoder create(Config config, Device device, long seed) {
        Random rng = new Random(seed);
        NDManager manager = NDManager.newBaseManager(device);
        Map<String, NDArray> values = new LinkedHashMap<>();
        for (var e : parameterShapes(config).entrySet()) {
            String name = e.getKey();
            Shape shape = e.getValue();
            float[] data = new float[(int) shape.size()];
            if (name.endsWith(".gamma")) Arrays.fill(data, 1f);
            else if (name.endsWith(".weight") && name.startsWith("state_head")) {
                long fanIn = shape.get(1);
                double std = 1.0 / Math.sqrt(fanIn);
                for (int i = 0; i < data.length; i++) data[i] = (float) (rng.nextGaussian() * std);
            } else if (name.endsWith(".weight")) {
                long fanIn = shape.size() / shape.get(0);
                double std = (name.startsWith("conv") ? Math.sqrt(2.0 / fanIn) : 1.0 / Math.sqrt(fanIn));
                for (int i = 0; i < data.length; i++) data[i] = (float) (rng.nextGaussian() * std);
            }
            values.put(name, manager.create(data, shape));
        }
        return new ConvEncoder(config, manager, values);
    }

    public Config config() { return config; }

    public List<Parameter> parameters() { return parameters; }

    public NDManager manager() { return manager; }

    public long parameterCount() {
        long n = 0;
        for (Shape s : parameterShapes(config).values()) n += s.size();
        return n;
    }

    @Override public int imageSize() { return config.imageSize(); }

    @Override public int tokens() { return 1; }

    @Override public int width() { return config.latentDim(); }

    @Override public Device device() { return manager.getDevice(); }

    /** Preprocessed frames {@code [B, 3, S, S]} → latents {@code [B, D]} (differentiable; in the frames' manager). */
    public NDArray forward(NDArray frames) {
        if (config.isPixels()) {
            Shape k = new Shape(config.imageSize() / config.grid(), config.imageSize() / config.grid());
            return frames.getNDArrayInternal().avgPool(k, k, new Shape(0, 0), false, true)
                    .reshape(frames.getShape().get(0), config.latentDim());
        }
        NDArray x = frames;
        int[] ch = config.channels();
        for (int i = 0; i < ch.length; i++)
            x = Activation.gelu(x.getNDArrayInternal().convolution(x, arrays.get("conv" + i + ".weight"),
                    arrays.get("conv" + i + ".bias"), STRIDE, PAD, DILATION, 1).singletonOrThrow());
        long b = x.getShape().get(0);
        NDArray h = linear(x.reshape(b, config.flat()), "proj1");
        h = h.getNDArrayInternal().layerNorm(h, new Shape(config.hidden()), arrays.get("proj_norm.gamma"),
                arrays.get("proj_norm.beta"), LN_EPS).singletonOrThrow();
        return linear(Activation.gelu(h), "proj2");
    }

    /**
     * The state head: latents {@code [..., D]} → the robot-state entries {@link Config#stateNames()} in their own units
     * {@code [..., K]}. It reads latents layer-normalised without affine (the space the predictor predicts in), so it
     * reads a predicted latent as it reads an encoded one. Differentiable; fails when the encoder has no head.
     */
    public NDArray readState(NDArray latents) {
        return readStateStandardised(latents).mul(stateStd).add(stateMean);
    }

    /** {@link #readState} before de-standardisation: what training compares with {@code (state - mean) / std}. */
    public NDArray readStateStandardised(NDArray latents) {
        if (!config.hasStateHead()) throw new IllegalStateException("this encoder has no state head");
        NDArray n = latents.getNDArrayInternal().layerNorm(latents, new Shape(config.latentDim()), ones, zeros, LATENT_LN_EPS)
                .singletonOrThrow();
        return linear(Activation.gelu(linear(n, "state_head.fc1")), "state_head.fc2");
    }

    /** Standardises robot-state values {@code [..., K]} as the head's training targets. */
    public NDArray standardiseState(NDArray state) { return state.sub(stateMean).div(stateStd); }

    private NDArray linear(NDArray x, String name) {
        return x.getNDArrayInternal().linear(x, arrays.get(name + ".weight"), arrays.get(name + ".bias")).singletonOrThrow();
    }

    @Override public NDArray encodeFrame(NDManager scope, CameraFrame frame) {
        NDArray x = scope.create(preprocessor.preprocess(frame), new Shape(1, 3, config.imageSize(), config.imageSize()));
        if (!x.getDevice().equals(device())) x = x.toDevice(device(), false);
        return forward(x).reshape(1, config.latentDim());
    }

    /** Writes {@value #CONFIG_FILE} and {@value #PARAMS_FILE} into {@code dir} (the caller makes the folder swap atomic). */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            config.write(dir.resolve(CONFIG_FILE));
            try (OutputStream os = Files.newOutputStream(dir.resolve(PARAMS_FILE))) {
                NDList list = new NDList();
                for (Parameter p : parameters) list.add(p.getArray());
                list.encode(os, NDList.Encoding.NPZ);
            }
        } catch (IOException e) {
            throw new WmpcException("cannot save encoder to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code dir} holds a conv encoder (its config names the type). */
    public static boolean isConvEncoder(Path dir) {
        Path f = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(f)) return false;
        try {
            String type = JSON.readTree(f.toFile()).path("type").asText();
            return TYPE.equals(type) || PIXELS.equals(type);
        } catch (IOException e) {
            return false;
        }
    }

    /** Loads a folder written by {@link #save}, checking every parameter's name, shape and type. */
    public static ConvEncoder load(Path dir, Device device) {
        Path paramsFile = dir.resolve(PARAMS_FILE);
        if (!Files.isRegularFile(dir.resolve(CONFIG_FILE)) || !Files.isRegularFile(paramsFile))
            throw new WmpcException("'" + dir + "' is not an encoder folder: expected " + CONFIG_FILE + " and " + PARAMS_FILE
                    + " (train a model with 'wmpc train world-model')");
        Config config = Config.read(dir.resolve(CONFIG_FILE));
        NDManager manager = NDManager.newBaseManager(device);
        try {
            NDList list;
            try (InputStream in = Files.newInputStream(paramsFile)) {
                list = NDList.decode(manager, in);
            } catch (IOException | RuntimeException e) {
                throw new WmpcException(paramsFile + " is unreadable (" + e.getMessage() + "): the file is truncated or not "
                        + "written by wmpc; retrain the model or restore the file", e);
            }
            Map<String, NDArray> values = new LinkedHashMap<>();
            for (NDArray a : list) values.put(a.getName(), a);
            Map<String, Shape> expected = parameterShapes(config);
            for (var e : expected.entrySet()) {
                NDArray a = values.get(e.getKey());
                if (a == null)
                    throw new WmpcException(paramsFile + ": parameter '" + e.getKey() + "' " + e.getValue()
                            + " is missing (the file and " + CONFIG_FILE + " do not match)");
                if (!a.getShape().equals(e.getValue()))
                    throw new WmpcException(paramsFile + ": parameter '" + e.getKey() + "' has shape " + a.getShape()
                            + " but " + CONFIG_FILE + " implies " + e.getValue() + " (the file and its config do not match)");
                if (a.getDataType() != DataType.FLOAT32)
                    throw new WmpcException(paramsFile + ": parameter '" + e.getKey() + "' is " + a.getDataType() + ", expected float32");
            }
            for (String name : values.keySet())
                if (!expected.containsKey(name))
                    throw new WmpcException(paramsFile + ": unexpected parameter '" + name + "' (the file and " + CONFIG_FILE + " do not match)");
            return new ConvEncoder(config, manager, values);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override public void close() { manager.close(); }
}
