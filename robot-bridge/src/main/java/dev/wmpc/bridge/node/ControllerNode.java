package dev.wmpc.bridge.node;

import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller node: runs any {@link Policy} (the latent planner, a scripted expert) in a receding loop over a
 * remote arm: observe, plan one action, send it through the safety filter, repeat every control period. While the
 * arm must hold (stale inputs, e-stop) the policy is not asked and hold commands go out instead.
 */
public final class ControllerNode {
    private static final Logger log = LoggerFactory.getLogger(ControllerNode.class);

    /** What a run did: control steps, holds, refused (non-finite) actions, frame-in to command-out latency. */
    public record Stats(long steps, long holds, long refused, double latencyP50Ms, double latencyP95Ms) {}

    private final Ros2Robot robot;
    private final Policy policy;
    private final ControllerDisplay display;
    private final RateLimitedWarning warnings = new RateLimitedWarning(log, 2.0);

    public ControllerNode(Ros2Robot robot, Policy policy) {
        this(robot, policy, null);
    }

    /**
     * A node that also shows each step on {@code display} (null: none): the plan, when the policy is a
     * {@link PlanView.Source}, and the controller's state. It is published before the command goes out.
     */
    public ControllerNode(Ros2Robot robot, Policy policy, ControllerDisplay display) {
        this.robot = robot;
        this.policy = policy;
        this.display = display;
    }

    /** Runs until {@code keepGoing} turns false or {@code maxSteps} control periods passed (&lt;= 0: no limit). */
    public Stats run(long seed, BooleanSupplier keepGoing, long maxSteps) {
        policy.reset(seed);
        long steps = 0, refused = 0;
        while (keepGoing.getAsBoolean() && (maxSteps <= 0 || steps < maxSteps) && !Thread.currentThread().isInterrupted()) {
            steps++;
            var why = robot.holdReason();
            if (why.isPresent()) {
                if (display != null) display.holding(steps, robot.holds(), why.get(), robot.estopLatched(), robot.knowsEndEffector());
                robot.hold(why.get());
                continue;
            }
            Observation obs = robot.observe();
            Action action;
            try {
                action = policy.act(obs);
            } catch (RuntimeException e) {
                warnings.warn("policy", "policy failed (" + e + "): holding");
                if (display != null) display.holding(steps, robot.holds(), "policy failed (" + e + ")", true, robot.knowsEndEffector());
                robot.hold("policy failed");
                continue;
            }
            if (display != null)
                display.acting(steps, robot.holds(), obs.state(), robot.knowsEndEffector(),
                        policy instanceof PlanView.Source s ? s.lastPlan() : java.util.Optional.empty(), !action.isFinite());
            try {
                robot.act(action);
            } catch (IllegalArgumentException e) {
                refused++;
            }
        }
        List<Double> lat = new ArrayList<>(robot.commandLatenciesMs());
        return new Stats(steps, robot.holds(), refused, percentile(lat, 50), percentile(lat, 95));
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int i = (int) Math.ceil(p / 100 * v.size()) - 1;
        return v.get(Math.max(0, Math.min(v.size() - 1, i)));
    }
}
