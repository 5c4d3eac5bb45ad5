package dev.wmpc.planner;

import dev.wmpc.core.CameraFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Goal latents, each with a step budget, pursued in order (V-JEPA 2-AC's pick-and-place: grasp, then lift, then
 * place). Step t pursues the first sub-goal whose cumulative budget exceeds t; after the last budget the last goal
 * stays active.
 */
public record GoalSequence(List<SubGoal> goals) {
    /**
     * One goal latent, how many control steps it is pursued for, and, when the goal observation carries it, the
     * gripper its robot state shows (0 closed .. 1 open; NaN: not given, read it from the image if the model can).
     */
    public record SubGoal(float[] latent, int steps, double gripper) {
        public SubGoal {
            if (steps < 1) throw new IllegalArgumentException("a sub-goal's step budget is " + steps + ": use at least 1");
            if (!Double.isNaN(gripper) && !(gripper >= 0 && gripper <= 1))
                throw new IllegalArgumentException("a sub-goal's gripper opening is " + gripper + ": use 0 (closed) to 1 (open), or NaN");
            latent = latent.clone();
        }

        /** A goal image alone. */
        public SubGoal(float[] latent, int steps) { this(latent, steps, Double.NaN); }

        @Override public float[] latent() { return latent.clone(); }
    }

    public GoalSequence {
        if (goals.isEmpty()) throw new IllegalArgumentException("a goal sequence needs at least one goal");
        goals = List.copyOf(goals);
    }

    /** A single goal pursued for the whole episode. */
    public static GoalSequence of(float[] latent) { return new GoalSequence(List.of(new SubGoal(latent, Integer.MAX_VALUE))); }

    /** Encodes goal images with their step budgets (same length lists). */
    public static GoalSequence encode(ObservationEncoder encoder, List<CameraFrame> images, List<Integer> budgets) {
        return encode(encoder, images, budgets, null);
    }

    /** As above, with each goal observation's gripper opening ({@code grippers} may be null: none given). */
    public static GoalSequence encode(ObservationEncoder encoder, List<CameraFrame> images, List<Integer> budgets,
                                      List<Double> grippers) {
        if (images.size() != budgets.size())
            throw new IllegalArgumentException(images.size() + " goal images but " + budgets.size() + " step budgets: give one budget per image");
        if (grippers != null && grippers.size() != images.size())
            throw new IllegalArgumentException(images.size() + " goal images but " + grippers.size() + " gripper openings: give one per image");
        List<SubGoal> goals = new ArrayList<>();
        for (int i = 0; i < images.size(); i++)
            goals.add(new SubGoal(encoder.encode(images.get(i)), budgets.get(i), grippers == null ? Double.NaN : grippers.get(i)));
        return new GoalSequence(goals);
    }

    /** Index of the sub-goal pursued at control step {@code step} (0-based). */
    public int indexAt(int step) {
        long end = 0;
        for (int i = 0; i < goals.size(); i++) {
            end += goals.get(i).steps();
            if (step < end) return i;
        }
        return goals.size() - 1;
    }

    public SubGoal at(int step) { return goals.get(indexAt(step)); }
}
