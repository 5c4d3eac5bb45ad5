package dev.wmpc.planner;

/** The planners by name, as the CLI's {@code --planner} lists them (the oracle is CEM over the simulator). */
public enum PlannerKind {
    CEM, MPPI, RANDOM;

    public Planner create(PlannerConfig config, long seed) {
        return switch (this) {
            case CEM -> new CemPlanner(config, seed);
            case MPPI -> new MppiPlanner(config, seed);
            case RANDOM -> new RandomPlanner(config, seed);
        };
    }
}
