package dev.wmpc.sim.policy;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import java.util.Random;

/**
 * Random play: end-effector steps uniform in [-maxStep, maxStep] per axis; the gripper command stays open or closed
 * and flips with probability 0.1 per step.
 */
public final class RandomPolicy implements Policy {
    private final double maxStep;
    private Random random = new Random(0);
    private double gripper = 1;

    public RandomPolicy(double maxStep) { this.maxStep = maxStep; }

    @Override public void reset(long seed) {
        random = new Random(seed ^ 0x72616e646f6dL);
        gripper = 1;
    }

    @Override public Action act(Observation observation) {
        if (random.nextDouble() < 0.1) gripper = -gripper;
        return new Action.EndEffectorDelta(random.nextDouble(-maxStep, maxStep), random.nextDouble(-maxStep, maxStep),
                random.nextDouble(-maxStep, maxStep), gripper);
    }
}
