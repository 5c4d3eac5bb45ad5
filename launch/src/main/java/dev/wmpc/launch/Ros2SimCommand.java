package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.bridge.node.RobotNode;
import dev.wmpc.bridge.node.RobotNodeConfig;
import dev.wmpc.bridge.ros.NodeParams;
import dev.wmpc.bridge.ros.RosArgs;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.WmpcException;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.render.EglSceneRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc ros2 sim}: the tabletop simulator as a ROS 2 node. Publishes camera frames and joint states at their
 * rates and each episode's goal images (latched; {@code --goals final|keyframes}, as {@code wmpc eval} gives them),
 * and moves the arm on MoveIt Servo twists or ros2_control joint trajectories plus gripper commands; without commands
 * the arm holds.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve the simulator as a ROS 2 node: camera, joint states and goal image out; servo twists or joint trajectories in.")
public final class Ros2SimCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin Ros2Command.DdsOptions dds;

    @Option(names = "--task", defaultValue = "reach", paramLabel = "TASK", description = "reach, push or pick-place (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Episode i uses seed S + i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--episodes", defaultValue = "0", paramLabel = "N",
            description = "Run N episodes, starting the next one when the task succeeds or its step budget is spent; "
                    + "0 serves one episode without a budget (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--max-seconds", defaultValue = "0", paramLabel = "SECONDS", description = "Stop after serving this long; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    double maxSeconds;

    @Option(names = "--camera-size", defaultValue = "64", paramLabel = "PIXELS",
            description = "Square camera frames, " + CameraSpec.MIN_SIZE + ".." + CameraSpec.MAX_SIZE + " pixels (default: ${DEFAULT-VALUE}).")
    int cameraSize;

    @Option(names = "--cubes", defaultValue = "1", paramLabel = "N", description = "Cubes on the table, 1..3 (default: ${DEFAULT-VALUE}).")
    int cubes;

    @Option(names = "--goal-marker", description = "Draw the green goal marker in the camera frames (only the simulator knows "
            + "where the goal is: a controller that sees it is helped).")
    boolean goalMarker;

    /** The goal images a ROS 2 controller can be given: those a person could photograph (eval's non-privileged choices). */
    enum GoalChoice { FINAL, KEYFRAMES }

    @Option(names = "--goals", defaultValue = "final", paramLabel = "final|keyframes",
            description = "The goal images each episode publishes, as 'wmpc eval --goals' gives them: final (the goal image "
                    + "alone) or keyframes (at most 3 a person could photograph, the goal image last) (default: ${DEFAULT-VALUE}).")
    GoalChoice goals;

    @CommandLine.Unmatched List<String> unmatched = new ArrayList<>();

    public record Report(String node, String task, String goals, int episodes, int successes, long steps,
                         @JsonProperty("frames_published") long frames, @JsonProperty("joint_states_published") long jointStates) {}

    @Override public Integer call() throws Exception {
        common.applyLogging();
        Task t = SimChoices.task(task);
        if (episodes < 0) throw WmpcException.usage("--episodes " + episodes + " must be 0 (one open-ended episode) or more");
        if (maxSeconds < 0) throw WmpcException.usage("--max-seconds " + maxSeconds + " must be 0 (no limit) or more");
        if (cameraSize < CameraSpec.MIN_SIZE || cameraSize > CameraSpec.MAX_SIZE)
            throw WmpcException.usage("--camera-size " + cameraSize + " is out of range: use " + CameraSpec.MIN_SIZE + " to " + CameraSpec.MAX_SIZE + " pixels");
        if (cubes < 1 || cubes > SimConfig.MAX_CUBES) throw WmpcException.usage("--cubes " + cubes + " is out of range: use 1 to " + SimConfig.MAX_CUBES);
        RosArgs ros = Ros2Command.rosArgs(unmatched);
        RosArgs.Names names = ros.names("wmpc_sim");
        NodeParams params = NodeParams.of(ros, names);
        SimConfig base = SimConfig.defaults(t).withCameraSize(cameraSize).withCubes(cubes).withGoalMarker(goalMarker);
        double hz = params.number("control_rate_hz", base.controlHz());
        SimConfig config;
        try {
            config = base.withRates(hz, Math.max(base.physicsHz(), hz));
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage("control_rate_hz: " + e.getMessage());
        }
        RobotNodeConfig nodeConfig = RobotNodeConfig.from(params, TopicNames.resolve(names), 1 / hz);

        try (CtrlC ctrlC = new CtrlC("wmpc-sim-stop", 5);
             SimRobot sim = new SimRobot(config, new EglSceneRenderer());
             IhmcTransport transport = new IhmcTransport(names.node(), dds.settings());
             RobotNode node = new RobotNode(sim, transport, nodeConfig)) {
            int[] episode = {0, 0}; // index, successes
            sim.reset(seed);
            node.publishGoals(goalImages(sim));
            System.out.printf(Locale.ROOT, "sim node %s: task %s, seed %d, serving %s and %s%n", names.node(), t.name(), seed,
                    nodeConfig.topics().camera(), nodeConfig.topics().jointStates());
            AtomicBoolean allDone = new AtomicBoolean();
            long deadline = maxSeconds > 0 ? System.nanoTime() + (long) (maxSeconds * 1e9) : Long.MAX_VALUE; // serving time
            node.run(() -> !ctrlC.stopRequested() && !allDone.get() && System.nanoTime() < deadline, () -> {
                if (episodes == 0 || !sim.done()) return;
                boolean ok = sim.success();
                if (ok) episode[1]++;
                System.out.printf(Locale.ROOT, "episode %d seed %d: %s after %d steps, distance to goal %.3f m%n",
                        episode[0], seed + episode[0], ok ? "success" : "failure", sim.stepCount(), sim.distanceToGoal());
                if (++episode[0] >= episodes) { allDone.set(true); return; }
                sim.reset(seed + episode[0]);
                node.publishGoals(goalImages(sim));
            });
            int ran = episodes == 0 ? 1 : episode[0];
            int successes = episodes == 0 ? (sim.success() ? 1 : 0) : episode[1];
            common.report(new Report(names.node(), t.name(), goals.name().toLowerCase(Locale.ROOT), ran, successes, node.steps(),
                    node.framesPublished(), node.jointStatesPublished()));
        }
        return 0;
    }

    /** The goal images of the episode {@code sim} was just reset to, exactly as {@code wmpc eval --goals} gives them. */
    private List<CameraFrame> goalImages(SimRobot sim) {
        SimGoalOptions choice = new SimGoalOptions();
        choice.kind = SimGoalOptions.Kind.valueOf(goals.name());
        return choice.goals(sim).images();
    }
}
