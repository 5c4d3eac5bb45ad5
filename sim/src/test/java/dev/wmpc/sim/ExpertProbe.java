package dev.wmpc.sim;

import dev.wmpc.core.Action;
import dev.wmpc.core.Policy;
import dev.wmpc.sim.policy.PolicyKind;

/** Manual probe: runs experts and prints success and speed. */
public class ExpertProbe {
    public static void main(String[] args) {
        String taskName = args.length > 0 ? args[0] : "reach";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int cubes = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean verbose = args.length > 3;
        try (SimRobot sim = SimRobot.headless(SimConfig.defaults(Task.byName(taskName)).withCubes(cubes))) {
            int ok = 0; long steps = 0; long t0 = System.nanoTime();
            int first = Integer.getInteger("first", 0);
            for (int s = first; s < first + n; s++) {
                sim.reset(s);
                Policy p = PolicyKind.EXPERT.create(sim, 0);
                p.reset(s);
                while (!sim.done()) {
                    Action a = p.act(sim.observe());
                    Action applied = sim.act(a);
                    steps++;
                    if (verbose && s == Integer.getInteger("show", -1)) System.out.printf("  step %d ee %s cube %s held %s dist %.3f act %s%n", sim.stepCount(), sim.eePosition(), sim.cubePose(0).position(), sim.heldCube(), sim.distanceToGoal(), applied);
                }
                if (sim.success()) ok++;
                System.out.printf("seed %d success %s steps %d dist %.3f%n", s, sim.success(), sim.stepCount(), sim.distanceToGoal());
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: %d/%d success, %.0f steps/s%n", taskName, ok, n, steps / sec);
        }
    }
}
