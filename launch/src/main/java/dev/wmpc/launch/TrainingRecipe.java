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
import dev.wmpc.worldmodel.LatentCache;
import dev.wmpc.worldmodel.PredictorConfig;
import dev.wmpc.worldmodel.PredictorTrainer;
import dev.wmpc.worldmodel.TrainOptions;
import dev.wmpc.worldmodel.WorldModelTrainer;
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

/**
 * The whole recipe of a planning model, reproducible from the seed, one method a stage, each returning what it made:
 * {@link #collect} (noisy-expert episodes on reach, push and pick-place in the simulator, one LeRobot dataset in the
 * work folder), {@link #train} (the model, staged in the work folder) and {@link #publish} (its manifest written, the
 * folder checked and moved into place). {@code wmpc train all} runs the three in order.
 *
 * <p>{@link Kind#WORLD_MODEL} trains the encoder and the action-conditioned predictor together end to end
 * ({@link WorldModelTrainer}); {@link Kind#VJEPA} keeps the earlier pipeline as a baseline: a V-JEPA encoder trained
 * alone, the dataset encoded once by it, a state readout and a predictor on the frozen latents.
 *
 * <p>One instance is one run: the manifest's {@code seconds} and {@code cpu_seconds} count from its creation.
 */
public final class TrainingRecipe {
    public static final List<String> TASKS = List.of("reach", "push", "pick-place");

    /** What is trained on the collected data. */
    public enum Kind {
        WORLD_MODEL("world-model", 2), VJEPA("vjepa", 4);

        private final String label;
        private final int stages;

        Kind(String label, int stages) {
            this.label = label;
            this.stages = stages;
        }

        /** The name on the command line ({@code --recipe}) and in the manifest ({@code recipe}). */
        public String label() { return label; }
    }

    /**
     * The collected dataset: its folder, its episodes and frames (those of an earlier run's dataset it resumed
     * included), the successful episodes this run recorded, and the stage's seconds.
     */
    public record Collected(Path data, int episodes, long frames, int successes, double seconds) {}

    /**
     * A model trained and staged in the work folder, not yet published: its folder, what its training adds to the
     * manifest (in order) and the seconds of its stages.
     */
    public record Trained(Path staged, Map<String, Object> manifest, Map<String, Double> stageSeconds) {}

    /** The published model: its folder, its size in bytes and the manifest written into it. */
    public record Published(Path model, long bytes, Map<String, Object> manifest) {
        /** The run's summary (what {@code --json} prints): the manifest, then the model's folder and size. */
        public Map<String, Object> summary() {
            Map<String, Object> s = new LinkedHashMap<>(manifest);
            s.put("model", model.toString());
            s.put("bytes", bytes);
            return s;
        }
    }

    private final Kind kind;
    private final TrainAllPreset preset;
    private final Path work;
    private final long seed;
    private final Device device;
    private final PrintStream progress;
    private final String command;
    private final long started = System.nanoTime();
    private final double cpuStarted = cpuSeconds();

    /**
     * @param work     folder for the dataset (reused when the run is repeated), checkpoints, latents and the staged model
     * @param progress where each stage reports as it goes
     * @param command  the command line recorded in the manifest
     */
    public TrainingRecipe(Kind kind, TrainAllPreset preset, Path work, long seed, Device device, PrintStream progress,
                          String command) {
        this.kind = kind;
        this.preset = preset;
        this.work = work;
        this.seed = seed;
        this.device = device;
        this.progress = progress;
        this.command = command;
    }

    /**
     * Stage 1: noisy-expert episodes on reach, push and pick-place into one LeRobot dataset under the work folder
     * (resumed when it exists). One worker: episodes land in the dataset in seed order.
     */
    public Collected collect() throws IOException {
        Files.createDirectories(work);
        TrainAllPreset p = preset;
        progress.printf("[1/" + kind.stages + "] collecting %d noisy-expert episodes on each of %s (%dx%d camera)%n",
                p.episodesPerTask(), String.join(", ", TASKS), p.cameraSize(), p.cameraSize());
        long s = System.nanoTime();
        Path data = work.resolve("dataset");
        checkCollectionSettings(data);
        int successes = 0;
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
            double noise = p.noise(task);
            Collector<SimRobot> collector = new Collector<>(() -> new SimRobot(config, new EglSceneRenderer()),
                    sim -> PolicyKind.NOISY_EXPERT.create(sim, noise),
                    (sim, after, step) -> new Collector.Status(sim.done(), sim.success()));
            try (DatasetWriter writer = DatasetWriter.open(data, spec, DatasetWriter.Options.defaults().withResume(Files.exists(data)))) {
                Collector.Result r = collector.run(writer, new Collector.Plan(task.name(), p.episodesPerTask(),
                        Collector.episodeSeed(seed, 1_000_000 + i), maxSteps, 1), progress);
                successes += r.successes();
            }
        }
        long frames = 0;
        int episodes;
        try (DatasetClipSource source = new DatasetClipSource(data)) {
            for (int e = 0; e < source.episodes(); e++) frames += source.length(e);
            episodes = source.episodes();
        }
        return new Collected(data, episodes, frames, successes, (System.nanoTime() - s) / 1e9);
    }

    /** The file in the work folder that says how its dataset was collected. */
    static final String COLLECTION_FILE = "collection.json";

    /**
     * How this recipe collects: tasks, episodes, step cap, noise, seed and every camera as the simulator renders it
     * (pose, field of view, size, goal marker). A dataset already in the work folder is reused only when it was
     * collected the same way; one collected otherwise (or by a wmpc that did not record this) is refused, not mixed in.
     */
    String collectionSettings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("episodes_per_task", preset.episodesPerTask());
        m.put("max_steps", preset.maxSteps());
        for (String t : TASKS) {
            Task task = Task.byName(t);
            SimConfig c = SimConfig.defaults(task).withCameraSize(preset.cameraSize());
            Map<String, Object> per = new LinkedHashMap<>(); // ordered: the file is compared as text
            per.put("noise_m", preset.noise(task));
            per.put("goal_marker", c.showGoalMarker());
            per.put("cameras", c.cameras().stream().map(Object::toString).toList());
            m.put(t, per);
        }
        return CommonOptions.toJson(m);
    }

    private void checkCollectionSettings(Path data) throws IOException {
        Path file = work.resolve(COLLECTION_FILE);
        String settings = collectionSettings();
        if (Files.exists(data)) {
            String recorded = Files.isRegularFile(file) ? Files.readString(file).strip() : null;
            if (!settings.equals(recorded))
                throw new WmpcException("--work " + work + " holds a dataset collected "
                        + (recorded == null ? "by an earlier wmpc that did not record how" : "with other settings (" + file + ")")
                        + ": delete " + data + " or pass another --work");
        } else {
            Durable.writeAtomically(file, settings + "\n");
        }
    }

    /** Stage 2 (and 3 and 4 of the vjepa recipe): the model trained on the collected data, staged in the work folder. */
    public Trained train(Collected data) throws IOException {
        return switch (kind) {
            case WORLD_MODEL -> trainWorldModel(data);
            case VJEPA -> trainVjepa(data);
        };
    }

    /**
     * The encoder and predictor trained together ({@link WorldModelTrainer}); the staged model keeps the weights,
     * configs, loss plot and summary (the optimizer state stays in the work folder).
     */
    private Trained trainWorldModel(Collected c) throws IOException {
        TrainAllPreset.WorldModel w = preset.worldModel();
        progress.printf(Locale.ROOT, "[2/2] training the world model end to end (CNN to %d numbers, %d-wide %d-block predictor) for %d steps%n",
                w.latentDim(), w.width(), w.depth(), w.steps());
        long s = System.nanoTime();
        FrameEpisodes episodes = FrameEpisodes.load(c.data(), null);
        TrainOptions d = TrainOptions.defaults(w.steps(), seed);
        TrainOptions o = new TrainOptions(w.steps(), w.batch(), w.clipFrames(), w.rolloutSteps(), w.lr(), w.lr() / 30,
                d.warmupSteps(), d.weightDecay(), d.gradClip(), d.checkpointEvery(), seed, false);
        WorldModelTrainer.Options options = new WorldModelTrainer.Options(o, new ConvEncoder.Config(episodes.size(), w.channels(),
                w.hidden(), w.latentDim()), w.width(), w.depth(), w.heads(), w.sigregWeight(), 256, Math.max(1, w.steps() / 8),
                w.stateWeight()).withSummedInputs(w.summedInputs());
        Path run = work.resolve("world-model-run");
        Durable.deleteTree(run);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipe", kind.label());
        m.put("camera", episodes.camera());
        m.put("state_names", episodes.stateNames());
        m.put("action_names", episodes.actionNames());
        m.put("energy", "latent-l1");
        Map<String, Object> runManifest = manifestOf(c);
        runManifest.putAll(m);
        WorldModelTrainer.Result r = WorldModelTrainer.train(episodes, options, run, device, runManifest,
                TrainWorldModelCommand.listener(progress, w.batch()));
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        stageSeconds.put("world_model", (System.nanoTime() - s) / 1e9);
        Map<String, Object> trained = new LinkedHashMap<>(WorldModelTrainer.summary(r));
        trained.remove("out"); // the work folder's path belongs to the machine that trained it, not to the model
        m.putAll(trained);
        Path staged = work.resolve("model");
        Durable.deleteTree(staged);
        Files.createDirectories(staged);
        copyRecursively(run.resolve(WorldModelTrainer.ENCODER_DIR), staged.resolve(LearnedWorldModel.ENCODER_DIR));
        copyRecursively(run.resolve(WorldModelTrainer.PREDICTOR_DIR), staged.resolve(LearnedWorldModel.PREDICTOR_DIR));
        Files.copy(run.resolve(WorldModelTrainer.LOSS_PLOT), staged.resolve(WorldModelTrainer.LOSS_PLOT));
        Files.writeString(staged.resolve(WorldModelTrainer.SUMMARY_FILE), CommonOptions.toJson(trained) + "\n");
        return new Trained(staged, m, stageSeconds);
    }

    /** The earlier pipeline, a baseline: V-JEPA encoder, the latents it gives the dataset, state readout, predictor. */
    private Trained trainVjepa(Collected c) throws IOException {
        TrainAllPreset p = preset;
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        long s;

        // 2. encoder: V-JEPA on the dataset's frames.
        m.put("recipe", kind.label());
        progress.printf("[2/4] training the encoder (%d-d, depth %d) for %d steps%n", p.encoder().dim(), p.encoder().depth(), p.encoderSteps());
        s = System.nanoTime();
        Path staged = work.resolve("model");
        Durable.deleteTree(staged);
        Path encoderDir = staged.resolve(LearnedWorldModel.ENCODER_DIR);
        Path encoderCheckpoint = work.resolve("encoder-checkpoint");
        Durable.deleteTree(encoderCheckpoint);
        TrainConfig tc = TrainConfig.defaults(p.encoderSteps(), p.encoderBatch(), seed)
                .withCheckpointEvery(Math.max(1, p.encoderSteps() / 4));
        JepaTrainer.Result er;
        try (DatasetClipSource source = new DatasetClipSource(c.data());
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
        progress.printf("[3/4] encoding %d frames with the frozen encoder%n", c.frames());
        s = System.nanoTime();
        LatentCache latents;
        try (VideoEncoder enc = VideoEncoder.load(encoderDir, device)) {
            latents = LatentCache.openOrBuild(work.resolve("latents"), c.data(), encoderDir, enc, null, 1, null);
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
        Durable.deleteTree(predictorRun);
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
        return new Trained(staged, m, stageSeconds);
    }

    /**
     * The last stage: writes the manifest (how the model was made: the run, the data, the training, the time it took)
     * into the staged model, checks that the model loads, and moves it to {@code out}.
     */
    public Published publish(Collected data, Trained trained, Path out) throws IOException {
        Map<String, Object> m = manifestOf(data);
        m.putAll(trained.manifest());
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        stageSeconds.put("collect", data.seconds());
        stageSeconds.putAll(trained.stageSeconds());
        m.put("stage_seconds", stageSeconds);
        m.put("seconds", (System.nanoTime() - started) / 1e9);
        m.put("cpu_seconds", cpuSeconds() - cpuStarted);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("finished", Instant.now().toString());
        Files.writeString(trained.staged().resolve(DefaultModel.MANIFEST), CommonOptions.toJson(m) + "\n");
        DefaultModel.inspect(trained.staged());
        if (Files.exists(out) && !Files.isDirectory(out)) throw new WmpcException("--out " + out + " is a file: pass a folder");
        Durable.replaceDirectory(trained.staged(), out);
        long bytes = folderBytes(out);
        progress.printf(Locale.ROOT, "model written to %s (%.1f MB)%n", out, bytes / 1e6);
        return new Published(out, bytes, m);
    }

    /** The manifest's opening: the run (command, preset, seed), the robot and camera, and the data collected. */
    private Map<String, Object> manifestOf(Collected c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put("command", command);
        m.put("preset", preset.name());
        m.put("seed", seed);
        m.put("tasks", TASKS);
        m.put("episodes_per_task", preset.episodesPerTask());
        m.put("camera_size", preset.cameraSize());
        m.put(ModelArm.KEY, ModelArm.simulator().toManifest());
        m.put("noise_m", preset.noise());
        m.put("pick_place_noise_m", preset.noise(new Task.PickPlace()));
        m.put("episodes", c.episodes());
        m.put("frames", c.frames());
        m.put("collect_successes_this_run", c.successes());
        return m;
    }

    /** CPU seconds this process has used (all threads), NaN when the JVM cannot tell. */
    static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getProcessCpuTime() / 1e9;
        return Double.NaN;
    }

    /** The bytes of the files in {@code dir} and its subfolders. */
    static long folderBytes(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
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
}
