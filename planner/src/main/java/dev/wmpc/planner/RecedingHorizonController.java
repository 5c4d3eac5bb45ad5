package dev.wmpc.planner;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Robot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed-loop model-predictive control over any {@link Robot}: observe → cost for this step (encode + energy) → plan
 * → act the first action → repeat, until success or the step budget. Also a {@link Policy}, so a ROS2 node or the
 * sim's runner can drive it one observation at a time.
 *
 * <p>When the planner holds (non-finite latents or energies) the robot gets a no-motion action that keeps the last
 * gripper command, and the step is logged with the reason.
 *
 * <p>The step log keeps the last {@link #DEFAULT_LOG_LIMIT} steps (or the limit given), so a controller that runs
 * for days (a ROS2 node that never resets) does not grow without bound; episodes shorter than that keep every step.
 */
public final class RecedingHorizonController implements dev.wmpc.core.Policy {
    private static final Logger LOG = LoggerFactory.getLogger(RecedingHorizonController.class);

    private final Planner planner;
    private final CostModel costModel;
    /** Steps kept in the log by default. */
    public static final int DEFAULT_LOG_LIMIT = 10_000;

    private final int logLimit;
    private final ArrayDeque<StepRecord> log = new ArrayDeque<>();
    private int nextStep;
    private int holds;
    private double gripperCommand = Double.NaN;

    public RecedingHorizonController(Planner planner, CostModel costModel) {
        this(planner, costModel, DEFAULT_LOG_LIMIT);
    }

    /** A controller whose step log keeps only the last {@code logLimit} steps. */
    public RecedingHorizonController(Planner planner, CostModel costModel, int logLimit) {
        if (logLimit < 1) throw new IllegalArgumentException("log limit is " + logLimit + ": keep at least 1 step");
        this.planner = planner;
        this.costModel = costModel;
        this.logLimit = logLimit;
    }

    public Planner planner() { return planner; }

    /** Starts an episode: the planner's random stream restarts from the seed and forgets its warm start. */
    @Override public void reset(long seed) {
        planner.reset(seed);
        log.clear();
        nextStep = 0;
        holds = 0;
        gripperCommand = Double.NaN;
    }

    @Override public Action act(Observation observation) { return decide(observation).action(); }

    /** One control step: plans from this observation and returns the logged decision (its action is to be sent). */
    public StepRecord decide(Observation observation) {
        int step = nextStep++;
        if (Double.isNaN(gripperCommand)) gripperCommand = 2 * observation.state().gripper() - 1;
        long t0 = System.nanoTime();
        PlanResult result;
        TrajectoryCost cost = null;
        try {
            cost = costModel.costFor(observation, step);
            result = planner.plan(cost);
        } catch (HoldException e) {
            result = new PlanResult.Hold(e.getMessage(), (System.nanoTime() - t0) / 1e6);
        }
        int goal = costModel instanceof LatentCostModel l ? l.activeGoal() : 0;
        StepRecord record = switch (result) {
            case PlanResult.Plan p -> {
                Action.EndEffectorDelta a = p.firstAction();
                gripperCommand = a.gripper();
                List<Action.EndEffectorDelta> plan = new ArrayList<>(p.horizon());
                for (int h = 0; h < p.horizon(); h++) plan.add(Action.EndEffectorDelta.of(p.step(h)));
                yield new StepRecord(step, goal, p.planMs(), p.energy(), p.bestPerIteration(), a, null, plan, terms(cost, p));
            }
            case PlanResult.Hold h -> new StepRecord(step, goal, h.planMs(), Double.NaN, new double[0],
                    new Action.EndEffectorDelta(0, 0, 0, gripperCommand), h.reason());
        };
        if (log.size() == logLimit) log.removeFirst();
        log.addLast(record);
        if (record.held()) holds++;
        if (record.held()) LOG.warn("step {}: holding: {}", step, record.holdReason());
        else LOG.debug("step {}: plan {} ms, energy {}, action ({}, {}, {}, {})", step, String.format("%.1f", record.planMs()),
                record.energy(), record.action().dx(), record.action().dy(), record.action().dz(), record.action().gripper());
        return record;
    }

    /** The chosen sequence's energy by term, computed once after the search (empty if the model holds on it now). */
    private static Map<String, Double> terms(TrajectoryCost cost, PlanResult.Plan p) {
        try {
            return cost.terms(p.actions(), p.horizon(), p.actionDim());
        } catch (HoldException e) {
            return Map.of();
        }
    }

    /** The steps decided since the last {@link #reset} (the last {@code logLimit} of them), oldest first. */
    public List<StepRecord> steps() { return List.copyOf(log); }

    /**
     * Runs one episode from {@code start} (the robot already reset and the goal set): acts until the monitor reports
     * success or {@code maxSteps} actions were sent.
     */
    public EpisodeSummary run(Robot robot, Observation start, long seed, EpisodeMonitor monitor, int maxSteps) {
        return run(robot, start, seed, monitor, maxSteps, o -> {});
    }

    /** As {@link #run(Robot, Observation, long, EpisodeMonitor, int)}, showing {@code watcher} every observation (start included). */
    public EpisodeSummary run(Robot robot, Observation start, long seed, EpisodeMonitor monitor, int maxSteps,
                              java.util.function.Consumer<Observation> watcher) {
        if (maxSteps < 1) throw new IllegalArgumentException("step budget is " + maxSteps + ": use at least 1");
        reset(seed);
        Observation obs = start;
        watcher.accept(obs);
        boolean success = monitor.success(obs);
        int steps = 0;
        while (!success && steps < maxSteps) {
            robot.act(decide(obs).action());
            steps++;
            obs = robot.observe();
            watcher.accept(obs);
            success = monitor.success(obs);
        }
        OptionalDouble distance = monitor.distance(obs);
        return new EpisodeSummary(success, distance.orElse(Double.NaN), steps, holds, List.copyOf(log));
    }
}
