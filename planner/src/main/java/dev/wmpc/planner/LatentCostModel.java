package dev.wmpc.planner;

import dev.wmpc.core.Observation;

/**
 * Observe → encode → latent energy against the active sub-goal. Non-finite latents hold the robot.
 *
 * <p>Which sub-goal is active: with {@link Switching#budgets()} (the simulator's scripted waypoints) the goal
 * sequence's step budgets decide; otherwise the controller itself moves on when the current frame's latent is within
 * {@link Switching#distance()} (mean |Δ| per latent entry) of the active goal image's latent, or after
 * {@link Switching#maxSteps()} steps on it. The last goal stays active.
 */
public final class LatentCostModel implements CostModel {
    /**
     * How the active sub-goal is chosen: by the goal sequence's step budgets ({@code budgets}), or by the controller
     * itself: when the frame's latent comes within {@code distance} of the goal's, or after {@code maxSteps} on it.
     */
    public record Switching(boolean budgets, double distance, int maxSteps) {
        public Switching {
            if (!budgets && (!(distance > 0) || maxSteps < 1))
                throw new IllegalArgumentException("goal switching needs a positive distance and step limit, got " + distance + ", " + maxSteps);
        }

        /** The goal sequence's own step budgets (scripted sub-goals). */
        public static final Switching BUDGETS = new Switching(true, Double.NaN, Integer.MAX_VALUE);

        public static Switching reached(double distance, int maxSteps) { return new Switching(false, distance, maxSteps); }
    }

    private final Switching switching;
    private int active;
    private int activeSince;
    private final ObservationEncoder encoder;
    private final LatentRollout model;
    private final GoalSequence goals;
    private final EnergyMode mode;
    private final StateReadout readout;
    private final double proprioWeight;
    private final double[][] goalPositions;
    private final double[] goalGrippers;
    private final boolean[] gripperGiven;
    /** Metres between the goal's and the current frame's readouts beyond which the readout's error is not corrected. */
    static final double BIAS_RADIUS = 0.25;

    /** The latent energy alone. */
    public LatentCostModel(ObservationEncoder encoder, LatentRollout model, GoalSequence goals, EnergyMode mode) {
        this(encoder, model, goals, mode, null, 0, Switching.BUDGETS);
    }

    /**
     * The latent energy plus, when {@code readout} is given and {@code proprioWeight > 0}, the proprio term of
     * {@link ProprioGoalEnergy} with weight {@code proprioWeight × readout.energyPerMetre()}: each sub-goal's
     * end-effector position is read once from its latent; its gripper opening is the one the goal observation gives,
     * else the readout's reading of the image (when the readout has a gripper map), else the gripper is left to the
     * latent energy.
     */
    public LatentCostModel(ObservationEncoder encoder, LatentRollout model, GoalSequence goals, EnergyMode mode,
                           StateReadout readout, double proprioWeight, Switching switching) {
        this.switching = switching;
        if (!(proprioWeight >= 0) || !Double.isFinite(proprioWeight))
            throw new IllegalArgumentException("the proprio weight must be finite and >= 0, got " + proprioWeight);
        this.encoder = encoder;
        this.model = model;
        this.goals = goals;
        this.mode = mode;
        this.readout = proprioWeight > 0 ? readout : null;
        this.proprioWeight = proprioWeight;
        this.goalPositions = new double[goals.goals().size()][];
        this.goalGrippers = new double[goalPositions.length];
        this.gripperGiven = new boolean[goalPositions.length];
        for (int i = 0; i < goalPositions.length; i++) {
            float[] latent = goals.goals().get(i).latent();
            double given = goals.goals().get(i).gripper();
            gripperGiven[i] = !Double.isNaN(given);
            if (this.readout != null) goalPositions[i] = this.readout.read(latent);
            goalGrippers[i] = gripperGiven[i] ? given : this.readout != null ? this.readout.readGripper(latent) : Double.NaN;
        }
    }

    public GoalSequence goals() { return goals; }

    /** The sub-goal the last {@link #costFor} pursued. */
    public int activeGoal() { return active; }


    @Override public TrajectoryCost costFor(Observation observation, int step) {
        // the goal this step pursues is known (budgets) or kept (switching) before the frame is read, so a step that
        // holds on a broken frame is logged against the right goal
        if (switching.budgets()) active = goals.indexAt(step);
        else if (step == 0) {
            active = 0;
            activeSince = 0;
        }
        float[] latent = encoder.encode(observation.primaryFrame());
        int bad = LatentEnergy.firstNonFinite(latent);
        if (bad >= 0)
            throw new HoldException("the encoder gave a non-finite latent (entry " + bad + ") for the current frame, so the planner does not act");
        int g;
        if (switching.budgets()) g = goals.indexAt(step);
        else {
            while (active < goals.goals().size() - 1 && (model.goalDistance(latent, goals.goals().get(active).latent()) < switching.distance()
                    || step - activeSince >= switching.maxSteps())) {
                active++;
                activeSince = step;
            }
            g = active;
        }
        active = g;
        float[] goal = goals.goals().get(g).latent();
        bad = LatentEnergy.firstNonFinite(goal);
        if (bad >= 0)
            throw new HoldException("goal " + g + "'s latent is non-finite (entry " + bad + "), so the planner does not act; re-encode the goal image");
        TrajectoryCost energy = new LatentEnergy(model, latent, observation.state().toVector(), goal, mode);
        if (readout == null) return gripperGiven[g] ? commanding(energy, 2 * goalGrippers[g] - 1) : energy;
        // The goal's end-effector position: the readout of the goal image, corrected by the readout's error on the
        // current frame (ee - now), in full when the two reads are close and fading out by BIAS_RADIUS. Readout errors
        // are smooth in the image, so near the goal the correction cancels them (the goal is reached exactly as the
        // view comes to look like it); far from it, the error at the current pose says little about the error at the
        // goal and would only add the current frame's noise.
        var ee = observation.state().eePosition();
        double[] now = readout.read(latent), read = goalPositions[g];
        double apart = Math.sqrt((read[0] - now[0]) * (read[0] - now[0]) + (read[1] - now[1]) * (read[1] - now[1])
                + (read[2] - now[2]) * (read[2] - now[2]));
        double a = Math.max(0, 1 - apart / BIAS_RADIUS);
        double[] target = {read[0] + a * (ee.x() - now[0]), read[1] + a * (ee.y() - now[1]), read[2] + a * (ee.z() - now[2])};
        TrajectoryCost cost = new ProprioGoalEnergy(energy, new double[] {ee.x(), ee.y(), ee.z()}, target, goalGrippers[g],
                proprioWeight * readout.energyPerMetre(), mode);
        return gripperGiven[g] ? commanding(cost, 2 * goalGrippers[g] - 1) : cost;
    }

    /** {@code cost}, asking the planner to command {@code gripper} (the goal observation's) instead of searching it. */
    private static TrajectoryCost commanding(TrajectoryCost cost, double gripper) {
        return new TrajectoryCost() {
            @Override public float[] cost(float[] actions, int samples, int horizon, int actionDim) {
                return cost.cost(actions, samples, horizon, actionDim);
            }

            @Override public java.util.OptionalDouble gripperCommand() { return java.util.OptionalDouble.of(gripper); }

            @Override public java.util.Map<String, Double> terms(float[] actions, int horizon, int actionDim) {
                return cost.terms(actions, horizon, actionDim);
            }
        };
    }
}
