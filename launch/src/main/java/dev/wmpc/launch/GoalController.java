package dev.wmpc.launch;

import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.WmpcException;
import dev.wmpc.planner.EnergyMode;
import dev.wmpc.planner.GoalSequence;
import dev.wmpc.planner.LatentCostModel;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.planner.PlannerConfig;
import dev.wmpc.planner.PlannerKind;
import dev.wmpc.planner.RecedingHorizonController;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The controller that {@code wmpc eval}, {@code wmpc demo} and {@code wmpc ros2 controller} run, built in one place:
 * the world model, the goal images, the energy and the planner come together here, so the three cannot drift.
 *
 * <p>The default uses only what a deployment has: goal images (at most {@link #MAX_GOAL_IMAGES}), the camera frame and
 * the robot state; the controller itself moves from one goal image to the next when the frame's latent comes within
 * {@code switchDistance} of it (or after {@code switchSteps} steps on it), and the energy is the world model's latent
 * L1 alone. Help that only the simulator has comes in as a {@link Goals} with step budgets and gripper states
 * ({@code privileged}); the proprio term (a readout of the goal image compared with the end effector moved by the
 * planned actions) is a named energy term, not the world model.
 *
 * @param planner        the sampling planner
 * @param config         its settings
 * @param energy         the latent energy: the final predicted step, or the sum over the steps
 * @param proprioWeight  weight of the proprio term (0: none)
 * @param stateWeight    weight of the world model's state head in the energy (0: the latent energy alone)
 * @param switchDistance mean |Δ| per latent entry below which the next goal image becomes active
 * @param switchSteps    steps after which the next goal image becomes active anyway
 */
public record GoalController(PlannerKind planner, PlannerConfig config, EnergyMode energy, double proprioWeight,
                             double stateWeight, double switchDistance, int switchSteps) {
    /** The most goal images a user gives in the default mode. */
    public static final int MAX_GOAL_IMAGES = 3;
    public static final double DEFAULT_SWITCH_DISTANCE = 0.25;
    public static final int DEFAULT_SWITCH_STEPS = 25;

    /**
     * The goal as the controller receives it: images in order, and, only from a simulator's script, each image's step
     * budget and the gripper state its robot had ({@code privileged}).
     */
    public record Goals(List<CameraFrame> images, List<Integer> budgets, List<Double> grippers) {
        public Goals {
            if (images.isEmpty()) throw new WmpcException("no goal image: give at least one");
            images = List.copyOf(images);
            if (budgets != null && budgets.size() != images.size())
                throw new IllegalArgumentException(images.size() + " goal images but " + budgets.size() + " budgets");
            if (grippers != null && grippers.size() != images.size())
                throw new IllegalArgumentException(images.size() + " goal images but " + grippers.size() + " gripper states");
            budgets = budgets == null ? null : List.copyOf(budgets);
            grippers = grippers == null ? null : Collections.unmodifiableList(new ArrayList<>(grippers));
        }

        /** Goal images alone, as a user gives them (at most {@link #MAX_GOAL_IMAGES}). */
        public static Goals images(List<CameraFrame> images) {
            if (images.size() > MAX_GOAL_IMAGES)
                throw new WmpcException(images.size() + " goal images: give at most " + MAX_GOAL_IMAGES
                        + " (the final goal, and for multi-step tasks up to two before it)");
            return new Goals(images, null, null);
        }

        /** Whether anything only a simulator's script knows came with the images (step budgets, gripper states). */
        public boolean privileged() { return budgets != null || grippers != null; }
    }

    public GoalController {
        if (!(proprioWeight >= 0) || !Double.isFinite(proprioWeight))
            throw new IllegalArgumentException("the proprio weight must be finite and >= 0, got " + proprioWeight);
        if (!(stateWeight >= 0) || !Double.isFinite(stateWeight))
            throw new IllegalArgumentException("the state weight must be finite and >= 0, got " + stateWeight);
    }

    /** A controller toward {@code goals} over {@code model}, its planner seeded with {@code seed}. */
    public RecedingHorizonController build(LearnedWorldModel model, Goals goals, long seed) {
        List<Integer> budgets = goals.budgets() != null ? goals.budgets()
                : Collections.nCopies(goals.images().size(), Integer.MAX_VALUE);
        if (model.stateWeight() != (model.hasStateHead() ? stateWeight : 0)) model.withStateWeight(stateWeight);
        GoalSequence sequence = GoalSequence.encode(model, goals.images(), budgets, goals.grippers());
        LatentCostModel.Switching switching = goals.budgets() != null ? LatentCostModel.Switching.BUDGETS
                : LatentCostModel.Switching.reached(switchDistance, switchSteps);
        return new RecedingHorizonController(planner.create(config, seed), model.costModel(sequence, energy, proprioWeight, switching));
    }

    /**
     * The energy's name as reports give it: {@code latent-l1-sum} or {@code latent-l1-final}, plus
     * {@code +state-head} (the world model's state head, when {@code model} has one and its weight is positive) and
     * {@code +proprio} (the proprio term).
     */
    public String energyName(LearnedWorldModel model) {
        return "latent-l1-" + energy.name().toLowerCase(java.util.Locale.ROOT)
                + (model != null && model.hasStateHead() && stateWeight > 0 ? "+state-head" : "")
                + (proprioWeight > 0 ? "+proprio" : "");
    }

    /** What reports say about this controller over {@code model}: energy, its terms' weights, goal switching. */
    public Map<String, Object> describe(LearnedWorldModel model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("energy", energyName(model));
        m.put("state_weight", model != null && model.hasStateHead() ? stateWeight : 0.0);
        m.put("proprio_weight", proprioWeight);
        m.put("goal_switch_distance", switchDistance);
        m.put("goal_switch_steps", switchSteps);
        return m;
    }
}
