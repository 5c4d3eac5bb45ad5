package dev.wmpc.perception;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The shape of a video encoder and its V-JEPA predictor: input resolution, tubelet and patch size, transformer width
 * and depth. Written to a model folder as {@code config.json}.
 *
 * @param imageSize       input height = width in pixels
 * @param patchSize       spatial patch side in pixels (divides imageSize)
 * @param tubelet         frames per tubelet (time patch); clips have a multiple of this many frames
 * @param dim             token width of the encoder
 * @param depth           encoder blocks
 * @param heads           attention heads (divides dim)
 * @param mlpRatio        MLP hidden width / dim
 * @param predictorDim    token width of the (narrow) predictor
 * @param predictorDepth  predictor blocks
 * @param predictorHeads  predictor heads (divides predictorDim)
 * @param stemChannels    0: each tubelet patch is embedded by a linear map alone (the ViT patchify). {@code C > 0}: a
 *                        convolutional stem is added to it (Xiao et al., "Early convolutions help transformers see
 *                        better"): per frame, log2(patchSize) stride-2 3×3 convolutions with GELU, ending in C
 *                        channels on the patch grid; a tubelet's frames are concatenated and projected to dim. It gives
 *                        the tokens local nonlinear features (a 3-pixel cube inside an 8-pixel patch) before attention.
 */
public record EncoderConfig(int imageSize, int patchSize, int tubelet, int dim, int depth, int heads, int mlpRatio,
                            int predictorDim, int predictorDepth, int predictorHeads, int stemChannels) {

    /** Named presets. */
    public enum Preset {
        TINY(new EncoderConfig(64, 8, 2, 192, 6, 3, 4, 96, 3, 3)),
        SMALL(new EncoderConfig(128, 16, 2, 384, 12, 6, 4, 192, 6, 6));

        private final EncoderConfig config;
        Preset(EncoderConfig config) { this.config = config; }
        public EncoderConfig config() { return config; }

        @Override public String toString() { return name().toLowerCase(Locale.ROOT); }

        /** Parses a preset name; unknown names fail listing the known ones. */
        public static Preset parse(String name) {
            for (Preset p : values()) if (p.name().equalsIgnoreCase(name)) return p;
            throw WmpcException.usage("unknown encoder preset '" + name + "': choose one of "
                    + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    public EncoderConfig {
        require(imageSize > 0 && patchSize > 0 && imageSize % patchSize == 0,
                "imageSize " + imageSize + " must be a positive multiple of patchSize " + patchSize);
        require(tubelet >= 1, "tubelet must be >= 1, got " + tubelet);
        require(dim > 0 && heads > 0 && dim % heads == 0, "dim " + dim + " must be a positive multiple of heads " + heads);
        require(dim % 4 == 0, "dim " + dim + " must be a multiple of 4 (3D sin-cos positions)");
        require(depth >= 1 && mlpRatio >= 1, "depth and mlpRatio must be >= 1");
        require(predictorDim > 0 && predictorHeads > 0 && predictorDim % predictorHeads == 0 && predictorDim % 4 == 0,
                "predictorDim " + predictorDim + " must be a positive multiple of predictorHeads " + predictorHeads + " and of 4");
        require(predictorDepth >= 1, "predictorDepth must be >= 1");
        require(stemChannels >= 0, "stemChannels must be >= 0 (0: no convolutional stem), got " + stemChannels);
        if (stemChannels > 0) {
            require(patchSize >= 2 && Integer.bitCount(patchSize) == 1,
                    "a convolutional stem (stemChannels " + stemChannels + ") needs a power-of-two patchSize, got " + patchSize);
            require(stemChannels % (patchSize / 2) == 0, "stemChannels " + stemChannels + " must be a multiple of "
                    + patchSize / 2 + " (the stem halves its channels at each of its " + stemLayers(patchSize) + " layers)");
        }
    }

    /** A config without a convolutional stem. */
    public EncoderConfig(int imageSize, int patchSize, int tubelet, int dim, int depth, int heads, int mlpRatio,
                         int predictorDim, int predictorDepth, int predictorHeads) {
        this(imageSize, patchSize, tubelet, dim, depth, heads, mlpRatio, predictorDim, predictorDepth, predictorHeads, 0);
    }

    /** The same config with a convolutional stem of {@code channels} output channels (0: none). */
    public EncoderConfig withStemChannels(int channels) {
        return new EncoderConfig(imageSize, patchSize, tubelet, dim, depth, heads, mlpRatio, predictorDim, predictorDepth,
                predictorHeads, channels);
    }

    /** Stride-2 convolutions in the stem: log2(patchSize). */
    static int stemLayers(int patchSize) {
        return Integer.numberOfTrailingZeros(patchSize);
    }

    /** Output channels of stem layer {@code i} (1-based): they double up to {@link #stemChannels}. */
    public int stemChannelsAt(int i) {
        return stemChannels >> (stemLayers(patchSize) - i);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new WmpcException("bad encoder config: " + message);
    }

    public static EncoderConfig tiny() { return Preset.TINY.config(); }
    public static EncoderConfig small() { return Preset.SMALL.config(); }

    /** Patches along one image side. */
    public int gridSize() { return imageSize / patchSize; }

    /** Patch tokens per tubelet (per time step of the latent). */
    public int tokensPerTubelet() { return gridSize() * gridSize(); }

    /** Values in one flattened tubelet patch: tubelet × 3 × p × p. */
    public int patchVolume() { return tubelet * 3 * patchSize * patchSize; }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static EncoderConfig fromJson(String json, String source) {
        try {
            JsonNode n = JSON.readTree(json);
            String[] fields = {"imageSize", "patchSize", "tubelet", "dim", "depth", "heads", "mlpRatio",
                    "predictorDim", "predictorDepth", "predictorHeads"};
            int[] v = new int[fields.length];
            for (int i = 0; i < fields.length; i++) {
                JsonNode f = n.get(fields[i]);
                if (f == null || !f.canConvertToInt())
                    throw new WmpcException(source + ": field '" + fields[i] + "' is missing or not an integer");
                v[i] = f.intValue();
            }
            // Absent in models written before the stem existed: those have none.
            JsonNode stem = n.get("stemChannels");
            if (stem != null && !stem.canConvertToInt())
                throw new WmpcException(source + ": field 'stemChannels' is not an integer");
            return new EncoderConfig(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], stem == null ? 0 : stem.intValue());
        } catch (IOException e) {
            throw new WmpcException(source + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public static EncoderConfig read(Path file) {
        if (!Files.isRegularFile(file)) throw new WmpcException("no encoder config at " + file + ": a model folder holds config.json and encoder.params");
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new WmpcException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
