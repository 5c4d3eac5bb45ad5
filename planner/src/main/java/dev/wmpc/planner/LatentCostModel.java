package dev.wmpc.planner;

import dev.wmpc.core.Observation;

/** Observe → encode → latent energy against the active sub-goal. Non-finite latents hold the robot. */
public final class LatentCostModel implements CostModel {
    private final ObservationEncoder encoder;
    private final LatentRollout model;
    private final GoalSequence goals;
    private final EnergyMode mode;

    public LatentCostModel(ObservationEncoder encoder, LatentRollout model, GoalSequence goals, EnergyMode mode) {
        this.encoder = encoder;
        this.model = model;
        this.goals = goals;
        this.mode = mode;
    }

    public GoalSequence goals() { return goals; }

    @Override public TrajectoryCost costFor(Observation observation, int step) {
        float[] latent = encoder.encode(observation.primaryFrame());
        int bad = LatentEnergy.firstNonFinite(latent);
        if (bad >= 0)
            throw new HoldException("the encoder gave a non-finite latent (entry " + bad + ") for the current frame, so the planner does not act");
        int g = goals.indexAt(step);
        float[] goal = goals.goals().get(g).latent();
        bad = LatentEnergy.firstNonFinite(goal);
        if (bad >= 0)
            throw new HoldException("goal " + g + "'s latent is non-finite (entry " + bad + "), so the planner does not act; re-encode the goal image");
        return new LatentEnergy(model, latent, observation.state().toVector(), goal, mode);
    }
}
