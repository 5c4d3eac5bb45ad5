package dev.wmpc.planner;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.ConvEncoder;
import dev.wmpc.perception.FrameEncoder;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The trained encoder and action-conditioned predictor as the planner uses them: {@link #encode} turns one frame into
 * a normalised latent {@code [N * D]} (the end-to-end world model's one compact latent, or a V-JEPA encoder's patch
 * tokens with the frame repeated to fill its tubelet), and {@link #rollout} runs the predictor's KV-cached batched
 * rollout from that latent. Each call opens and closes its own NDManager, so native memory does not grow over an
 * episode. Owns both networks: close it.
 */
public final class LearnedWorldModel implements LatentRollout, ObservationEncoder, AutoCloseable {
    /** Sub-folders of a model folder. */
    public static final String ENCODER_DIR = "encoder", PREDICTOR_DIR = "predictor";

    private final FrameEncoder encoder;
    private final AcPredictor predictor;
    private PredictorRollout rollout;
    private double stateWeight;
    private final int tokens, dim;
    private StateReadout readout;

    /** Takes ownership of both; fails with a clear message when they do not fit together. */
    public LearnedWorldModel(FrameEncoder encoder, AcPredictor predictor) {
        PredictorConfig p = predictor.config();
        if (encoder.tokens() != p.tokens() || encoder.width() != p.latentDim()) {
            String msg = "the encoder and predictor do not match: the encoder gives " + encoder.tokens() + " tokens of width "
                    + encoder.width() + " per frame but the predictor reads " + p.tokens() + " tokens of width " + p.latentDim()
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
        FrameEncoder e = ConvEncoder.isConvEncoder(enc) ? ConvEncoder.load(enc, device) : VideoEncoder.load(enc, device);
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

    /**
     * Adds the world model's state head to the energy with weight {@code w} (0: the latent energy alone): the robot
     * state the head reads from each predicted latent against the one it reads from the goal image's latent. Ignored
     * when the encoder has no state head.
     */
    public LearnedWorldModel withStateWeight(double w) {
        if (!(w >= 0) || !Double.isFinite(w)) throw new IllegalArgumentException("the state weight must be finite and >= 0, got " + w);
        this.stateWeight = hasStateHead() ? w : 0;
        ConvEncoder head = hasStateHead() ? (ConvEncoder) encoder : null;
        this.rollout = new PredictorRollout(predictor, true, head == null ? null : head::readStateStandardised, stateWeight);
        return this;
    }

    /** Whether the encoder carries a state head (trained with the world model). */
    public boolean hasStateHead() { return encoder instanceof ConvEncoder c && c.config().hasStateHead(); }

    /** The weight the energy gives the state head (0 when unused). */
    public double stateWeight() { return stateWeight; }

    /** The model's state readout, when its folder has one. */
    public java.util.Optional<StateReadout> readout() { return java.util.Optional.ofNullable(readout); }

    /**
     * The planner's cost toward {@code goals}: the latent energy, plus the proprio term weighted by
     * {@code proprioWeight} when the model has a state readout (0 = the latent energy alone).
     */
    public LatentCostModel costModel(GoalSequence goals, EnergyMode mode, double proprioWeight) {
        return costModel(goals, mode, proprioWeight, LatentCostModel.Switching.BUDGETS);
    }

    /** As above, with the way the active sub-goal is chosen. */
    public LatentCostModel costModel(GoalSequence goals, EnergyMode mode, double proprioWeight, LatentCostModel.Switching switching) {
        return new LatentCostModel(this, this, goals, mode, readout, proprioWeight, switching);
    }

    /** Side of the square camera frames the encoder reads. */
    public int imageSize() { return encoder.imageSize(); }

    /** Whether this is the end-to-end world model (one compact latent per frame) rather than V-JEPA patch tokens. */
    public boolean endToEnd() { return encoder instanceof ConvEncoder; }
    public PredictorConfig predictorConfig() { return predictor.config(); }

    @Override public int latentSize() { return tokens * dim; }

    @Override public float[] encode(CameraFrame frame) {
        try (NDManager m = NDManager.newBaseManager(encoder.device())) {
            NDArray zp = encoder.encodeFrame(m, frame).toDevice(predictor.device(), false); // [N, D]
            return predictor.normalize(zp.reshape(tokens, dim)).toFloatArray();
        }
    }

    @Override public float[] rollout(float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim) {
        return rollout.rollout(latent, proprio, actions, samples, horizon, actionDim);
    }

    /** One step of the energy between an encoded frame and a goal: mean |Δ| per latent entry, plus the state head's term. */
    @Override public double goalDistance(float[] latent, float[] goal) {
        double d = LatentRollout.super.goalDistance(latent, goal);
        if (stateWeight == 0 || Double.isNaN(d)) return d;
        ConvEncoder head = (ConvEncoder) encoder;
        try (NDManager m = NDManager.newBaseManager(encoder.device())) {
            float[] a = head.readStateStandardised(m.create(latent, new ai.djl.ndarray.types.Shape(1, dim))).toFloatArray();
            float[] b = head.readStateStandardised(m.create(goal, new ai.djl.ndarray.types.Shape(1, dim))).toFloatArray();
            double s = 0;
            for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
            return d + stateWeight * s / a.length;
        }
    }

    @Override public float[] energies(float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim,
                                      float[] goal, EnergyMode mode) {
        return rollout.energies(latent, proprio, actions, samples, horizon, actionDim, goal, mode);
    }

    @Override public java.util.Map<String, Double> energyTerms(float[] latent, float[] proprio, float[] actions, int horizon,
                                                               int actionDim, float[] goal, EnergyMode mode) {
        return rollout.energyTerms(latent, proprio, actions, horizon, actionDim, goal, mode);
    }

    @Override public void close() {
        try (encoder; predictor) {
            // both closed
        }
    }
}
