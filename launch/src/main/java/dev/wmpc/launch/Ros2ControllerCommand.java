package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wmpc.bridge.node.ArmKinematics;
import dev.wmpc.bridge.node.ControllerDisplay;
import dev.wmpc.bridge.node.ControllerNode;
import dev.wmpc.bridge.node.GoalImages;
import dev.wmpc.bridge.node.PlanView;
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
import dev.wmpc.planner.StepRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc ros2 controller}: the latent planner's closed loop as a ROS 2 node. Subscribes the camera, the joint
 * states and the latched goal image; publishes MoveIt Servo twists (or ros2_control joint trajectories) and gripper
 * commands, every one through the bridge's safety filter, watchdog and e-stop; and, every step, what it thinks: the
 * planned end-effector path and its state on {@code /diagnostics} (energy terms, goal, holds, plan time).
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
            description = "The arm's URDF (or parameter urdf): end-effector pose in observations, workspace check, joint limits, and IK for "
                    + "command_mode joint_trajectory. Default: the simulator's arm when the model learned from it (its manifest says).")
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
        PlannerConfig plannerConfig = plannerConfig(config.limits().maxStep()); // bad planner options: a usage error first
        // the model's configs and manifest are read before joining DDS: a missing or mismatched model (or arm) fails fast
        JsonNode manifest = policyOverride.isPresent() ? null : DefaultModel.inspect(DefaultModel.resolve(model)).manifest();
        java.nio.file.Path urdfFile = urdf != null ? urdf : params.string("urdf").map(java.nio.file.Path::of).orElse(null);
        Optional<UrdfArmKinematics> arm = kinematics(urdfFile, params, config.jointNames().orElse(List.of()), manifest, model);
        if (arm.isPresent()) {
            UrdfArmKinematics k = arm.get();
            if (config.jointNames().isEmpty()) config = config.withJointNames(k.jointNames());
            if (config.limits().jointLower().isEmpty()) config = config.withLimits(config.limits().withJointLimits(k.lowerLimits(), k.upperLimits()));
        }
        config = withArmStepLimit(config, params, manifest);
        plannerConfig = plannerConfig(config.limits().maxStep());
        Optional<List<String>> trainedState = ModelArm.stateNames(manifest);
        Consumer<List<String>> stateCheck = joints -> trainedState.ifPresent(t -> ModelArm.checkStateNames(t, joints, model));
        config.jointNames().ifPresent(stateCheck); // joint names learned from /joint_states are checked on the first one
        if (policyOverride.isEmpty()) plannerOptions.applyThreads();
        try (LearnedWorldModel wm = policyOverride.isPresent() ? null : LearnedWorldModel.load(DefaultModel.resolve(model), plannerOptions.device())) {
            GoalController controller = plannerOptions.controller(planner, plannerConfig, energy);
            GoalPolicyFactory factory = policyOverride.orElseGet(() -> (goals, s) ->
                    controller.build(wm, GoalController.Goals.images(goals), s));
            return serve(names, config, arm.map(k -> (ArmKinematics) k), stateCheck, factory);
        }
    }

    /**
     * The arm's kinematics: from {@code urdfFile} (--urdf or parameter urdf) when given, else from the simulator's
     * shipped URDF when the model learned from the simulator's arm (so observations carry the end-effector pose the model
     * was trained with, without flags); none when neither applies. The arm must be the one the model's manifest names
     * (URDF robot name and tip link), else one error names both. {@code tip_link} defaults to the model's, else {@code tcp}.
     */
    static Optional<UrdfArmKinematics> kinematics(java.nio.file.Path urdfFile, NodeParams params, List<String> jointNames,
                                                  JsonNode manifest, String model) {
        Optional<ModelArm> trained = ModelArm.of(manifest);
        String tip = params.string("tip_link").orElse(trained.map(ModelArm::tipLink).orElse(ModelArm.SIMULATOR_TIP_LINK));
        double orientation = params.number("ik_orientation_weight", 0.5);
        UrdfArmKinematics k;
        if (urdfFile != null) k = UrdfArmKinematics.load(urdfFile, tip, jointNames, orientation);
        else if (trained.isPresent() && trained.get().isSimulator())
            k = UrdfArmKinematics.of(ModelArm.simulatorUrdf(), "of the simulator's arm", tip, jointNames, orientation);
        else if (trained.isPresent())
            throw new WmpcException("model " + model + " was trained on arm '" + trained.get().urdf() + "' (end effector "
                    + trained.get().tipLink() + "): give its URDF with --urdf (or parameter urdf)");
        else return Optional.empty();
        trained.ifPresent(a -> a.check(k.robot(), k.tipLink(), model));
        return Optional.of(k);
    }

    private int serve(RosArgs.Names names, Ros2RobotConfig config, Optional<ArmKinematics> kinematics,
                      Consumer<List<String>> stateCheck, GoalPolicyFactory factory) throws Exception {
        try (CtrlC ctrlC = new CtrlC("wmpc-controller-stop", 5);
             IhmcTransport transport = new IhmcTransport(names.node(), dds.settings());
             Ros2Robot robot = new Ros2Robot(transport, config, kinematics);
             ControllerDisplay display = new ControllerDisplay(transport, config, names.node())) {
            robot.observe();
            if (config.jointNames().isEmpty()) stateCheck.accept(robot.jointNames());
            awaitGoal(robot, config);
            ControllerNode node = new ControllerNode(robot, new GoalTrackingPolicy(robot, factory), display);
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
     * {@code wmpc ros2 sim --episodes N}. Each received goal is a new object. When the policy is the planner's
     * controller it shows each step's plan: the planned end-effector steps, the energy by term, the goal pursued.
     */
    static final class GoalTrackingPolicy implements Policy, PlanView.Source {
        private final Ros2Robot robot;
        private final GoalPolicyFactory factory;
        private long seed;
        private GoalImages.GoalSet goal;
        private Policy current;
        private Optional<PlanView> lastPlan = Optional.empty();
        private long plannerHolds;

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
            lastPlan = Optional.empty();
            if (!(current instanceof RecedingHorizonController controller)) return current.act(observation);
            StepRecord r = controller.decide(observation);
            if (r.held()) plannerHolds++;
            lastPlan = Optional.of(view(r, latest.images().size(), plannerHolds));
            return r.action();
        }

        @Override public Optional<PlanView> lastPlan() { return lastPlan; }
    }

    /**
     * A planner step as the display shows it: the planned end-effector steps and, as diagnostic values, the energy
     * ({@code energy}, and {@code energy.<term>} for each term), the goal pursued ({@code goal_index} 1-based of
     * {@code goal_count}, as goal sets number their images), the planner's holds so far and the plan time.
     */
    static PlanView view(StepRecord r, int goals, long plannerHolds) {
        List<dev.wmpc.core.Vec3> steps = r.plan().stream().map(dev.wmpc.core.Action.EndEffectorDelta::delta).toList();
        Map<String, String> values = new LinkedHashMap<>();
        if (Double.isFinite(r.energy())) values.put("energy", String.valueOf(r.energy()));
        r.energyTerms().forEach((term, e) -> values.put("energy." + term, String.valueOf(e)));
        values.put("goal_index", String.valueOf(r.goalIndex() + 1));
        values.put("goal_count", String.valueOf(goals));
        values.put("planner_holds", String.valueOf(plannerHolds));
        values.put("plan_ms", String.format(java.util.Locale.ROOT, "%.1f", r.planMs()));
        return new PlanView(steps, values, Optional.ofNullable(r.holdReason()));
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

    /** The simulator arm's longest end-effector step per control period (metres): its own clip. */
    static final double SIMULATOR_MAX_STEP = dev.wmpc.sim.SimConfig.defaults(new dev.wmpc.sim.Task.Reach()).maxStep();

    /**
     * The safety filter's step limit for the model's arm: the simulator's arm takes steps up to its own clip
     * ({@link #SIMULATOR_MAX_STEP}), the steps the model learned from and {@code wmpc eval} plans with; any other arm
     * keeps the filter's conservative default. {@code safety.max_step}, when given, wins.
     */
    static Ros2RobotConfig withArmStepLimit(Ros2RobotConfig config, NodeParams params, JsonNode manifest) {
        if (params.string("safety.max_step").isPresent() || ModelArm.of(manifest).filter(ModelArm::isSimulator).isEmpty()) return config;
        return config.withLimits(config.limits().withMaxStep(SIMULATOR_MAX_STEP));
    }

    /** The sampling planner's settings; its longest step is the safety filter's, so plans are not clipped afterwards. */
    PlannerConfig plannerConfig(double maxStep) {
        return plannerOptions.config(b -> b.maxNorm(Math.min(maxStep, 0.05)).deadlineMs(deadlineMs), "--deadline-ms, safety.max_step");
    }
}
