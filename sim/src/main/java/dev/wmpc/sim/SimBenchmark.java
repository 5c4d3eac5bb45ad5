package dev.wmpc.sim;

import dev.wmpc.core.Action;
import dev.wmpc.core.Policy;
import dev.wmpc.sim.policy.ExpertPolicy;
import dev.wmpc.sim.render.SceneRenderer;

/**
 * Times the simulator's control loop as training and planning use it: per control step one expert action, physics
 * substeps with IK and joint control, and (with a renderer) one frame per camera. Episodes restart from successive
 * seeds as they end. The renderer is owned by the {@link SimRobot} built here and closed with it.
 */
public final class SimBenchmark {
    /** Steps per second of the whole loop, and its split: ms per step in act (physics + IK) and in observe (render). */
    /**
     * Wall-clock steps per second and its split (act = expert + IK + physics, render = observe), plus CPU time: the
     * process's (all threads: renderer workers, JIT, GC) and this thread's, in ms per step. On a busy machine the
     * wall-clock figures include time spent waiting for a core; CPU time does not.
     */
    public record Result(String task, int cameraSize, int steps, int substeps, double seconds, double stepsPerSecond,
                         double actMsPerStep, double renderMsPerStep, double processCpuMsPerStep, double threadCpuMsPerStep,
                         int episodes, int successes) {}

    private SimBenchmark() {}

    public static Result run(SimConfig config, SceneRenderer renderer, int warmupSteps, int steps, long seed) {
        try (SimRobot sim = new SimRobot(config, renderer)) {
            Policy expert = new ExpertPolicy(sim);
            long episodeSeed = seed;
            sim.reset(episodeSeed);
            for (int i = 0; i < warmupSteps; i++) {
                if (sim.done()) sim.reset(++episodeSeed);
                sim.act(expert.act(sim.observe()));
            }
            sim.reset(++episodeSeed);
            int episodes = 1, successes = 0;
            long actNs = 0, obsNs = 0;
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = os.getProcessCpuTime(), thread0 = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                if (sim.done()) {
                    if (sim.success()) successes++;
                    sim.reset(++episodeSeed);
                    episodes++;
                }
                long t0 = System.nanoTime();
                var obs = sim.observe();
                long t1 = System.nanoTime();
                Action a = expert.act(obs);
                sim.act(a);
                long t2 = System.nanoTime();
                obsNs += t1 - t0;
                actNs += t2 - t1;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double processCpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / steps;
            double threadCpuMs = (threads.getCurrentThreadCpuTime() - thread0) / 1e6 / steps;
            int size = config.cameras().isEmpty() ? 0 : config.cameras().get(0).width();
            return new Result(config.task().name(), size, steps, config.substeps(), seconds, steps / seconds,
                    actNs / 1e6 / steps, obsNs / 1e6 / steps, processCpuMs, threadCpuMs, episodes, successes);
        }
    }
}
