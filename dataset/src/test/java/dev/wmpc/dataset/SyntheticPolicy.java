package dev.wmpc.dataset;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import java.util.SplittableRandom;

/** Seeded random Δxyz actions. */
final class SyntheticPolicy implements Policy {
    private SplittableRandom random = new SplittableRandom(0);

    @Override public void reset(long seed) { random = new SplittableRandom(seed); }

    @Override public Action act(Observation observation) {
        return new Action.EndEffectorDelta(random.nextDouble(-0.01, 0.01), random.nextDouble(-0.01, 0.01), random.nextDouble(-0.01, 0.01),
                random.nextBoolean() ? 1 : -1);
    }
}
