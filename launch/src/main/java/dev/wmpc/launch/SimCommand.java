package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import dev.wmpc.core.Teleoperator;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.WmpcException;
import dev.wmpc.sim.FrameStrip;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.policy.PolicyKind;
import dev.wmpc.sim.render.EglSceneRenderer;
import dev.wmpc.sim.view.SimViewer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code wmpc sim}: runs episodes of a tabletop task in the simulator with a built-in policy, prints one line per
 * episode and (with --json) a summary object; with --out writes each episode's frames and goal image as PNGs.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run episodes of a simulated tabletop task (reach, push, pick-place) with the expert, a noisy expert or random actions.")
public final class SimCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--task", defaultValue = "reach", paramLabel = "TASK",
            description = "reach, push or pick-place (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--policy", defaultValue = "expert", paramLabel = "POLICY",
            description = "expert, noisy-expert or random (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--episodes", defaultValue = "10", paramLabel = "N", description = "Episodes to run (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Episode i uses seed S + i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--camera-size", defaultValue = "64", paramLabel = "PIXELS",
            description = "Square camera frames, " + CameraSpec.MIN_SIZE + ".." + CameraSpec.MAX_SIZE + " pixels (default: ${DEFAULT-VALUE}).")
    int cameraSize;

    @Option(names = "--cameras", defaultValue = "front", paramLabel = "NAMES",
            description = "Cameras, comma-separated: front, side (default: ${DEFAULT-VALUE}); --out writes a strip per camera.")
    String cameras;

    @Option(names = "--cubes", defaultValue = "1", paramLabel = "N", description = "Cubes on the table, 1..3 (default: ${DEFAULT-VALUE}).")
    int cubes;

    @Option(names = "--noise", defaultValue = "0.01", paramLabel = "METRES",
            description = "Noise (standard deviation per axis, metres) of noisy-expert (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--goal-marker", description = "Draw the green goal marker in the camera frames (only the simulator knows "
            + "where the goal is: a controller that sees it is helped).")
    boolean goalMarker;

    @Option(names = "--out", paramLabel = "DIR", description = "Write episode_NNN.png (frames, 10 a row) and episode_NNN_goal.png here.")
    Path out;

    @Option(names = "--view", description = "Show the simulation in a window (needs a display).")
    boolean view;

    @Option(names = "--teleop", paramLabel = "DEVICE",
            description = "With --view: drive the arm yourself, keyboard (WASD/QE move, space toggles the gripper) or gamepad.")
    String teleop;

    public record Report(String task, String policy, int episodes, long seed, int successes,
                         @JsonProperty("success_rate") double successRate, int steps,
                         @JsonProperty("steps_per_second") double stepsPerSecond,
                         @JsonProperty("final_distance_mean") double meanFinalDistance,
                         @JsonProperty("camera_size") int cameraSize, String out) {}

    @Override public Integer call() throws IOException {
        common.applyLogging();
        Task t = SimChoices.task(task);
        PolicyKind kind = SimChoices.policy(policy);
        if (episodes < 1) throw WmpcException.usage("--episodes " + episodes + " must be at least 1");
        if (cameraSize < CameraSpec.MIN_SIZE || cameraSize > CameraSpec.MAX_SIZE)
            throw WmpcException.usage("--camera-size " + cameraSize + " is out of range: use " + CameraSpec.MIN_SIZE + " to " + CameraSpec.MAX_SIZE + " pixels");
        if (cubes < 1 || cubes > SimConfig.MAX_CUBES) throw WmpcException.usage("--cubes " + cubes + " is out of range: use 1 to " + SimConfig.MAX_CUBES);
        if (!(noise >= 0 && noise <= 0.1)) throw WmpcException.usage("--noise " + noise + " is out of range: use 0 to 0.1 metres");
        if (teleop != null && !view) throw WmpcException.usage("--teleop needs --view (a window to read the keys or gamepad from)");
        if (teleop != null && !teleop.equalsIgnoreCase("keyboard") && !teleop.equalsIgnoreCase("gamepad"))
            throw WmpcException.usage("unknown --teleop device '" + teleop + "': choose one of keyboard, gamepad");
        List<String> cameraNames = SimChoices.cameras(cameras);
        if (out != null) Files.createDirectories(out);

        SimConfig config = SimConfig.defaults(t).withCameraNames(cameraNames, cameraSize).withCubes(cubes).withGoalMarker(goalMarker);
        SimViewer viewer = view ? SimViewer.open("wmpc sim: " + t.name(), 800, 600) : null;
        try (SimRobot sim = new SimRobot(config, new EglSceneRenderer())) {
            Teleoperator device = viewer == null || teleop == null ? null
                    : teleop.equalsIgnoreCase("keyboard") ? viewer.keyboardTeleop(config.maxStep() / 2) : viewer.gamepadTeleop(config.maxStep() / 2);
            Policy p = device != null ? device::action : kind.create(sim, noise);
            String policyName = device != null ? "teleop-" + teleop.toLowerCase(Locale.ROOT) : kind.cliName();
            CameraSpec viewCamera = new CameraSpec("view", new Vec3(1.25, 0.35, 0.75), new Vec3(0.45, 0, 0.1), new Vec3(0, 0, 1), 45, 800, 600);
            int successes = 0, totalSteps = 0;
            double distSum = 0, seconds = 0;
            for (int i = 0; i < episodes; i++) {
                long s = seed + i;
                long t0 = System.nanoTime();
                Observation obs = sim.reset(s);
                p.reset(s);
                Map<String, List<CameraFrame>> frames = new LinkedHashMap<>();
                for (String c : cameraNames) frames.put(c, new ArrayList<>());
                if (out != null) addFrames(frames, obs);
                boolean quit = false;
                while (!sim.done()) {
                    Action a = p.act(obs);
                    sim.act(a);
                    obs = sim.observe();
                    if (out != null) addFrames(frames, obs);
                    if (viewer != null && !viewer.draw(sim.scene(), viewCamera)) { quit = true; break; }
                }
                seconds += (System.nanoTime() - t0) / 1e9;
                boolean ok = sim.success();
                double dist = sim.distanceToGoal();
                if (ok) successes++;
                totalSteps += sim.stepCount();
                distSum += dist;
                System.out.printf(Locale.ROOT, "episode %d seed %d: %s after %d steps, distance to goal %.3f m%n",
                        i, s, ok ? "success" : "failure", sim.stepCount(), dist);
                if (out != null) {
                    // The first camera's strip keeps the plain name; other cameras' strips add theirs.
                    for (String c : cameraNames) {
                        String suffix = c.equals(cameraNames.get(0)) ? "" : "_" + c;
                        FrameStrip.write(frames.get(c), 10, out.resolve(String.format("episode_%03d%s.png", i, suffix)));
                    }
                    FrameStrip.write(sim.goalFrames().subList(0, 1), 1, out.resolve(String.format("episode_%03d_goal.png", i)));
                }
                if (quit) { episodes = i + 1; break; }
            }
            Report r = new Report(t.name(), policyName, episodes, seed, successes, (double) successes / episodes, totalSteps,
                    totalSteps / Math.max(seconds, 1e-9), distSum / episodes, cameraSize, out == null ? null : out.toString());
            System.out.printf(Locale.ROOT, "%s with %s: %d/%d episodes succeeded (%.0f%%), %.0f control steps/s%s%n",
                    t.name(), policyName, successes, episodes, 100.0 * successes / episodes, r.stepsPerSecond(),
                    out == null ? "" : ", pictures in " + out);
            common.report(r);
        } finally {
            if (viewer != null) viewer.close();
        }
        return 0;
    }

    private static void addFrames(Map<String, List<CameraFrame>> into, Observation obs) {
        for (var e : into.entrySet()) {
            CameraFrame f = obs.frames().get(e.getKey());
            if (f == null) throw new IllegalStateException("the observation has no frame of camera '" + e.getKey() + "'");
            e.getValue().add(f);
        }
    }
}
