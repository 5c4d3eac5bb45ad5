package dev.wmpc.launch;

import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.sim.Task;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sizes of a {@code wmpc train all} run: data (noisy-expert episodes per task), encoder and predictor shapes and
 * their optimizer steps. {@code default} is the shipped model's recipe; {@code tiny} runs in seconds (tests, smoke
 * checks) and learns little.
 *
 * @param episodesPerTask episodes collected on each of reach, push and pick-place
 * @param maxSteps        step cap per collected episode (0: the task's own episode length)
 * @param noise           noisy-expert noise, metres per axis per step (pick-place: {@link #noise(Task)})
 * @param encoder         the video encoder's shape (its imageSize is the camera size)
 * @param encoderSteps    V-JEPA optimizer steps
 * @param encoderBatch    clips per encoder step
 * @param predictorWidth  predictor transformer width (depth and heads below)
 * @param predictorSteps  predictor optimizer steps
 * @param predictorBatch  clips per predictor step
 * @param predictorLr     the predictor's peak learning rate
 */
public record TrainAllPreset(String name, int episodesPerTask, int maxSteps, double noise, EncoderConfig encoder,
                             int encoderSteps, int encoderBatch, int predictorWidth, int predictorDepth,
                             int predictorHeads, int predictorSteps, int predictorBatch, float predictorLr,
                             WorldModel worldModel) {

    /**
     * The end-to-end world model's shape and training (the default recipe): the CNN encoder's convolution channels,
     * projector width and latent size; the predictor's width, depth and heads; optimizer steps, clips per step,
     * frames per clip, rollout-loss steps, peak learning rate, SIGReg's weight and the state head's; whether the
     * predictor sums a frame's action and state into its latent token ({@code summedInputs}) or gives each a token.
     */
    public record WorldModel(int[] channels, int hidden, int latentDim, int width, int depth, int heads, int steps,
                             int batch, int clipFrames, int rolloutSteps, float lr, float sigregWeight, float stateWeight,
                             boolean summedInputs) {
        public WorldModel withSteps(int k) {
            return new WorldModel(channels, hidden, latentDim, width, depth, heads, k, batch, clipFrames, rolloutSteps, lr,
                    sigregWeight, stateWeight, summedInputs);
        }
    }

    /** The known presets. */
    public enum Name {
        DEFAULT, TINY;

        public String cliName() { return name().toLowerCase(Locale.ROOT); }

        public static Name parse(String s) {
            for (Name n : values()) if (n.cliName().equalsIgnoreCase(s)) return n;
            throw WmpcException.usage("unknown --preset '" + s + "': choose one of "
                    + Arrays.stream(values()).map(Name::cliName).collect(Collectors.joining(", ")));
        }
    }

    public static TrainAllPreset of(Name name) {
        return switch (name) {
            // 64x64 frames, 16x16 patches (4x4 = 16 tokens a frame, so a plan's batched rollout stays cheap on a CPU),
            // 96-wide 4-block encoder, 96-wide 3-block predictor: ~3 MB of weights; 100 noisy-expert episodes per task
            // (~12 000 frames). The predictor at 1e-3 for 6000 steps: at 3e-4 for 4000 its held-out L1 was 0.62x
            // copy-last one step ahead, at 1e-3 0.50x, and its training loss was still falling.
            // The end-to-end world model: 300 noisy-expert episodes per task (~35 000 frames of 64x64), a 4-layer CNN to a
            // 64-number latent, a 128-wide 4-block predictor with action and state summed into the latent's token (one token
            // a frame), ~7 MB of weights, 6000 steps of 24 six-frame clips.
            case DEFAULT -> new TrainAllPreset("default", 300, 0, 0.03,
                    new EncoderConfig(64, 16, 2, 96, 4, 4, 4, 64, 2, 4), 1000, 16, 96, 3, 4, 6000, 16, 1e-3f,
                    new WorldModel(new int[] {32, 64, 128, 128}, 256, 64, 128, 4, 4, 6000, 24, 6, 3, 1e-3f, 0.1f, 1f, true));
            // 32x32 frames, 16 tokens of 32: seconds of CPU; for tests and smoke checks.
            case TINY -> new TrainAllPreset("tiny", 2, 12, 0.02,
                    new EncoderConfig(32, 8, 2, 32, 1, 2, 2, 16, 1, 2), 4, 2, 32, 1, 2, 4, 2, 3e-4f,
                    new WorldModel(new int[] {8, 16}, 32, 16, 32, 1, 2, 4, 8, 4, 2, 2e-3f, 0.1f, 1f, true));
        };
    }

    public TrainAllPreset withEpisodes(int n) {
        return new TrainAllPreset(name, n, maxSteps, noise, encoder, encoderSteps, encoderBatch, predictorWidth,
                predictorDepth, predictorHeads, predictorSteps, predictorBatch, predictorLr, worldModel);
    }

    public TrainAllPreset withEncoderSteps(int k) {
        return new TrainAllPreset(name, episodesPerTask, maxSteps, noise, encoder, k, encoderBatch, predictorWidth,
                predictorDepth, predictorHeads, predictorSteps, predictorBatch, predictorLr, worldModel);
    }

    public TrainAllPreset withPredictorSteps(int k) {
        return new TrainAllPreset(name, episodesPerTask, maxSteps, noise, encoder, encoderSteps, encoderBatch,
                predictorWidth, predictorDepth, predictorHeads, k, predictorBatch, predictorLr, worldModel);
    }

    public TrainAllPreset withWorldModelSteps(int k) {
        return new TrainAllPreset(name, episodesPerTask, maxSteps, noise, encoder, encoderSteps, encoderBatch, predictorWidth,
                predictorDepth, predictorHeads, predictorSteps, predictorBatch, predictorLr, worldModel.withSteps(k));
    }

    public int cameraSize() { return encoder.imageSize(); }

    /** Pick-place's noise is capped here: at 3 cm a step the noisy expert never closed on a cube (0 of 20), at 1 cm 17 of 20 succeed. */
    static final double PICK_PLACE_MAX_NOISE = 0.01;

    /** The noisy expert's noise on {@code task}: {@link #noise()}, capped at {@link #PICK_PLACE_MAX_NOISE} for pick-place. */
    public double noise(Task task) {
        return task instanceof Task.PickPlace ? Math.min(noise, PICK_PLACE_MAX_NOISE) : noise;
    }
}
