package dev.wmpc.worldmodel;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The shape of an action-conditioned predictor: what it reads (per frame: {@code tokens} patch latents of size
 * {@code latentDim} on a {@code gridHeight x gridWidth} grid, an action of size {@code actionDim}, a proprio state of
 * size {@code stateDim}) and its transformer ({@code width}, {@code depth}, {@code heads}, MLP ratio, at most
 * {@code maxFrames} frames).
 *
 * <p>Normalisation of the low-dimensional inputs lives here so a saved model is self-contained: the model feeds
 * {@code (a - actionMean) / actionStd} and {@code (s - stateMean) / stateStd} to its embeddings.
 *
 * <p>{@code stateIntegration[i]} is the index of the state entry that action entry {@code i} adds to when a rollout
 * advances the proprio state ({@code -1}: that action entry does not change the state); see
 * {@link AcPredictor#rollout}.
 *
 * <p>{@code residualHead}: the head predicts the change from the frame it reads ({@code next = LN(z_t + head(x))}),
 * so "nothing moves" is where training starts and static tokens are copied exactly; without it the head predicts the
 * next latent outright. Configs built in code have it; a config file saved before it existed reads as false.
 *
 * <p>{@code summedInputs}: how a frame's action and state enter. False: each is a token of its own beside the patch
 * tokens (N + 2 tokens a frame, as V-JEPA 2-AC). True: their embeddings are added to every patch token (N tokens a
 * frame): for a one-token latent a third of the tokens, so a third of the attention and MLP work per imagined step.
 * A config file saved before it existed reads as false.
 */
public record PredictorConfig(
        int latentDim, int gridHeight, int gridWidth, int actionDim, int stateDim,
        int width, int depth, int heads, int mlpRatio, int maxFrames,
        float[] actionMean, float[] actionStd, float[] stateMean, float[] stateStd,
        int[] stateIntegration, boolean residualHead, boolean summedInputs) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @com.fasterxml.jackson.annotation.JsonCreator
    public PredictorConfig {
        require(latentDim > 0, "latentDim must be > 0, got " + latentDim);
        require(gridHeight > 0 && gridWidth > 0, "gridHeight and gridWidth must be > 0, got " + gridHeight + "x" + gridWidth);
        require(actionDim > 0, "actionDim must be > 0, got " + actionDim);
        require(stateDim > 0, "stateDim must be > 0, got " + stateDim);
        require(width > 0 && depth > 0 && heads > 0 && mlpRatio > 0, "width, depth, heads and mlpRatio must be > 0");
        require(width % heads == 0, "width " + width + " must be divisible by heads " + heads);
        require(maxFrames >= 2, "maxFrames must be >= 2, got " + maxFrames);
        actionMean = orDefault(actionMean, actionDim, 0f, "actionMean");
        actionStd = orDefault(actionStd, actionDim, 1f, "actionStd");
        stateMean = orDefault(stateMean, stateDim, 0f, "stateMean");
        stateStd = orDefault(stateStd, stateDim, 1f, "stateStd");
        for (float v : actionStd) require(v > 0, "actionStd entries must be > 0: " + Arrays.toString(actionStd));
        for (float v : stateStd) require(v > 0, "stateStd entries must be > 0: " + Arrays.toString(stateStd));
        if (stateIntegration == null) {
            stateIntegration = new int[actionDim];
            Arrays.fill(stateIntegration, -1);
        } else {
            stateIntegration = stateIntegration.clone();
        }
        require(stateIntegration.length == actionDim,
                "stateIntegration must have actionDim=" + actionDim + " entries, got " + stateIntegration.length);
        for (int idx : stateIntegration)
            require(idx >= -1 && idx < stateDim, "stateIntegration entries must be -1 or a state index < " + stateDim);
    }

    /** A config with the residual head, action and state as tokens of their own (see the class comment). */
    public PredictorConfig(int latentDim, int gridHeight, int gridWidth, int actionDim, int stateDim,
                           int width, int depth, int heads, int mlpRatio, int maxFrames,
                           float[] actionMean, float[] actionStd, float[] stateMean, float[] stateStd,
                           int[] stateIntegration) {
        this(latentDim, gridHeight, gridWidth, actionDim, stateDim, width, depth, heads, mlpRatio, maxFrames,
                actionMean, actionStd, stateMean, stateStd, stateIntegration, true, false);
    }

    /** This config with or without the residual head. */
    public PredictorConfig withResidualHead(boolean residual) {
        return new PredictorConfig(latentDim, gridHeight, gridWidth, actionDim, stateDim, width, depth, heads, mlpRatio,
                maxFrames, actionMean, actionStd, stateMean, stateStd, stateIntegration, residual, summedInputs);
    }

    /** This config with action and state added to the patch tokens ({@code true}) or as tokens of their own. */
    public PredictorConfig withSummedInputs(boolean summed) {
        return new PredictorConfig(latentDim, gridHeight, gridWidth, actionDim, stateDim, width, depth, heads, mlpRatio,
                maxFrames, actionMean, actionStd, stateMean, stateStd, stateIntegration, residualHead, summed);
    }

    /** A preset width/depth matched to the encoder presets of the same name (tiny: 192 x 6, small: 384 x 12). */
    public enum Preset {
        TINY(192, 6, 3), SMALL(384, 12, 6);

        public final int width;
        public final int depth;
        public final int heads;

        Preset(int width, int depth, int heads) {
            this.width = width;
            this.depth = depth;
            this.heads = heads;
        }

        public static Preset parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw WmpcException.usage("unknown predictor preset '" + name + "': choose tiny or small");
            }
        }
    }

    /**
     * A preset predictor for the encoder preset of the same name (tiny: 8x8 tokens of 192, small: 8x8 of 384),
     * end-effector delta actions (4) and the given state size.
     */
    public static PredictorConfig preset(Preset p, int stateDim) {
        int latentDim = p == Preset.TINY ? 192 : 384;
        return new PredictorConfig(latentDim, 8, 8, 4, stateDim, p.width, p.depth, p.heads, 4, 8,
                null, null, null, null, null);
    }

    /** Patch tokens per frame. */
    public int tokens() { return gridHeight * gridWidth; }

    /** Tokens per frame inside the predictor: action, state, patches; or the patches alone with summed inputs. */
    public int frameTokens() { return tokens() + leadTokens(); }

    /** Tokens before a frame's patch tokens: action and state (2), or none with summed inputs. */
    public int leadTokens() { return summedInputs ? 0 : 2; }

    public int headDim() { return width / heads; }

    public int hidden() { return width * mlpRatio; }

    /** A copy with other normalisation statistics and state integration (training fills these from data). */
    public PredictorConfig withStatistics(float[] aMean, float[] aStd, float[] sMean, float[] sStd, int[] integration) {
        return new PredictorConfig(latentDim, gridHeight, gridWidth, actionDim, stateDim, width, depth, heads, mlpRatio,
                maxFrames, aMean, aStd, sMean, sStd, integration, residualHead, summedInputs);
    }

    /** Number of trainable numbers. */
    public long parameterCount() {
        long w = width, d = latentDim;
        long perBlock = 2 * w + 3 * w * w + 3 * w + w * w + w + 2 * w + hidden() * w + hidden() + w * hidden() + w;
        return d * w + w + actionDim * w + w + stateDim * w + w + (long) maxFrames * w + tokens() * w
                + depth * perBlock + 2 * w + w * d + d;
    }

    /**
     * Floating-point operations (multiply-adds count 2) to push {@code frames} new frames of {@code batch} sequences
     * through the predictor when each new token attends to {@code attended} tokens on average.
     */
    public double flops(long batch, long frames, double attended) {
        double n = frameTokens() * (double) frames;
        double w = width;
        double embed = 2.0 * frames * (tokens() * latentDim * w + actionDim * w + stateDim * w);
        double perLayer = 2.0 * n * w * (3 * w) + 2.0 * n * w * w + 2.0 * 2 * n * w * hidden() + 2.0 * 2 * n * attended * w;
        double head = 2.0 * frames * tokens() * w * latentDim;
        return batch * (embed + depth * perLayer + head);
    }

    /**
     * FLOPs of a KV-cached rollout: a shared context of {@code contextFrames} (the first {@code contextFrames - 1}
     * computed once), then {@code horizon} new frames for each of {@code samples} sequences.
     */
    public double rolloutFlops(int samples, int contextFrames, int horizon) {
        int ft = frameTokens();
        double total = flops(1, contextFrames - 1L, (contextFrames - 1) * ft / 2.0 + ft / 2.0);
        for (int h = 0; h < horizon; h++) {
            int frame = contextFrames - 1 + h; // index of the frame being added
            total += flops(samples, 1, frame * (double) ft + ft);
        }
        return total;
    }

    /** FLOPs of the same rollout recomputing the whole sequence at every step (no KV cache). */
    public double naiveRolloutFlops(int samples, int contextFrames, int horizon) {
        int ft = frameTokens();
        double total = 0;
        for (int h = 0; h < horizon; h++) {
            int frames = contextFrames + h;
            // block-causal: frame f attends to (f + 1) frames; the mean over the sequence
            double meanAttended = ft * (frames + 1) / 2.0;
            total += flops(samples, frames, meanAttended);
        }
        return total;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(this));
    }

    public static PredictorConfig read(Path file) {
        try {
            return JSON.readValue(file.toFile(), PredictorConfig.class);
        } catch (IOException e) {
            throw new WmpcException("cannot read predictor config " + file + ": " + e.getMessage()
                    + " (is this a predictor model folder written by 'wmpc train predictor'?)", e);
        }
    }

    private static float[] orDefault(float[] v, int n, float fill, String name) {
        if (v == null) {
            float[] out = new float[n];
            Arrays.fill(out, fill);
            return out;
        }
        require(v.length == n, name + " must have " + n + " entries, got " + v.length);
        return v.clone();
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("predictor config: " + message);
    }

    @Override public boolean equals(Object o) {
        return o instanceof PredictorConfig c && latentDim == c.latentDim && gridHeight == c.gridHeight
                && gridWidth == c.gridWidth && actionDim == c.actionDim && stateDim == c.stateDim && width == c.width
                && depth == c.depth && heads == c.heads && mlpRatio == c.mlpRatio && maxFrames == c.maxFrames
                && Arrays.equals(actionMean, c.actionMean) && Arrays.equals(actionStd, c.actionStd)
                && Arrays.equals(stateMean, c.stateMean) && Arrays.equals(stateStd, c.stateStd)
                && Arrays.equals(stateIntegration, c.stateIntegration) && residualHead == c.residualHead
                && summedInputs == c.summedInputs;
    }

    @Override public int hashCode() {
        return java.util.Objects.hash(latentDim, gridHeight, gridWidth, actionDim, stateDim, width, depth, heads,
                mlpRatio, maxFrames, Arrays.hashCode(actionMean), Arrays.hashCode(stateMean),
                Arrays.hashCode(stateIntegration), residualHead, summedInputs);
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "PredictorConfig[latent %dx%d (%dx%d grid), action %d, state %d, width %d,"
                        + " depth %d, heads %d, mlp x%d, maxFrames %d%s]", tokens(), latentDim, gridHeight, gridWidth,
                actionDim, stateDim, width, depth, heads, mlpRatio, maxFrames, summedInputs ? ", summed inputs" : "");
    }
}
