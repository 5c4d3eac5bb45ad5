package dev.wmpc.launch;

import ai.djl.Device;
import dev.wmpc.core.Action;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Collector;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.DatasetWriter;
import dev.wmpc.dataset.Durable;
import dev.wmpc.perception.ConvEncoder;
import dev.wmpc.perception.JepaTrainer;
import dev.wmpc.perception.TrainConfig;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.planner.StateReadout;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.policy.PolicyKind;
import dev.wmpc.sim.render.EglSceneRenderer;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.FrameEpisodes;
import dev.wmpc.worldmodel.WorldModelTrainer;
import dev.wmpc.worldmodel.LatentCache;
import dev.wmpc.worldmodel.PredictorConfig;
import dev.wmpc.worldmodel.PredictorTrainer;
import dev.wmpc.worldmodel.TrainOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc train all}: the whole recipe of a planning model, reproducible from the seed: collect noisy-expert
 * episodes on reach, push and pick-place in the simulator (a LeRobot dataset), then train the world model on them end
 * to end (the encoder and the action-conditioned predictor together, {@link WorldModelTrainer}), and write the model
 * folder (encoder/, predictor/, manifest.json). {@code --recipe vjepa} keeps the earlier pipeline as a baseline: a
 * V-JEPA encoder trained alone, the dataset encoded once by it, a predictor trained on the frozen latents.
 */
@Command(name = "all", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Collect data in the simulator, then train the world model end to end: a model folder for --model.",
                "The shipped default model is " + DefaultModel.RECIPE + "."})
public final class TrainAllCommand implements Callable<Integer> {
    static final List<String> TASKS = List.of("reach", "push", "pick-place");

    @Mixin CommonOptions common;

    @Option(names = "--preset", defaultValue = "default", paramLabel = "NAME",
            description = "Run sizes: default (the shipped model, ~30 min on 2 cores) or tiny (seconds; learns little) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model folder to write (encoder/, predictor/, manifest.json).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every random choice: episodes, weights, batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--episodes", paramLabel = "N", description = "Episodes per task (reach, push and pick-place) (default: the preset's).")
    Integer episodes;

    /** What is trained on the collected data. */
    enum Recipe { WORLD_MODEL, VJEPA }

    @Option(names = "--recipe", defaultValue = "world-model", paramLabel = "world-model|vjepa",
            converter = RecipeConverter.class,
            description = "world-model: the encoder and predictor trained together end to end (the shipped model); vjepa: "
                    + "a V-JEPA encoder trained alone, then a predictor on its frozen latents, and a state readout "
                    + "(the earlier pipeline, kept as a baseline) (default: ${DEFAULT-VALUE}).")
    Recipe recipe;

    static final class RecipeConverter implements picocli.CommandLine.ITypeConverter<Recipe> {
        @Override public Recipe convert(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "world-model" -> Recipe.WORLD_MODEL;
                case "vjepa" -> Recipe.VJEPA;
                default -> throw WmpcException.usage("unknown --recipe '" + v + "': choose world-model or vjepa");
            };
        }
    }

    @Option(names = "--steps", paramLabel = "K", description = "World-model optimizer steps (default: the preset's).")
    Integer steps;

    @Option(names = "--encoder-steps", paramLabel = "K", description = "vjepa recipe: encoder optimizer steps (default: the preset's).")
    Integer encoderSteps;

    @Option(names = "--predictor-steps", paramLabel = "K", description = "vjepa recipe: predictor optimizer steps (default: the preset's).")
    Integer predictorSteps;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Folder for the dataset, checkpoints and latent cache (default: $XDG_CACHE_HOME/wmpc/train-all/<preset>-seed<S>; the dataset is reused when the run is repeated).")
    Path work;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "PyTorch threads (default: ${DEFAULT-VALUE}: fastest on a busy or 2-core machine; more threads only pay on idle cores).")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Override public Integer call() throws IOException {
        common.applyLogging();
        TrainAllPreset p = TrainAllPreset.of(TrainAllPreset.Name.parse(preset));
        if (episodes != null) {
            if (episodes < 2) throw WmpcException.usage("--episodes " + episodes + " must be at least 2 (one is held out)");
            p = p.withEpisodes(episodes);
        }
        if (encoderSteps != null) {
            if (encoderSteps < 1) throw WmpcException.usage("--encoder-steps must be >= 1, got " + encoderSteps);
            p = p.withEncoderSteps(encoderSteps);
        }
        if (predictorSteps != null) {
            if (predictorSteps < 1) throw WmpcException.usage("--predictor-steps must be >= 1, got " + predictorSteps);
            p = p.withPredictorSteps(predictorSteps);
        }
        if (steps != null) {
            if (steps < 1) throw WmpcException.usage("--steps must be >= 1, got " + steps);
            p = p.withWorldModelSteps(steps);
        }
        if (threads < 1) throw WmpcException.usage("--threads must be >= 1, got " + threads);
        Torch.threads(threads);
        Device dev = VideoEncoder.parseDevice(device);
        Path workDir = work != null ? work : Torch.cacheDir().resolve("train-all").resolve(p.name() + "-seed" + seed);
        Map<String, Object> summary = recipe == Recipe.VJEPA ? run(p, out, workDir, seed, dev, System.err, commandLine())
                : runWorldModel(p, out, workDir, seed, dev, System.err, commandLine());
        if (!common.json && recipe == Recipe.VJEPA)
            System.out.printf(Locale.ROOT, "model in %s: %d episodes (%d frames), encoder loss %.4f -> %.4f, predictor loss %.4f -> %.4f, %.0f s in all%n",
                    out, ((Number) summary.get("episodes")).intValue(), ((Number) summary.get("frames")).longValue(),
                    summary.get("encoder_first_loss"), summary.get("encoder_final_loss"),
                    summary.get("predictor_first_loss"), summary.get("predictor_final_loss"), summary.get("seconds"));
        if (!common.json && recipe == Recipe.WORLD_MODEL)
            System.out.printf(Locale.ROOT, "model in %s: %d episodes (%d frames), world-model loss %.4f -> %.4f, %.0f s in all%n",
                    out, ((Number) summary.get("episodes")).intValue(), ((Number) summary.get("frames")).longValue(),
                    summary.get("first_loss"), summary.get("final_loss"), summary.get("seconds"));
        common.report(summary);
        return 0;
    }

    private String commandLine() {
        StringBuilder b = new StringBuilder("wmpc train all --preset ").append(preset).append(" --out ").append(out)
                .append(" --seed ").append(seed);
        if (recipe == Recipe.VJEPA) b.append(" --recipe vjepa");
        if (steps != null) b.append(" --steps ").append(steps);
        if (episodes != null) b.append(" --episodes ").append(episodes);
        if (encoderSteps != null) b.append(" --encoder-steps ").append(encoderSteps);
        if (predictorSteps != null) b.append(" --predictor-steps ").append(predictorSteps);
        return b.toString();
    }

    /**
     * Stage 1 of both recipes: noisy-expert episodes on reach, push and pick-place into one LeRobot dataset under
     * {@code work} (resumed when it exists). Fills the manifest {@code m} and {@code stageSeconds}; returns the dataset.
     */
    static Path collect(TrainAllPreset p, Path work, long seed, PrintStream progress, String command, int stages,
                        Map<String, Object> m, Map<String, Double> stageSeconds) throws IOException {
        Files.createDirectories(work);
        m.put("format", 1);
        m.put("command", command);
        m.put("preset", p.name());
        m.put("seed", seed);
        m.put("tasks", TASKS);
        m.put("episodes_per_task", p.episodesPerTask());
        m.put("camera_size", p.cameraSize());
        m.put(ModelArm.KEY, ModelArm.simulator().toManifest());
        m.put("noise_m", p.noise());
        m.put("pick_place_noise_m", p.noise(new Task.PickPlace()));
        // 1. collect: noisy-expert episodes on reach, push and pick-place into one LeRobot dataset (resumed when it exists).
        progress.printf("[1/" + stages + "] collecting %d noisy-expert episodes on each of %s (%dx%d camera)%n", p.episodesPerTask(),
                String.join(", ", TASKS), p.cameraSize(), p.cameraSize());
        long s = System.nanoTime();
        Path data = work.resolve("dataset");
        int collected = 0, successes = 0;
        long frames = 0;
        for (int i = 0; i < TASKS.size(); i++) {
            Task task = Task.byName(TASKS.get(i));
            SimConfig config = SimConfig.defaults(task).withCameraSize(p.cameraSize());
            int maxSteps = p.maxSteps() > 0 ? Math.min(p.maxSteps(), task.episodeLength()) : task.episodeLength();
            DatasetSpec spec;
            try (SimRobot probe = SimRobot.headless(config)) {
                List<String> state = new ArrayList<>(probe.jointNames());
                state.addAll(RobotState.POSE_NAMES);
                spec = new DatasetSpec((int) Math.round(config.controlHz()), "wmpc-sim", config.cameras().stream()
                        .map(c -> new DatasetSpec.Camera(c.name(), c.width(), c.height())).toList(), state, Action.DELTA_NAMES,
                        probe.environmentStateNames());
            }
            // One worker: episodes land in the dataset in seed order, so the whole run is reproducible from --seed.
            double noise = p.noise(task);
            Collector<SimRobot> collector = new Collector<>(() -> new SimRobot(config, new EglSceneRenderer()),
                    sim -> PolicyKind.NOISY_EXPERT.create(sim, noise),
                    (sim, after, step) -> new Collector.Status(sim.done(), sim.success()));
            try (DatasetWriter writer = DatasetWriter.open(data, spec, DatasetWriter.Options.defaults().withResume(Files.exists(data)))) {
                Collector.Result r = collector.run(writer, new Collector.Plan(task.name(), p.episodesPerTask(),
                        Collector.episodeSeed(seed, 1_000_000 + i), maxSteps, 1), progress);
                collected += r.recorded() + r.skipped();
                successes += r.successes();
            }
        }
        try (DatasetClipSource source = new DatasetClipSource(data)) {
            frames = 0;
            for (int e = 0; e < source.episodes(); e++) frames += source.length(e);
            collected = source.episodes();
        }
        stageSeconds.put("collect", (System.nanoTime() - s) / 1e9);
        m.put("episodes", collected);
        m.put("frames", frames);
        m.put("collect_successes_this_run", successes);

        return data;
    }

    /**
     * The world-model recipe: collect, then train the encoder and predictor together ({@link WorldModelTrainer}); the
     * model folder keeps the weights, configs, loss plot, summary and manifest (the optimizer state stays in the work
     * folder). Returns the summary that is also the manifest.
     */
    static Map<String, Object> runWorldModel(TrainAllPreset p, Path out, Path work, long seed, Device device,
                                             PrintStream progress, String command) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        double cpu0 = cpuSeconds();
        Path data = collect(p, work, seed, progress, command, 2, m, stageSeconds);
        TrainAllPreset.WorldModel w = p.worldModel();
        progress.printf(Locale.ROOT, "[2/2] training the world model end to end (CNN to %d numbers, %d-wide %d-block predictor) for %d steps%n",
                w.latentDim(), w.width(), w.depth(), w.steps());
        long s = System.nanoTime();
        FrameEpisodes episodes = FrameEpisodes.load(data, null);
        TrainOptions d = TrainOptions.defaults(w.steps(), seed);
        TrainOptions o = new TrainOptions(w.steps(), w.batch(), w.clipFrames(), w.rolloutSteps(), w.lr(), w.lr() / 30,
                d.warmupSteps(), d.weightDecay(), d.gradClip(), d.checkpointEvery(), seed, false);
        WorldModelTrainer.Options options = new WorldModelTrainer.Options(o, new ConvEncoder.Config(episodes.size(), w.channels(),
                w.hidden(), w.latentDim()), w.width(), w.depth(), w.heads(), w.sigregWeight(), 256, Math.max(1, w.steps() / 8),
                w.stateWeight()).withSummedInputs(w.summedInputs());
        Path run = work.resolve("world-model-run");
        deleteRecursively(run);
        m.put("recipe", "world-model");
        m.put("camera", episodes.camera());
        m.put("state_names", episodes.stateNames());
        m.put("action_names", episodes.actionNames());
        m.put("energy", "latent-l1");
        WorldModelTrainer.Result r = WorldModelTrainer.train(episodes, options, run, device, m,
                TrainWorldModelCommand.listener(progress, w.batch()));
        stageSeconds.put("world_model", (System.nanoTime() - s) / 1e9);
        m.putAll(WorldModelTrainer.summary(r));
        m.remove("out");
        m.put("stage_seconds", stageSeconds);
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        m.put("cpu_seconds", cpuSeconds() - cpu0);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("finished", Instant.now().toString());
        Path staged = work.resolve("model");
        deleteRecursively(staged);
        Files.createDirectories(staged);
        copyRecursively(run.resolve(WorldModelTrainer.ENCODER_DIR), staged.resolve(LearnedWorldModel.ENCODER_DIR));
        copyRecursively(run.resolve(WorldModelTrainer.PREDICTOR_DIR), staged.resolve(LearnedWorldModel.PREDICTOR_DIR));
        Files.copy(run.resolve(WorldModelTrainer.LOSS_PLOT), staged.resolve(WorldModelTrainer.LOSS_PLOT));
        Map<String, Object> trained = new LinkedHashMap<>(WorldModelTrainer.summary(r));
        trained.remove("out"); // the work folder's path belongs to the machine that trained it, not to the model
        Files.writeString(staged.resolve(WorldModelTrainer.SUMMARY_FILE), CommonOptions.toJson(trained) + "\n");
        return publish(m, staged, out, progress);
    }

    /** The vjepa recipe (the earlier pipeline, a baseline); returns the summary that is also written into the manifest. */
    static Map<String, Object> run(TrainAllPreset p, Path out, Path work, long seed, Device device, PrintStream progress,
                                   String command) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        double cpu0 = cpuSeconds();
        Path data = collect(p, work, seed, progress, command, 4, m, stageSeconds);
        long frames = ((Number) m.get("frames")).longValue();
        long s;

        // 2. encoder: V-JEPA on the dataset's frames.
        m.put("recipe", "vjepa");
        progress.printf("[2/4] training the encoder (%d-d, depth %d) for %d steps%n", p.encoder().dim(), p.encoder().depth(), p.encoderSteps());
        s = System.nanoTime();
        Path staged = work.resolve("model");
        deleteRecursively(staged);
        Path encoderDir = staged.resolve(LearnedWorldModel.ENCODER_DIR);
        Path encoderCheckpoint = work.resolve("encoder-checkpoint");
        deleteRecursively(encoderCheckpoint);
        TrainConfig tc = TrainConfig.defaults(p.encoderSteps(), p.encoderBatch(), seed)
                .withCheckpointEvery(Math.max(1, p.encoderSteps() / 4));
        JepaTrainer.Result er;
        try (DatasetClipSource source = new DatasetClipSource(data);
             JepaTrainer trainer = JepaTrainer.create(p.encoder(), tc, device)) {
            int every = Math.max(1, p.encoderSteps() / 20);
            er = trainer.train(source, encoderCheckpoint, st -> {
                if (st.step() % every == 0 || st.step() == st.totalSteps())
                    progress.printf(Locale.ROOT, "  encoder step %d/%d loss %.4f (%.1f clips/s)%n", st.step(), st.totalSteps(), st.loss(), st.clipsPerSecond());
            });
            trainer.saveEncoder(encoderDir);
        }
        stageSeconds.put("encoder", (System.nanoTime() - s) / 1e9);
        m.put("encoder_steps", p.encoderSteps());
        m.put("encoder_first_loss", er.firstLoss());
        m.put("encoder_final_loss", er.finalLoss());
        m.put("encoder_target_std", er.finalTargetStd());
        m.put("encoder_target_participation_ratio", er.finalTargetRank());

        // 3. latents: the dataset encoded once by the frozen encoder.
        progress.printf("[3/4] encoding %d frames with the frozen encoder%n", frames);
        s = System.nanoTime();
        LatentCache latents;
        try (VideoEncoder enc = VideoEncoder.load(encoderDir, device)) {
            latents = LatentCache.openOrBuild(work.resolve("latents"), data, encoderDir, enc, null, 1, null);
        }
        stageSeconds.put("encode", (System.nanoTime() - s) / 1e9);

        // 3b. state readout: latents -> end-effector xyz (ridge, on the recorded proprioception), for the proprio term.
        s = System.nanoTime();
        StateReadout readout = StateReadout.fit(latents, 6000, seed);
        readout.save(staged);
        progress.printf(Locale.ROOT, "  state readout: held-out RMS error %.1f mm, %.3f energy per metre%n",
                1e3 * readout.heldOutRmse(), readout.energyPerMetre());
        stageSeconds.put("readout", (System.nanoTime() - s) / 1e9);
        m.put("readout_heldout_rmse_m", readout.heldOutRmse());
        m.put("readout_energy_per_metre", readout.energyPerMetre());

        // 4. predictor: action-conditioned, teacher forcing + rollout loss.
        progress.printf("[4/4] training the predictor (%d-wide, depth %d) for %d steps%n", p.predictorWidth(), p.predictorDepth(), p.predictorSteps());
        s = System.nanoTime();
        var spec = latents.spec();
        TrainOptions d = TrainOptions.defaults(p.predictorSteps(), seed);
        TrainOptions o = new TrainOptions(p.predictorSteps(), p.predictorBatch(), d.clipFrames(), d.rolloutSteps(),
                p.predictorLr(), d.minLearningRate(), d.warmupSteps(), d.weightDecay(), d.gradClip(),
                d.checkpointEvery(), seed, false);
        PredictorConfig pc = new PredictorConfig(spec.latentDim(), spec.gridHeight(), spec.gridWidth(), spec.actionDim(),
                spec.stateDim(), p.predictorWidth(), p.predictorDepth(), p.predictorHeads(), 4, 8, null, null, null, null, null);
        Path predictorRun = work.resolve("predictor-run");
        deleteRecursively(predictorRun);
        int every = Math.max(1, p.predictorSteps() / 20);
        PredictorTrainer.Result pr = PredictorTrainer.train(latents, pc, o, predictorRun, device,
                (step, total, loss, lr, sec) -> {
                    if (step % every == 0 || step == total)
                        progress.printf(Locale.ROOT, "  predictor step %d/%d loss %.4f (%.0f ms/step)%n", step, total, loss, sec * 1e3);
                });
        // The model keeps the weights and config only; optimizer moments and training state stay in the work folder.
        Path predictorDir = staged.resolve(LearnedWorldModel.PREDICTOR_DIR);
        Files.createDirectories(predictorDir);
        for (String f : List.of(AcPredictor.CONFIG_FILE, AcPredictor.PARAMETERS_FILE, PredictorTrainer.LOSS_PLOT))
            if (Files.exists(predictorRun.resolve(f)))
                Files.copy(predictorRun.resolve(f), predictorDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        stageSeconds.put("predictor", (System.nanoTime() - s) / 1e9);
        m.put("predictor_steps", p.predictorSteps());
        m.put("predictor_lr", p.predictorLr());
        m.put("predictor_first_loss", pr.firstLoss());
        m.put("predictor_final_loss", pr.finalLoss());
        if (pr.eval() != null) {
            m.put("predictor_heldout_l1", pr.eval().l1());
            m.put("predictor_heldout_copy_last_l1", pr.eval().copyLastL1());
        }
        m.put("stage_seconds", stageSeconds);
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        m.put("cpu_seconds", cpuSeconds() - cpu0);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("finished", Instant.now().toString());

        return publish(m, staged, out, progress);
    }

    /** Writes the manifest into the staged model, checks the model loads, moves it to {@code out}; returns the summary. */
    private static Map<String, Object> publish(Map<String, Object> m, Path staged, Path out, PrintStream progress) throws IOException {
        Files.writeString(staged.resolve(DefaultModel.MANIFEST), CommonOptions.toJson(m) + "\n");
        DefaultModel.inspect(staged);
        replace(staged, out);
        m.put("model", out.toString());
        m.put("bytes", folderBytes(out));
        progress.printf(Locale.ROOT, "model written to %s (%.1f MB)%n", out, ((Number) m.get("bytes")).longValue() / 1e6);
        return m;
    }

    /** CPU seconds this process has used (all threads), NaN when the JVM cannot tell. */
    static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getProcessCpuTime() / 1e9;
        return Double.NaN;
    }

    static long folderBytes(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void replace(Path staged, Path out) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) throw new WmpcException("--out " + out + " is a file: pass a folder");
        Durable.replaceDirectory(staged, out);
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        Durable.deleteTree(dir);
    }
}
