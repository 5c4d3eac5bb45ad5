package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.bridge.node.ArmKinematics;
import dev.wmpc.bridge.node.ControllerNode;
import dev.wmpc.bridge.node.GoalImages;
import dev.wmpc.bridge.node.Ros2Robot;
import dev.wmpc.bridge.node.Ros2RobotConfig;
import dev.wmpc.bridge.node.UrdfArmKinematics;
import dev.wmpc.bridge.ros.NodeParams;
import dev.wmpc.bridge.ros.RosArgs;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Policy;
import dev.wmpc.core.WmpcException;
import dev.wmpc.planner.EnergyMode;
import dev.wmpc.planner.GoalSequence;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.planner.PlannerConfig;
import dev.wmpc.planner.PlannerKind;
import dev.wmpc.planner.RecedingHorizonController;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc ros2 controller}: the latent planner's closed loop as a ROS 2 node. Subscribes the camera, the joint
 * states and the latched goal image; publishes MoveIt Servo twists (or ros2_control joint trajectories) and gripper
 * commands, every one through the bridge's safety filter, watchdog and e-stop.
 */
@Command(name = "controller", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the planner in closed loop on a ROS 2 arm (camera + joint states in, servo twists or joint trajectories out).")
public final class Ros2ControllerCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin Ros2Command.DdsOptions dds;

    @Option(names = "--model", defaultValue = "default", paramLabel = "default|DIR",
            description = "World model: the shipped default, or a model folder (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--planner", defaultValue = "cem", paramLabel = "PLANNER", description = "cem, mppi or random (default: ${DEFAULT-VALUE}).")
    PlannerKind planner;

    /** --samples, --iters, --horizon, --device, --threads (the planner's defaults: 48 / 4 / 3). */
    @Mixin PlannerOptions plannerOptions = new PlannerOptions(48, 4, 3);

    @Option(names = "--deadline-ms", defaultValue = "0", paramLabel = "MS",
            description = "Anytime budget per plan; 0 = none (default: ${DEFAULT-VALUE}). Keep it below the control period.")
    long deadlineMs;

    @Option(names = "--energy", defaultValue = "sum", paramLabel = "final|sum",
            description = "Latent energy summed over the predicted steps (favours plans that get there sooner and stay), or "
                    + "of the final step only, as V-JEPA 2-AC (default: ${DEFAULT-VALUE}).")
    EnergyMode energy;

    @Option(names = "--urdf", paramLabel = "FILE",
            description = "The arm's URDF (or parameter urdf): end-effector pose in observations, workspace check, joint limits, and IK for command_mode joint_trajectory.")
    java.nio.file.Path urdf;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the planner's sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N",
            description = "Stop after N control periods; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Option(names = "--goal-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long to wait for a goal image on /wmpc/goal_image or a goal set on /wmpc/goal_images (default: ${DEFAULT-VALUE}).")
    double goalTimeout;

    @CommandLine.Unmatched List<String> unmatched = new ArrayList<>();

    /** Builds the policy that drives the arm toward goal images (in order, the final goal last). */
    @FunctionalInterface
    interface GoalPolicyFactory {
        Policy create(List<CameraFrame> goals, long seed);
    }

    private final Optional<GoalPolicyFactory> policyOverride;

    public Ros2ControllerCommand() { this.policyOverride = Optional.empty(); }

    /** For tests: run the node with another policy than the planner. */
    Ros2ControllerCommand(GoalPolicyFactory policy) { this.policyOverride = Optional.of(policy); }

    public record Report(String node, long steps, long holds, long refused, @JsonProperty("latency_p50_ms") Double latencyP50Ms,
                         @JsonProperty("latency_p95_ms") Double latencyP95Ms, @JsonProperty("dropped_messages") long dropped) {}

    @Override public Integer call() throws Exception {
        common.applyLogging();
        if (maxSteps < 0) throw WmpcException.usage("--max-steps " + maxSteps + " must be 0 (no limit) or more");
        RosArgs ros = Ros2Command.rosArgs(unmatched);
        RosArgs.Names names = ros.names("wmpc_controller");
        NodeParams params = NodeParams.of(ros, names);
        Ros2RobotConfig config = Ros2RobotConfig.from(params, TopicNames.resolve(names));
        Optional<ArmKinematics> kinematics = Optional.empty();
        java.nio.file.Path urdfFile = urdf != null ? urdf : params.string("urdf").map(java.nio.file.Path::of).orElse(null);
        if (urdfFile != null) {
            UrdfArmKinematics k = UrdfArmKinematics.load(urdfFile, params.string("tip_link", "tcp"), config.jointNames().orElse(List.of()),
                    params.number("ik_orientation_weight", 0.5));
            kinematics = Optional.of(k);
            if (config.jointNames().isEmpty()) config = config.withJointNames(k.jointNames());
            if (config.limits().jointLower().isEmpty()) config = config.withLimits(config.limits().withJointLimits(k.lowerLimits(), k.upperLimits()));
        }
        PlannerConfig plannerConfig = plannerConfig(config.limits().maxStep());
        if (policyOverride.isEmpty()) plannerOptions.applyThreads();
        // the model loads before joining DDS: a missing or mismatched model fails fast
        try (LearnedWorldModel wm = policyOverride.isPresent() ? null : LearnedWorldModel.load(DefaultModel.resolve(model), plannerOptions.device())) {
            GoalController controller = plannerOptions.controller(planner, plannerConfig, energy);
            GoalPolicyFactory factory = policyOverride.orElseGet(() -> (goals, s) ->
                    controller.build(wm, GoalController.Goals.images(goals), s));
            return serve(names, config, kinematics, factory);
        }
    }

    private int serve(RosArgs.Names names, Ros2RobotConfig config, Optional<ArmKinematics> kinematics, GoalPolicyFactory factory) throws Exception {
        try (CtrlC ctrlC = new CtrlC("wmpc-controller-stop", 5);
             IhmcTransport transport = new IhmcTransport(names.node(), dds.settings());
             Ros2Robot robot = new Ros2Robot(transport, config, kinematics)) {
            robot.observe();
            awaitGoal(robot, config);
            ControllerNode node = new ControllerNode(robot, new GoalTrackingPolicy(robot, factory));
            ControllerNode.Stats s = node.run(seed, () -> !ctrlC.stopRequested(), maxSteps);
            System.out.printf("controller %s: %d steps, %d holds, %d refused, frame-in to command-out p50 %.1f ms p95 %.1f ms%n",
                    names.node(), s.steps(), s.holds(), s.refused(), s.latencyP50Ms(), s.latencyP95Ms());
            common.report(new Report(names.node(), s.steps(), s.holds(), s.refused(), finite(s.latencyP50Ms()), finite(s.latencyP95Ms()),
                    robot.droppedMessages()));
        }
        return 0;
    }

    /**
     * The goal policy for the newest goal (a complete set on /wmpc/goal_images, or one image on /wmpc/goal_image):
     * rebuilt (goals re-encoded, the plan restarted) whenever a new goal arrives, e.g. each episode of
     * {@code wmpc ros2 sim --episodes N}. Each received goal is a new object.
     */
    static final class GoalTrackingPolicy implements Policy {
        private final Ros2Robot robot;
        private final GoalPolicyFactory factory;
        private long seed;
        private GoalImages.GoalSet goal;
        private Policy current;

        GoalTrackingPolicy(Ros2Robot robot, GoalPolicyFactory factory) {
            this.robot = robot;
            this.factory = factory;
        }

        @Override public void reset(long seed) {
            this.seed = seed;
            if (current != null) current.reset(seed);
        }

        @Override public dev.wmpc.core.Action act(dev.wmpc.core.Observation observation) {
            GoalImages.GoalSet latest = robot.goals().orElseThrow(() -> new IllegalStateException("no goal image"));
            if (latest != goal) {
                if (goal != null) System.out.println("controller: new goal (" + latest.images().size() + " image"
                        + (latest.images().size() == 1 ? "" : "s") + "), planning toward it");
                current = factory.create(latest.images(), seed);
                current.reset(seed);
                goal = latest;
            }
            return current.act(observation);
        }
    }

    private void awaitGoal(Ros2Robot robot, Ros2RobotConfig config) {
        long end = System.nanoTime() + (long) (goalTimeout * 1e9);
        while (robot.goals().isEmpty()) {
            if (System.nanoTime() > end)
                throw new WmpcException("no goal image on " + config.topics().goalImage() + " or " + config.topics().goalImages()
                        + " after " + goalTimeout + " s: publish one (sensor_msgs/Image, reliable + transient local), e.g. with 'wmpc ros2 sim'");
            robot.hold("waiting for a goal image on " + config.topics().goalImage() + " or " + config.topics().goalImages());
        }
    }

    private static Double finite(double v) { return Double.isFinite(v) ? v : null; }

    /** The sampling planner's settings; its longest step is the safety filter's, so plans are not clipped afterwards. */
    PlannerConfig plannerConfig(double maxStep) {
        return plannerOptions.config(b -> b.maxNorm(Math.min(maxStep, 0.05)).deadlineMs(deadlineMs), "--deadline-ms, safety.max_step");
    }
}
