package dev.wmpc.sim.policy;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import java.util.Random;

/** The expert with Gaussian noise (standard deviation {@code noise} metres per axis) on its end-effector steps. */
public final class NoisyExpertPolicy implements Policy {
    private final Policy expert;
    private final double noise;
    private Random random = new Random(0);

    public NoisyExpertPolicy(Policy expert, double noise) {
        if (!(noise >= 0 && noise <= 0.1)) throw new IllegalArgumentException("noise " + noise + " m: use 0 to 0.1");
        this.expert = expert;
        this.noise = noise;
    }

    @Override public void reset(long seed) {
        expert.reset(seed);
        random = new Random(seed ^ 0x6e6f697379L);
    }

    @Override public Action act(Observation observation) {
        Action a = expert.act(observation);
        if (!(a instanceof Action.EndEffectorDelta d)) return a;
        return new Action.EndEffectorDelta(d.dx() + noise * random.nextGaussian(), d.dy() + noise * random.nextGaussian(),
                d.dz() + noise * random.nextGaussian(), d.gripper());
    }
}
