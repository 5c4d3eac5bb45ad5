package dev.wmpc.launch;

import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Observation;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.video.EncodedVideo;
import dev.wmpc.dataset.video.Mp4Writer;
import dev.wmpc.planner.CostModel;
import dev.wmpc.planner.EnergyMode;
import dev.wmpc.planner.EpisodeMonitor;
import dev.wmpc.planner.EpisodeSummary;
import dev.wmpc.planner.EvalSummary;
import dev.wmpc.planner.GoalSequence;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.planner.PlannerConfig;
import dev.wmpc.planner.PlannerKind;
import dev.wmpc.planner.RecedingHorizonController;
import dev.wmpc.planner.StepRecord;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.render.EglSceneRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc eval}: runs planners in closed loop on a simulator task and reports success rate, mean final distance,
 * steps to success and plan-time percentiles. cem and mppi plan over the learned world model; oracle is the same CEM
 * with the simulator itself as the model (the upper bound); random is the baseline.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {EvalProbeCommand.class, EvalWorldModelCommand.class, EvalEnergyCommand.class},
        description = "Run a planner in closed loop on a simulated task and report success rate, final distance, "
                + "steps to success and plan time. cem / mppi plan over the learned world model (--model); oracle is CEM "
                + "with the simulator itself as the model (the upper bound); random is the baseline. "
                + "The oracle's planner defaults are smaller: --samples 16, --iters 2, --horizon 2.")
public final class EvalCommand implements Callable<Integer> {
    /** What {@code --planner} accepts: the planner module's planners over the world model, plus the oracle. */
    enum Choice { CEM, MPPI, ORACLE, RANDOM }

    @Mixin CommonOptions common;

    // Not picocli-required: `wmpc eval probe` and `wmpc eval world-model` are subcommands that do not take it.
    @Option(names = "--task", paramLabel = "TASK", description = "reach, push or pick-place (required unless a subcommand is given).")
    String task;

    @Option(names = "--planner", split = ",", defaultValue = "cem", paramLabel = "PLANNER",
            description = "cem, mppi, oracle or random; a comma list (e.g. cem,oracle,random) runs each in turn (default: ${DEFAULT-VALUE}).")
    List<Choice> planners;

    @Option(names = "--episodes", defaultValue = "10", paramLabel = "N", description = "Episodes per planner (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed-start", defaultValue = "100000", paramLabel = "S",
            description = "Episode i uses seed S + i; the default is held out from data-collection seeds (default: ${DEFAULT-VALUE}).")
    long seedStart;

    @Option(names = "--model", defaultValue = "default", paramLabel = "default|DIR",
            description = "World model for cem / mppi: the shipped default or a folder with encoder/ and predictor/ (default: ${DEFAULT-VALUE}).")
    String model;

    /** --samples, --iters, --horizon, --device, --threads; the oracle's sizes are smaller unless given (see plannerConfig). */
    @Mixin PlannerOptions plannerOptions = new PlannerOptions(48, 4, 3);

    @Option(names = "--top-k", paramLabel = "K", description = "CEM elites (default: samples / 8, at least 2).")
    Integer topK;

    @Option(names = "--max-norm", defaultValue = "0.05", paramLabel = "METRES",
            description = "Longest planned step per control period (default: ${DEFAULT-VALUE}).")
    double maxNorm;

    @Option(names = "--deadline-ms", defaultValue = "0", paramLabel = "MS",
            description = "Anytime budget per plan: the best plan found by then; 0 = no deadline (default: ${DEFAULT-VALUE}).")
    long deadlineMs;

    @Option(names = "--energy", defaultValue = "sum", paramLabel = "final|sum",
            description = "Latent energy summed over the predicted steps (favours plans that get there sooner and stay), or "
                    + "of the final step only, as V-JEPA 2-AC (default: ${DEFAULT-VALUE}).")
    EnergyMode energy;

    @Mixin SimGoalOptions goals;

    @Option(names = "--max-steps", paramLabel = "N", description = "Step budget per episode (default: the task's episode length).")
    Integer maxSteps;

    @Option(names = "--camera-size", paramLabel = "PIXELS", description = "Camera frames (default: the encoder's image size, or 64).")
    Integer cameraSize;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write an mp4 per episode (goal image beside the camera view), per-step logs (JSONL) and PNG plots here.")
    Path out;

    @Override public Integer call() throws IOException {
        common.applyLogging();
        plannerOptions.applyThreads();
        if (task == null) throw WmpcException.usage("missing --task: choose reach, push or pick-place (or a subcommand: probe, world-model)");
        Task t = SimChoices.task(task);
        if (episodes < 1) throw WmpcException.usage("--episodes " + episodes + " must be at least 1");
        if (maxSteps != null && maxSteps < 1) throw WmpcException.usage("--max-steps " + maxSteps + " must be at least 1");
        if (cameraSize != null && (cameraSize < CameraSpec.MIN_SIZE || cameraSize > CameraSpec.MAX_SIZE))
            throw WmpcException.usage("--camera-size " + cameraSize + " is out of range: use " + CameraSpec.MIN_SIZE + " to " + CameraSpec.MAX_SIZE + " pixels");
        if (deadlineMs < 0) throw WmpcException.usage("--deadline-ms " + deadlineMs + " must be 0 (none) or positive");
        for (Choice c : planners) plannerOptions.controller(PlannerKind.CEM, plannerConfig(c, t), energy); // bad numbers fail before any work
        if (out != null) Files.createDirectories(out);

        boolean learned = planners.contains(Choice.CEM) || planners.contains(Choice.MPPI);
        try (LearnedWorldModel wm = learned ? LearnedWorldModel.load(modelDir(model), plannerOptions.device()) : null) {
            Map<String, EvalSummary> results = new LinkedHashMap<>();
            Map<String, List<double[]>> curves = new LinkedHashMap<>();
            for (Choice c : planners) {
                String name = c.name().toLowerCase(Locale.ROOT);
                PlannerConfig config = plannerConfig(c, t);
                List<EpisodeSummary> runs = new ArrayList<>();
                List<double[]> energyCurves = new ArrayList<>();
                for (int i = 0; i < episodes; i++) {
                    long seed = seedStart + i;
                    EpisodeSummary e = runEpisode(c, config, t, seed, wm, out == null ? null : out.resolve(name + "-seed" + seed));
                    runs.add(e);
                    for (StepRecord r : e.log()) if (r.bestPerIteration().length > 1) energyCurves.add(r.bestPerIteration());
                    System.out.printf(Locale.ROOT, "%s %s seed %d: %s after %d steps, final distance %.3f m, plan p50 %.1f ms%s%n",
                            t.name(), name, seed, e.success() ? "success" : "failure", e.steps(), e.finalDistance(),
                            EvalSummary.percentile(e.planMs(), 50), e.holds() > 0 ? ", " + e.holds() + " holds" : "");
                }
                EvalSummary s = EvalSummary.of(runs);
                results.put(name, s);
                curves.put(name, energyCurves);
                System.out.printf(Locale.ROOT, "%s %s: success %.0f%% of %d episodes, mean final distance %.3f m, plan p50 %.1f ms, p95 %.1f ms%n",
                        t.name(), name, 100 * s.successRate(), s.episodes(), s.finalDistanceMean(), s.planMsP50(), s.planMsP95());
            }
            if (out != null) writePlots(t, results, curves);
            Map<String, Object> r = report(t, results);
            r.putAll(help(planners.get(0), wm));
            if (results.size() > 1) {
                @SuppressWarnings("unchecked") Map<String, Object> by = (Map<String, Object>) r.get("by_planner");
                for (Choice c : planners) {
                    @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) by.get(c.name().toLowerCase(Locale.ROOT));
                    m.putAll(help(c, wm));
                }
            }
            common.report(r);
        }
        return 0;
    }

    /** The model folder for {@code --model}: "default" is the shipped model ({@link DefaultModel}), anything else a folder. */
    static Path modelDir(String model) {
        return DefaultModel.resolve(model);
    }

    /** The oracle plans with the simulator itself: 16 samples, 2 iterations, horizon 2 unless the options are given. */
    PlannerConfig plannerConfig(Choice c, Task t) {
        boolean oracle = c == Choice.ORACLE;
        PlannerOptions p = plannerOptions;
        int s = oracle && !p.given("--samples") ? 16 : p.samples();
        return p.config(b -> {
            b.samples(s)
                    .iterations(oracle && !p.given("--iters") ? 2 : p.iterations())
                    .horizon(oracle && !p.given("--horizon") ? 2 : p.horizon())
                    .topK(topK != null ? topK : Math.max(2, s / 8))
                    .maxNorm(maxNorm)
                    .deadlineMs(deadlineMs);
            // Reach never needs the gripper (keep it open); push pushes with it closed; pick-place plans it.
            switch (t) {
                case Task.Reach r -> b.fixedGripper(1);
                case Task.Push q -> b.fixedGripper(-1);
                case Task.PickPlace q -> b.plannedGripper();
            }
        }, "--top-k, --max-norm");
    }

    private EpisodeSummary runEpisode(Choice c, PlannerConfig config, Task t, long seed, LearnedWorldModel wm, Path video)
            throws IOException {
        boolean frames = wm != null && (c == Choice.CEM || c == Choice.MPPI) || video != null;
        int size = cameraSize != null ? cameraSize : wm != null ? wm.imageSize() : 64;
        SimConfig sc = SimConfig.defaults(t).withCameraSize(size);
        int budget = maxSteps != null ? maxSteps : t.episodeLength();
        // The oracle steps a second physics world: built only where it scores plans (oracle; random is scored by it too).
        boolean needsOracle = c == Choice.ORACLE || c == Choice.RANDOM;
        try (SimRobot sim = frames ? new SimRobot(sc, new EglSceneRenderer()) : SimRobot.headless(sc);
             SimOracle oracle = needsOracle ? new SimOracle(sim, energy) : null) {
            Observation start = sim.reset(seed);
            GoalController.Goals goalSet = frames ? goals.goals(sim) : null;
            CameraFrame goalImage = frames ? goalSet.images().get(goalSet.images().size() - 1) : null;
            if (goalSet != null) goalImagesGiven = Math.max(goalImagesGiven, goalSet.images().size());
            PlannerKind kind = switch (c) {
                case CEM, ORACLE -> PlannerKind.CEM;
                case MPPI -> PlannerKind.MPPI;
                case RANDOM -> PlannerKind.RANDOM;
            };
            var controller = switch (c) {
                // random is scored with the oracle's energy (one sample per step)
                case ORACLE, RANDOM -> new RecedingHorizonController(kind.create(config, seed), oracle);
                case CEM, MPPI -> plannerOptions.controller(kind, config, energy).build(wm, goalSet, seed);
            };
            EpisodeMonitor monitor = new EpisodeMonitor() {
                @Override public boolean success(Observation o) { return sim.success(); }
                @Override public OptionalDouble distance(Observation o) { return OptionalDouble.of(sim.distanceToGoal()); }
            };
            List<byte[]> sideBySide = new ArrayList<>();
            EpisodeSummary e = controller.run(sim, start, seed, monitor, budget, o -> {
                if (video != null) sideBySide.add(besideGoal(goalImage, o.primaryFrame()));
            });
            if (video != null) {
                writeSteps(Path.of(video + ".jsonl"), e);
                writeVideo(Path.of(video + ".mp4"), sideBySide, 2 * size, size, (int) Math.round(1 / sim.controlPeriod()));
            }
            return e;
        }
    }

    /** The most goal images any episode was given (reported as goal_images). */
    private int goalImagesGiven;

    /** RGB8 bytes of the goal image (left) and the camera view (right). */
    static byte[] besideGoal(CameraFrame goal, CameraFrame view) {
        CameraFrame g = goal.toRgb8(), v = view.toRgb8();
        int w = v.width(), h = v.height();
        byte[] out = new byte[2 * w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(g.data(), y * w * 3, out, y * 2 * w * 3, w * 3);
            System.arraycopy(v.data(), y * w * 3, out, (y * 2 * w + w) * 3, w * 3);
        }
        return out;
    }

    private static void writeVideo(Path file, List<byte[]> frames, int width, int height, int fps) throws IOException {
        try (dev.wmpc.dataset.video.H264Encoder enc = new dev.wmpc.dataset.video.H264Encoder(width, height, fps)) {
            for (byte[] f : frames) enc.encode(f);
            EncodedVideo v = enc.finish();
            Mp4Writer.write(file, List.of(v));
        }
    }

    private static void writeSteps(Path file, EpisodeSummary e) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            for (StepRecord r : e.log()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("step", r.step());
                m.put("goal", r.goalIndex());
                m.put("plan_ms", r.planMs());
                m.put("energy", Double.isFinite(r.energy()) ? r.energy() : null);
                if (!r.energyTerms().isEmpty()) m.put("energy_terms", r.energyTerms());
                m.put("action", r.action().toVector());
                m.put("best_energy_per_iteration", r.bestPerIteration());
                if (r.held()) m.put("hold", r.holdReason());
                w.println(CommonOptions.toJson(m));
            }
        }
    }

    private void writePlots(Task t, Map<String, EvalSummary> results, Map<String, List<double[]>> curves) throws IOException {
        Map<String, Double> rates = new LinkedHashMap<>();
        results.forEach((k, v) -> rates.put(k, v.successRate()));
        EvalPlots.successBars(out.resolve("success.png"), t.name() + ": success rate per planner", rates);
        for (Map.Entry<String, List<double[]>> e : curves.entrySet())
            if (!e.getValue().isEmpty())
                EvalPlots.energyCurves(out.resolve("energy-" + e.getKey() + ".png"),
                        t.name() + " " + e.getKey() + ": best energy over planner iterations", e.getValue());
    }

    /**
     * What helped planner {@code c}: {@code goal_images} (the most any episode was given), {@code privileged} (whether
     * anything only the simulator knows reached the planner: scripted sub-goals with step budgets and gripper states,
     * or the simulator itself as the oracle's model), {@code energy} and its terms.
     */
    private Map<String, Object> help(Choice c, LearnedWorldModel wm) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean learned = c == Choice.CEM || c == Choice.MPPI;
        m.put("goal_images", learned ? goalImagesGiven : 0);
        m.put("goals", learned ? goals.name() : "none");
        m.put("privileged", c == Choice.ORACLE || learned && goals.privileged());
        if (learned) m.putAll(plannerOptions.controller(PlannerKind.CEM, plannerConfig(c, SimChoices.task(task)), energy).describe(wm));
        else m.put("energy", c == Choice.ORACLE ? "simulator-distance" : "none");
        return m;
    }

    private static Map<String, Object> report(Task t, Map<String, EvalSummary> results) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("task", t.name());
        String first = results.keySet().iterator().next();
        r.put("planner", first);
        r.putAll(results.get(first).toJsonMap());
        if (results.size() > 1) {
            Map<String, Object> by = new LinkedHashMap<>();
            results.forEach((k, v) -> by.put(k, v.toJsonMap()));
            r.put("by_planner", by);
        }
        EvalSummary oracle = results.get("oracle");
        if (oracle != null && oracle.successRate() > 0) {
            Map<String, Object> frac = new LinkedHashMap<>();
            results.forEach((k, v) -> frac.put(k, v.successRate() / oracle.successRate()));
            r.put("fraction_of_oracle", frac);
        }
        return r;
    }
}
