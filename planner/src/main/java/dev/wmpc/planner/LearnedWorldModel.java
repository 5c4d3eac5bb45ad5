package dev.wmpc.planner;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * The trained encoder and action-conditioned predictor as the planner uses them: {@link #encode} turns one frame into
 * a normalised latent {@code [N * D]} (the frame repeated to fill the encoder's tubelet, as V-JEPA 2-AC encodes single
 * images), and {@link #rollout} runs the predictor's KV-cached batched rollout from that latent. Each call opens and
 * closes its own NDManager, so native memory does not grow over an episode. Owns both networks: close it.
 */
public final class LearnedWorldModel implements LatentRollout, ObservationEncoder, AutoCloseable {
    /** Sub-folders of a model folder. */
    public static final String ENCODER_DIR = "encoder", PREDICTOR_DIR = "predictor";

    private final VideoEncoder encoder;
    private final AcPredictor predictor;
    private final PredictorRollout rollout;
    private final int tokens, dim;
    private StateReadout readout;

    /** Takes ownership of both; fails with a clear message when they do not fit together. */
    public LearnedWorldModel(VideoEncoder encoder, AcPredictor predictor) {
        EncoderConfig e = encoder.config();
        PredictorConfig p = predictor.config();
        if (e.tokensPerTubelet() != p.tokens() || e.dim() != p.latentDim()) {
            String msg = "the encoder and predictor do not match: the encoder gives " + e.tokensPerTubelet() + " tokens of width "
                    + e.dim() + " per frame but the predictor reads " + p.tokens() + " tokens of width " + p.latentDim()
                    + "; train the predictor on this encoder's latents";
            encoder.close();
            predictor.close();
            throw new WmpcException(msg);
        }
        if (p.actionDim() != PlannerConfig.ACTION_DIM) {
            String msg = "the predictor takes actions of " + p.actionDim() + " numbers but the planner plans "
                    + PlannerConfig.ACTION_DIM + " (dx, dy, dz, gripper); train it on end-effector delta actions";
            encoder.close();
            predictor.close();
            throw new WmpcException(msg);
        }
        this.encoder = encoder;
        this.predictor = predictor;
        this.rollout = new PredictorRollout(predictor, true);
        this.tokens = p.tokens();
        this.dim = p.latentDim();
    }

    /** Loads {@code dir/encoder} and {@code dir/predictor} onto {@code device}. */
    public static LearnedWorldModel load(Path dir, Device device) {
        Path enc = dir.resolve(ENCODER_DIR), pred = dir.resolve(PREDICTOR_DIR);
        if (!Files.isDirectory(enc) || !Files.isDirectory(pred))
            throw new WmpcException("'" + dir + "' is not a wmpc model folder: expected sub-folders " + ENCODER_DIR + "/ and "
                    + PREDICTOR_DIR + "/ (train one with 'wmpc train all', or pass --model default)");
        VideoEncoder e = VideoEncoder.load(enc, device);
        AcPredictor p;
        try {
            p = AcPredictor.load(pred, device);
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        LearnedWorldModel wm = new LearnedWorldModel(e, p);
        if (Files.isRegularFile(dir.resolve(StateReadout.FILE))) {
            try {
                wm.withReadout(StateReadout.load(dir));
            } catch (RuntimeException ex) {
                wm.close();
                throw ex;
            }
        }
        return wm;
    }

    /** Uses {@code r} to read goal images' end-effector positions (see {@link StateReadout}); checks it fits. */
    public LearnedWorldModel withReadout(StateReadout r) {
        if (r != null && (r.tokens() != tokens || r.width() != dim))
            throw new WmpcException("the state readout reads " + r.tokens() + " tokens of width " + r.width()
                    + " but the encoder gives " + tokens + " of width " + dim + ": refit it on this model's latents");
        this.readout = r;
        return this;
    }

    /** The model's state readout, when its folder has one. */
    public java.util.Optional<StateReadout> readout() { return java.util.Optional.ofNullable(readout); }

    /**
     * The planner's cost toward {@code goals}: the latent energy, plus the proprio term weighted by
     * {@code proprioWeight} when the model has a state readout (0 = the latent energy alone).
     */
    public LatentCostModel costModel(GoalSequence goals, EnergyMode mode, double proprioWeight) {
        return new LatentCostModel(this, this, goals, mode, readout, proprioWeight);
    }

    public EncoderConfig encoderConfig() { return encoder.config(); }
    public PredictorConfig predictorConfig() { return predictor.config(); }

    @Override public int latentSize() { return tokens * dim; }

    @Override public float[] encode(CameraFrame frame) {
        try (NDManager m = NDManager.newBaseManager(encoder.device())) {
            List<CameraFrame> clip = Collections.nCopies(encoder.config().tubelet(), frame);
            NDArray z = encoder.encodeFrames(m, clip); // [1, 1, N, D]
            NDArray zp = z.toDevice(predictor.device(), false);
            return predictor.normalize(zp.reshape(tokens, dim)).toFloatArray();
        }
    }

    @Override public float[] rollout(float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim) {
        return rollout.rollout(latent, proprio, actions, samples, horizon, actionDim);
    }

    @Override public float[] energies(float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim,
                                      float[] goal, EnergyMode mode) {
        return rollout.energies(latent, proprio, actions, samples, horizon, actionDim, goal, mode);
    }

    @Override public void close() {
        try (encoder; predictor) {
            // both closed
        }
    }
}
