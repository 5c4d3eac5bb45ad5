package dev.wmpc.planner;

import dev.wmpc.core.Action;
import java.util.Arrays;

/** The outcome of one planning call: a plan to act on, or a refusal to act with the reason. */
public sealed interface PlanResult permits PlanResult.Plan, PlanResult.Hold {

    /** Wall-clock time the planning call took, in milliseconds. */
    double planMs();

    /**
     * A planned action sequence.
     *
     * @param actions        {@code [horizon, actionDim]} row-major: the best sequence evaluated
     * @param energy         its energy (the lowest seen in this call)
     * @param bestPerIteration lowest energy seen up to and including each iteration (non-increasing), for plots
     * @param iterations     iterations completed (fewer than configured when the deadline stopped the search)
     * @param deadlineHit    true when the deadline ended the search early
     */
    record Plan(float[] actions, int horizon, int actionDim, double energy, double[] bestPerIteration,
                int iterations, boolean deadlineHit, double planMs) implements PlanResult {
        public Plan {
            if (actions.length != horizon * actionDim)
                throw new IllegalArgumentException("plan has " + actions.length + " numbers, expected " + horizon + "x" + actionDim);
            actions = actions.clone();
            bestPerIteration = bestPerIteration.clone();
        }

        @Override public float[] actions() { return actions.clone(); }
        @Override public double[] bestPerIteration() { return bestPerIteration.clone(); }

        /** Step h of the plan as a vector of {@code actionDim} numbers. */
        public float[] step(int h) { return Arrays.copyOfRange(actions, h * actionDim, (h + 1) * actionDim); }

        /** The action to execute now (receding horizon: only the first step is acted). */
        public Action.EndEffectorDelta firstAction() { return Action.EndEffectorDelta.of(step(0)); }
    }

    /** The planner refuses to act; {@code reason} says why (e.g. the world model predicted NaN latents). */
    record Hold(String reason, double planMs) implements PlanResult {}
}
