package dev.wmpc.launch;

import dev.wmpc.core.Action;
import dev.wmpc.planner.EnergyMode;
import dev.wmpc.planner.TrajectoryCost;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.SimState;
import dev.wmpc.sim.Task;

/** Manual probe: oracle cost-call time. */
public final class OracleProbe {
    public static void main(String[] a) {
        try (SimRobot sim = SimRobot.headless(SimConfig.defaults(new Task.Reach())); SimOracle o = new SimOracle(sim, EnergyMode.FINAL)) {
            sim.reset(1);
            TrajectoryCost c = o.costFor(sim.observe(), 0);
            float[] act = new float[24 * 2 * 4];
            c.cost(act, 24, 2, 4);
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) c.cost(act, 24, 2, 4);
            System.out.printf("S=24 H=2: %.1f ms per cost call%n", (System.nanoTime() - t0) / 1e6 / 5);
            SimState s = sim.snapshot();
            t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) sim.restore(s);
            System.out.printf("restore %.2f ms%n", (System.nanoTime() - t0) / 1e6 / 100);
            t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) sim.act(new Action.EndEffectorDelta(0.001, 0, 0, 1));
            System.out.printf("act %.2f ms%n", (System.nanoTime() - t0) / 1e6 / 100);
        }
    }
}
