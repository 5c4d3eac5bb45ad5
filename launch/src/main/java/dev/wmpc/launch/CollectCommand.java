package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Collector;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.DatasetWriter;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.policy.PolicyKind;
import dev.wmpc.sim.render.EglSceneRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc collect}: runs K simulators in parallel with a scripted policy and records every episode into one
 * LeRobot v3 dataset, crash-safely; {@code --resume} continues an interrupted collection.
 */
@Command(name = "collect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Collect simulated episodes (expert, noisy expert or random play) into a LeRobot v3 dataset, in parallel and crash-safely.")
public final class CollectCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "reach, push or pick-place.")
    String task;

    @Option(names = "--policy", defaultValue = "expert", paramLabel = "POLICY",
            description = "expert, noisy-expert or random (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--episodes", required = true, paramLabel = "N", description = "Episodes the dataset should hold from this seed.")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Base seed; episode i gets its own seed from it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset directory (created; must be new or empty unless --resume).")
    Path out;

    @Option(names = "--workers", paramLabel = "K", description = "Parallel simulators (default: the number of cores).")
    Integer workers;

    @Option(names = "--camera-size", defaultValue = "64", paramLabel = "PIXELS",
            description = "Square camera frames, even, " + CameraSpec.MIN_SIZE + ".." + CameraSpec.MAX_SIZE + " (default: ${DEFAULT-VALUE}).")
    int cameraSize;

    @Option(names = "--cameras", defaultValue = "front", paramLabel = "NAMES",
            description = "Cameras to record, comma-separated: front, side (default: ${DEFAULT-VALUE}); each is a video feature observation.images.NAME.")
    String cameras;

    @Option(names = "--fps", defaultValue = "5", paramLabel = "HZ", description = "Control rate = dataset frame rate (default: ${DEFAULT-VALUE}).")
    int fps;

    @Option(names = "--cubes", defaultValue = "1", paramLabel = "N", description = "Cubes on the table, 1..3 (default: ${DEFAULT-VALUE}).")
    int cubes;

    @Option(names = "--noise", defaultValue = "0.01", paramLabel = "METRES", description = "Noise of noisy-expert, metres (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--resume", description = "Continue the dataset in --out: fold in episodes a killed run left, record the missing seeds.")
    boolean resume;

    /** The JSON object of --json. */
    public record Report(String task, String policy, String out, int episodes, int recorded, int skipped, long frames, int successes,
                         @JsonProperty("success_rate") Double successRate, double seconds,
                         @JsonProperty("frames_per_second") double framesPerSecond, int workers, @JsonProperty("dataset_episodes") int datasetEpisodes) {}

    /** Natural-language task text stored with each episode. */
    static String describe(Task t) {
        return switch (t.name()) {
            case "reach" -> "reach the goal point with the gripper";
            case "push" -> "push the cube to the goal";
            case "pick-place" -> "pick up the cube and place it at the goal";
            default -> t.name();
        };
    }

    /**
     * The dataset layout of the simulator with {@code config}: its cameras, joints + end-effector pose + gripper,
     * Δxyz + gripper, and the cube positions as {@code observation.environment_state}.
     */
    static DatasetSpec spec(SimConfig config, int fps) {
        List<String> state, environment;
        try (SimRobot probe = SimRobot.headless(config)) {
            state = new ArrayList<>(probe.jointNames());
            environment = probe.environmentStateNames();
        }
        state.addAll(RobotState.POSE_NAMES);
        List<DatasetSpec.Camera> cams = config.cameras().stream().map(c -> new DatasetSpec.Camera(c.name(), c.width(), c.height())).toList();
        return new DatasetSpec(fps, "wmpc_arm", cams, state, Action.DELTA_NAMES, environment);
    }

    static SimConfig config(Task t, int cameraSize, int fps, int cubes) {
        return config(t, cameraSize, fps, cubes, List.of("front"));
    }

    static SimConfig config(Task t, int cameraSize, int fps, int cubes, List<String> cameraNames) {
        if (cameraSize < CameraSpec.MIN_SIZE || cameraSize > CameraSpec.MAX_SIZE || cameraSize % 2 != 0)
            throw WmpcException.usage("--camera-size " + cameraSize + " must be even and " + CameraSpec.MIN_SIZE + ".." + CameraSpec.MAX_SIZE + " pixels");
        if (fps < 1 || fps > 60) throw WmpcException.usage("--fps " + fps + " is out of range: use 1 to 60");
        if (cubes < 1 || cubes > SimConfig.MAX_CUBES) throw WmpcException.usage("--cubes " + cubes + " is out of range: use 1 to " + SimConfig.MAX_CUBES);
        SimConfig base = SimConfig.defaults(t);
        return base.withCameraNames(cameraNames, cameraSize).withCubes(cubes).withRates(fps, Math.max(base.physicsHz(), fps));
    }

    @Override public Integer call() {
        common.applyLogging();
        Task t = SimChoices.task(task);
        PolicyKind kind = SimChoices.policy(policy);
        if (episodes < 1) throw WmpcException.usage("--episodes " + episodes + " must be at least 1");
        if (!(noise >= 0 && noise <= 0.1)) throw WmpcException.usage("--noise " + noise + " is out of range: use 0 to 0.1 metres");
        int k = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (k < 1 || k > 64) throw WmpcException.usage("--workers " + k + " is out of range: use 1 to 64");
        SimConfig config = config(t, cameraSize, fps, cubes, SimChoices.cameras(cameras));
        DatasetSpec spec = spec(config, fps);
        Collector<SimRobot> collector = new Collector<>(() -> new SimRobot(config, new EglSceneRenderer()),
                sim -> kind.create(sim, noise), (sim, after, step) -> new Collector.Status(sim.done(), sim.success()));
        Collector.Result r;
        int total;
        // Ctrl-C / SIGTERM: every finished episode is already durable; tell the user how to continue.
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hint = new Thread(() -> {
            if (!finished.get()) System.err.println("\nwmpc: collection interrupted; finished episodes are saved in " + out
                    + ": run the same command with --resume to continue");
        });
        Runtime.getRuntime().addShutdownHook(hint);
        try (DatasetWriter writer = DatasetWriter.open(out, spec, DatasetWriter.Options.defaults().withResume(resume))) {
            if (resume && writer.episodes() > 0) System.err.printf("resuming %s: %d episodes already recorded%n", out, writer.episodes());
            r = collector.run(writer, new Collector.Plan(describe(t), episodes, seed, t.episodeLength(), k), System.err);
            total = writer.episodes();
        } finally {
            finished.set(true);
            try { Runtime.getRuntime().removeShutdownHook(hint); } catch (IllegalStateException ignored) { /* shutting down */ }
        }
        Double rate = r.recorded() == 0 ? null : (double) r.successes() / r.recorded();
        System.out.printf(Locale.ROOT, "%s with %s: recorded %d episodes (%d frames, %.0f frames/s)%s, skipped %d already in %s; dataset holds %d episodes%n",
                t.name(), kind.cliName(), r.recorded(), r.frames(), r.framesPerSecond(),
                rate == null ? "" : String.format(Locale.ROOT, ", %.0f%% successful", 100 * rate), r.skipped(), out, total);
        common.report(new Report(t.name(), kind.cliName(), out.toString(), episodes, r.recorded(), r.skipped(), r.frames(), r.successes(),
                rate, r.seconds(), r.framesPerSecond(), k, total));
        return 0;
    }
}
