package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Teleoperator;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Collector;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.DatasetWriter;
import dev.wmpc.dataset.TeleopRecorder;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.render.EglSceneRenderer;
import dev.wmpc.sim.view.SimViewer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc teleop}: a person drives the simulated arm in a window and records demonstrations into a LeRobot v3
 * dataset (keys as lerobot-record: start/save, discard, redo, quit).
 */
@Command(name = "teleop", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Drive the simulated arm with the keyboard or a gamepad and record demonstrations into a LeRobot v3 dataset.")
public final class TeleopCommand implements Callable<Integer> {
    enum Device { keyboard, gamepad }

    @Mixin CommonOptions common;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "reach, push or pick-place.")
    String task;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset directory (new, or an existing dataset to add to).")
    Path out;

    @Option(names = "--device", defaultValue = "keyboard", paramLabel = "DEVICE", description = "keyboard or gamepad (default: ${DEFAULT-VALUE}).")
    Device device;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Base seed of the episodes' start scenes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--camera-size", defaultValue = "64", paramLabel = "PIXELS", description = "Recorded square camera frames, even (default: ${DEFAULT-VALUE}).")
    int cameraSize;

    @Option(names = "--fps", defaultValue = "5", paramLabel = "HZ", description = "Control rate = dataset frame rate (default: ${DEFAULT-VALUE}).")
    int fps;

    @Option(names = "--cubes", defaultValue = "1", paramLabel = "N", description = "Cubes on the table, 1..3 (default: ${DEFAULT-VALUE}).")
    int cubes;

    @Option(names = "--max-steps", paramLabel = "N", description = "Frames before an episode is saved automatically (default: the task's length x 3).")
    Integer maxSteps;

    /** The JSON object of --json. */
    public record Report(String task, String device, String out, int saved, int discarded, @JsonProperty("dataset_episodes") int datasetEpisodes) {}

    @Override public Integer call() {
        common.applyLogging();
        Task t = SimChoices.task(task);
        SimConfig config = CollectCommand.config(t, cameraSize, fps, cubes);
        int steps = maxSteps == null ? 3 * t.episodeLength() : maxSteps;
        if (steps < 1) throw WmpcException.usage("--max-steps " + steps + " must be at least 1");
        DatasetSpec spec = CollectCommand.spec(config, fps);
        CameraSpec view = new CameraSpec("view", new Vec3(1.25, 0.35, 0.75), new Vec3(0.45, 0, 0.1), new Vec3(0, 0, 1), 45, 800, 600);
        int saved, discarded, total;
        try (SimViewer viewer = SimViewer.open("wmpc teleop: " + t.name(), 800, 600);
             SimRobot sim = new SimRobot(config, new EglSceneRenderer());
             DatasetWriter writer = DatasetWriter.open(out, spec, DatasetWriter.Options.defaults().withResume(true))) {
            Teleoperator dev = device == Device.gamepad ? viewer.gamepadTeleop(config.maxStep() / 2) : viewer.keyboardTeleop(config.maxStep() / 2);
            System.err.println(device == Device.gamepad
                    ? "gamepad: left stick x/y, right stick z, A gripper; Start = start/save episode, B discard, Y redo, Back quit"
                    : "keyboard: W/S A/D Q/E move, space gripper; Enter = start/save episode, Backspace discard, R redo, Esc quit");
            sim.reset(Collector.episodeSeed(seed, writer.episodes()));
            try (TeleopRecorder<SimRobot> rec = new TeleopRecorder<>(sim, dev, writer, CollectCommand.describe(t), seed, steps,
                    (s, after, step) -> new Collector.Status(s.success(), s.success()), System.err::println)) {
                long period = (long) (1e9 / fps);
                long next = System.nanoTime();
                while (viewer.draw(sim.scene(), view) && rec.step() != TeleopRecorder.State.QUIT) {
                    next += period;
                    long wait = next - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait); else next = System.nanoTime();
                }
                saved = rec.saved();
                discarded = rec.discarded();
            }
            total = writer.episodes();
        }
        System.out.printf("teleop %s: saved %d episodes, discarded %d; %s holds %d episodes%n", t.name(), saved, discarded, out, total);
        common.report(new Report(t.name(), device.name(), out.toString(), saved, discarded, total));
        return 0;
    }
}
