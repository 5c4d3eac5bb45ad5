package dev.wmpc.launch;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Vec3;
import dev.wmpc.planner.CostModel;
import dev.wmpc.planner.EnergyMode;
import dev.wmpc.planner.TrajectoryCost;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.SimState;
import dev.wmpc.sim.Task;

/**
 * The oracle baseline: the planner's model is the simulator itself. Each cost call snapshots the episode's simulator
 * and, for every candidate sequence, restores a headless twin to that state, plays the sequence and reads the true
 * task distance. An upper bound for what a learned world model can reach with the same planner.
 *
 * <p>Energy: reach uses the end effector's distance to the goal. Push and pick-place use the cube's distance to the
 * goal plus {@value #REACH_WEIGHT} × the end effector's distance to the cube (a short horizon cannot see the cube
 * move before the hand gets there), and pick-place adds {@value #HOLD_PENALTY} m while the cube is held on the goal
 * (success needs it released).
 */
final class SimOracle implements CostModel, AutoCloseable {
    static final double REACH_WEIGHT = 0.25;
    static final double HOLD_PENALTY = 0.02;

    private final SimRobot episode;
    private final SimRobot twin;
    private final EnergyMode mode;

    SimOracle(SimRobot episode, EnergyMode mode) {
        this.episode = episode;
        this.twin = SimRobot.headless(episode.config());
        this.mode = mode;
    }

    @Override public TrajectoryCost costFor(Observation observation, int step) {
        SimState start = episode.snapshot();
        return (actions, samples, horizon, actionDim) -> {
            float[] energy = new float[samples];
            for (int s = 0; s < samples; s++) {
                twin.restore(start);
                double total = 0;
                for (int h = 0; h < horizon; h++) {
                    int o = (s * horizon + h) * actionDim;
                    twin.act(new Action.EndEffectorDelta(actions[o], actions[o + 1], actions[o + 2], actions[o + 3]));
                    if (mode == EnergyMode.SUM || h == horizon - 1) total += energy(twin);
                }
                energy[s] = (float) total;
            }
            return energy;
        };
    }

    static double energy(SimRobot sim) {
        Task task = sim.task();
        double d = task.distance(sim);
        if (task instanceof Task.Reach) return d;
        Vec3 cube = sim.cubePose(0).position();
        double e = d + REACH_WEIGHT * sim.eePosition().distance(cube);
        if (task instanceof Task.PickPlace && sim.isHolding(0) && d < task.threshold()) e += HOLD_PENALTY;
        return e;
    }

    @Override public void close() { twin.close(); }
}
