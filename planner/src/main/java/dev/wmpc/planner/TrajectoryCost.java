package dev.wmpc.planner;

/**
 * What the planners minimise: the energy of S candidate action sequences, evaluated in ONE batched call.
 *
 * <p>{@code actions} is row-major {@code [samples, horizon, actionDim]}: sample s, step h, entry a sits at
 * {@code (s * horizon + h) * actionDim + a}. With {@link PlannerConfig#ACTION_DIM} = 4 each step is
 * (dx, dy, dz, gripper), the layout of {@link dev.wmpc.core.Action.EndEffectorDelta#toVector()}.
 * The result has one energy per sample (lower is better). An implementation that finds its inputs broken (NaN
 * latents, a model that does not match) throws {@link HoldException}; the planner then holds instead of acting.
 */
@FunctionalInterface
public interface TrajectoryCost {
    float[] cost(float[] actions, int samples, int horizon, int actionDim);

    /**
     * The gripper command (-1 closed .. 1 open) the goal itself asks for, when it does (a goal observation that gives
     * its gripper): the planners then command it at every step instead of searching it, unless their config fixes the
     * gripper already. Empty by default.
     */
    default java.util.OptionalDouble gripperCommand() { return java.util.OptionalDouble.empty(); }

    /**
     * The energy of one sequence ({@code [horizon, actionDim]} row-major) split into its named terms, which add up to
     * its {@link #cost} (e.g. {@code latent}, {@code state_head}, {@code proprio}): for logs and displays, asked once
     * per plan for the chosen sequence, not in the search. Empty (the default) when the cost has no named terms.
     */
    default java.util.Map<String, Double> terms(float[] actions, int horizon, int actionDim) { return java.util.Map.of(); }
}
