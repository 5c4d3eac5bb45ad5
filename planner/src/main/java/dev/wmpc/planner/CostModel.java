package dev.wmpc.planner;

import dev.wmpc.core.Observation;

/**
 * Turns what the robot sees now into the cost the planner minimises at this control step: the latent energy over the
 * world model ({@link LatentCostModel}), or the simulator itself as an oracle. May throw {@link HoldException}.
 */
@FunctionalInterface
public interface CostModel {
    TrajectoryCost costFor(Observation observation, int step);
}
