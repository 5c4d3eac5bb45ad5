package dev.wmpc.planner;

import dev.wmpc.core.Action;

/**
 * One control step of the closed loop: the sub-goal pursued, plan time, the plan's energy (NaN when holding), the
 * action sent, and the hold reason (null when the planner acted).
 */
public record StepRecord(int step, int goalIndex, double planMs, double energy, double[] bestPerIteration,
                         Action.EndEffectorDelta action, String holdReason) {
    public StepRecord {
        bestPerIteration = bestPerIteration.clone();
    }

    @Override public double[] bestPerIteration() { return bestPerIteration.clone(); }

    public boolean held() { return holdReason != null; }
}
