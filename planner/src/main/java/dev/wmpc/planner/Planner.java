package dev.wmpc.planner;

/**
 * Chooses an action sequence that minimises a {@link TrajectoryCost}. Planners are stateful (random generator, warm
 * start) and seeded: the same seed and the same sequence of calls give the same plans.
 */
public interface Planner {
    /** Short name for logs and reports: cem, mppi, random. */
    String name();

    PlannerConfig config();

    /** Starts afresh: a new random stream from the seed, and no warm start. Call at the start of each episode. */
    void reset(long seed);

    /** One planning call. Never throws for broken model outputs: it returns {@link PlanResult.Hold} instead. */
    PlanResult plan(TrajectoryCost cost);
}
