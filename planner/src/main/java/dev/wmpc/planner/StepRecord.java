package dev.wmpc.planner;

import dev.wmpc.core.Action;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One control step of the closed loop: the sub-goal pursued, plan time, the plan's energy (NaN when holding), the
 * action sent, and the hold reason (null when the planner acted); with the planned sequence the action came from (its
 * first step; empty when holding) and that sequence's energy by named term (e.g. {@code latent}, {@code state_head},
 * {@code proprio}, adding up to the energy; empty when holding or when the cost has no named terms).
 */
public record StepRecord(int step, int goalIndex, double planMs, double energy, double[] bestPerIteration,
                         Action.EndEffectorDelta action, String holdReason, List<Action.EndEffectorDelta> plan,
                         Map<String, Double> energyTerms) {
    public StepRecord {
        bestPerIteration = bestPerIteration.clone();
        plan = List.copyOf(plan);
        energyTerms = Collections.unmodifiableMap(new LinkedHashMap<>(energyTerms));
    }

    /** A step without its plan or energy terms. */
    public StepRecord(int step, int goalIndex, double planMs, double energy, double[] bestPerIteration,
                      Action.EndEffectorDelta action, String holdReason) {
        this(step, goalIndex, planMs, energy, bestPerIteration, action, holdReason, List.of(), Map.of());
    }

    @Override public double[] bestPerIteration() { return bestPerIteration.clone(); }

    public boolean held() { return holdReason != null; }
}
