package dev.wmpc.planner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.WmpcException;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;

/**
 * The action-conditioned predictor behind {@link LatentRollout}: one batched rollout per call (KV-cached, or the naive
 * full recompute for benchmarks), in its own NDManager so native memory does not grow. {@link #energies} computes the
 * L1 energy on the predictor's device and copies back only S numbers. Does not own the predictor.
 */
public final class PredictorRollout implements LatentRollout {
    private final AcPredictor predictor;
    private final boolean kvCache;
    private final java.util.function.UnaryOperator<NDArray> stateHead;
    private final NDArray stateWeight;

    public PredictorRollout(AcPredictor predictor, boolean kvCache) {
        this(predictor, kvCache, null, 0);
    }

    /**
     * A rollout whose energy adds, with weight {@code stateWeight}, the world model's state head: the mean |Δ| between
     * the robot state {@code stateHead} reads from each predicted latent and the one it reads from the goal latent
     * (standardised units). {@code stateHead} maps latents {@code [M, D]} to {@code [M, K]}; null: the latent energy alone.
     */
    public PredictorRollout(AcPredictor predictor, boolean kvCache, java.util.function.UnaryOperator<NDArray> stateHead,
                            double stateWeight) {
        this.predictor = predictor;
        this.kvCache = kvCache;
        this.stateHead = stateWeight > 0 ? stateHead : null;
        // an array the predictor's manager owns, not a Java number wrapped per call (see AcPredictor's queryScale)
        this.stateWeight = this.stateHead == null ? null : predictor.manager().create((float) stateWeight);
    }

    @Override public int latentSize() { return predictor.config().tokens() * predictor.config().latentDim(); }

    @Override public float[] rollout(float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim) {
        try (NDManager m = NDManager.newBaseManager(predictor.device())) {
            return predict(m, latent, proprio, actions, samples, horizon, actionDim).toFloatArray();
        }
    }

    @Override public float[] energies(float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim,
                                      float[] goal, EnergyMode mode) {
        try (NDManager m = NDManager.newBaseManager(predictor.device())) {
            NDArray[] terms = perStepTerms(m, latent, proprio, actions, samples, horizon, actionDim, goal, mode);
            NDArray perStep = terms[1] == null ? terms[0] : terms[0].add(terms[1]);
            float[] energies = perStep.sum(new int[] {1}).toFloatArray();
            // A non-finite prediction makes its sample's energy non-finite, also with FINAL: each step reads the
            // previous prediction, and one NaN/inf latent turns every token of that sample's later frames into NaN
            // (layer norm, then attention over it). So checking S numbers here replaces a pass over [S, H, N, D].
            for (float e : energies)
                if (!Float.isFinite(e))
                    throw new HoldException("the world model predicted non-finite latents, so the planner does not act; check the model files");
            return energies;
        }
    }

    /** The latent term and, with a state head, its weighted term ({@code state_head}) of one sequence. */
    @Override public java.util.Map<String, Double> energyTerms(float[] latent, float[] proprio, float[] actions, int horizon,
                                                               int actionDim, float[] goal, EnergyMode mode) {
        try (NDManager m = NDManager.newBaseManager(predictor.device())) {
            NDArray[] terms = perStepTerms(m, latent, proprio, actions, 1, horizon, actionDim, goal, mode);
            java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
            out.put("latent", (double) terms[0].sum().getFloat());
            if (terms[1] != null) out.put("state_head", (double) terms[1].sum().getFloat());
            return out;
        }
    }

    /**
     * The energy's terms per sample and counted step, each {@code [S, H']}: the mean |Δ| between predicted and goal
     * latents, and the state head's term times its weight (null without a state head).
     */
    private NDArray[] perStepTerms(NDManager m, float[] latent, float[] proprio, float[] actions, int samples, int horizon,
                                   int actionDim, float[] goal, EnergyMode mode) {
        PredictorConfig c = predictor.config();
        NDArray pred = predict(m, latent, proprio, actions, samples, horizon, actionDim); // [S, H, N, D]
        NDArray g = m.create(goal, new Shape(1, 1, (long) c.tokens() * c.latentDim()));
        NDArray used = (mode == EnergyMode.FINAL ? pred.get(":, {}:", horizon - 1) : pred)
                .reshape(samples, -1, (long) c.tokens() * c.latentDim());
        NDArray latentTerm = used.sub(g).abs().mean(new int[] {2}); // [S, H'] mean |Δ| per step
        if (stateHead == null) return new NDArray[] {latentTerm, null};
        long steps = used.getShape().get(1);
        NDArray read = stateHead.apply(used.reshape(samples * steps, -1));
        NDArray goalRead = stateHead.apply(g.reshape(1, -1));
        NDArray stateTerm = read.sub(goalRead).abs().mean(new int[] {1}).reshape(samples, steps);
        return new NDArray[] {latentTerm, stateTerm.mul(stateWeight)};
    }

    private NDArray predict(NDManager m, float[] latent, float[] proprio, float[] actions, int samples, int horizon, int actionDim) {
        PredictorConfig c = predictor.config();
        if (proprio.length != c.stateDim())
            throw new WmpcException("the robot reports a state of " + proprio.length + " numbers but the predictor was trained on "
                    + c.stateDim() + "; use a model trained on this robot's data");
        NDArray z = m.create(latent, new Shape(c.tokens(), c.latentDim()));
        NDArray s = m.create(proprio, new Shape(c.stateDim()));
        NDArray a = m.create(actions, new Shape(samples, horizon, actionDim));
        return kvCache ? predictor.rollout(z, s, null, a) : predictor.rolloutNaive(z, s, null, a);
    }
}
