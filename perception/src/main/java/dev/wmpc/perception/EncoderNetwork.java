package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The ViT over space-time tubelets as a function of its parameters: tubelet patch embedding (a linear map of each
 * {@code tubelet × 3 × p × p} block, i.e. a strided 3D convolution), 3D sin-cos positions, pre-LN blocks, final LN.
 * Shared by the inference encoder and by V-JEPA training (context and EMA target encoders).
 */
final class EncoderNetwork {
    static final String PATCH_EMBED = "patch_embed";

    private final EncoderConfig config;
    private final Transformer blocks;
    private final java.util.Map<Long, NDArray> positionCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final NDManager cache;

    /** A network for layouts only, or whose positions are created per call. */
    EncoderNetwork(EncoderConfig config) {
        this(config, null);
    }

    /** A network that keeps its (constant) positional embeddings in {@code cache}, a long-lived manager. */
    EncoderNetwork(EncoderConfig config, NDManager cache) {
        this.cache = cache;
        this.config = config;
        this.blocks = new Transformer("", config.dim(), config.depth(), config.heads(), config.mlpRatio());
    }

    EncoderConfig config() { return config; }

    static final String STEM = "stem";

    static ParameterSet.Layout layout(EncoderConfig config) {
        ParameterSet.Layout layout = new ParameterSet.Layout().linear(PATCH_EMBED, config.patchVolume(), config.dim());
        if (config.stemChannels() > 0) {
            int layers = EncoderConfig.stemLayers(config.patchSize());
            for (int i = 1; i <= layers; i++) {
                int in = i == 1 ? 3 : config.stemChannelsAt(i - 1), out = config.stemChannelsAt(i);
                layout.add(STEM + ".conv" + i + ".weight", ParameterSet.Init.HE, out, in, 3, 3)
                        .add(STEM + ".conv" + i + ".bias", ParameterSet.Init.ZEROS, out);
            }
            layout.linear(STEM + ".proj", config.tubelet() * config.stemChannels(), config.dim());
        }
        new EncoderNetwork(config).blocks.declare(layout);
        return layout;
    }

    /** Time steps (tubelets) in a clip of the given frames, checking the clip is whole tubelets. */
    int tubelets(long frames) {
        if (frames <= 0 || frames % config.tubelet() != 0)
            throw new IllegalArgumentException("clip has " + frames + " frames: it must be a positive multiple of the tubelet length " + config.tubelet());
        return (int) (frames / config.tubelet());
    }

    /** Checks clips are {@code [B, T, 3, S, S]} at the model's resolution. */
    void checkClips(NDArray clips) {
        Shape s = clips.getShape();
        int size = config.imageSize();
        if (s.dimension() != 5 || s.get(2) != 3 || s.get(3) != size || s.get(4) != size)
            throw new IllegalArgumentException("clips have shape " + s + " but the encoder takes [B, T, 3, " + size + ", " + size
                    + "] (preprocess frames with FramePreprocessor(" + size + "))");
        tubelets(s.get(1));
    }

    /** Patch tokens plus positions: {@code [B, T/tubelet * G * G, D]}, in the clips' manager. */
    NDArray embed(ParameterSet p, NDArray clips) {
        checkClips(clips);
        int t = tubelets(clips.getShape().get(1));
        NDArray tokens = Transformer.linear(p, PATCH_EMBED, patches(clips));
        if (config.stemChannels() > 0) tokens = tokens.add(Transformer.linear(p, STEM + ".proj", stem(p, clips)));
        return tokens.add(positions(clips.getManager(), t, config.dim()));
    }

    /** The clips cut into tubelet patches, one row per token: {@code [B, T/tubelet * G * G, tubelet * 3 * p * p]}. */
    NDArray patches(NDArray clips) {
        Shape s = clips.getShape();
        long b = s.get(0);
        int t = tubelets(s.get(1)), g = config.gridSize(), ps = config.patchSize(), tt = config.tubelet();
        return clips.reshape(b, t, tt, 3, g, ps, g, ps)
                .transpose(0, 1, 4, 6, 2, 3, 5, 7)
                .reshape(b, (long) t * g * g, config.patchVolume());
    }

    /**
     * The convolutional stem's features per token, {@code [B, T/tubelet * G * G, tubelet * C]}: each frame through
     * stride-2 3×3 convolutions with GELU down to the patch grid, a tubelet's frames side by side.
     */
    NDArray stem(ParameterSet p, NDArray clips) {
        Shape s = clips.getShape();
        long b = s.get(0), frames = s.get(1);
        int size = config.imageSize(), g = config.gridSize(), tt = config.tubelet(), t = tubelets(frames);
        int c = config.stemChannels();
        NDArray x = clips.reshape(b * frames, 3, size, size);
        Shape two = new Shape(2, 2), one = new Shape(1, 1);
        for (int i = 1; i <= EncoderConfig.stemLayers(config.patchSize()); i++) {
            x = Conv2d.conv2d(x, p.get(STEM + ".conv" + i + ".weight"), p.get(STEM + ".conv" + i + ".bias"), two, one, one, 1)
                    .singletonOrThrow();
            x = Activation.gelu(x);
        }
        return x.reshape(b, t, tt, c, g, g).transpose(0, 1, 4, 5, 2, 3).reshape(b, (long) t * g * g, (long) tt * c);
    }

    /** {@code [1, t * G * G, dim]} sin-cos positions in the manager. */
    NDArray positions(NDManager manager, int t, int dim) {
        int g = config.gridSize();
        Shape shape = new Shape(1, (long) t * g * g, dim);
        if (cache == null) return manager.create(SinCosPositions.grid(t, g, g, dim), shape);
        return positionCache.computeIfAbsent(((long) t << 32) | dim, k -> cache.create(SinCosPositions.grid(t, g, g, dim), shape));
    }

    /** Transformer blocks and final norm over any subset of tokens {@code [B, K, D]}. */
    NDArray blocks(ParameterSet p, NDArray tokens) {
        return blocks.forward(p, tokens);
    }

    /** Full encoder: {@code [B, T, 3, S, S]} → {@code [B, T/tubelet * G * G, D]}. */
    NDArray forward(ParameterSet p, NDArray clips) {
        return blocks(p, embed(p, clips));
    }

    /** Selects tokens {@code [B, N, D]} at indices {@code [B, K]} (int64) → {@code [B, K, D]}. */
    static NDArray gatherTokens(NDArray tokens, NDArray index) {
        Shape s = tokens.getShape();
        Shape is = index.getShape();
        NDArray idx = index.reshape(is.get(0), is.get(1), 1).broadcast(new Shape(is.get(0), is.get(1), s.get(2)));
        return tokens.gather(idx, 1);
    }
}
