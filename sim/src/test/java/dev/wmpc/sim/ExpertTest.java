package dev.wmpc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.core.Policy;
import dev.wmpc.sim.policy.PolicyKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpertTest {
    /** Runs {@code episodes} episodes from seeds 1000.. and returns how many succeeded. */
    static int successes(String task, int cubes, PolicyKind kind, double noise, int episodes) {
        int ok = 0;
        try (SimRobot sim = SimRobot.headless(SimConfig.defaults(Task.byName(task)).withCubes(cubes))) {
            Policy p = kind.create(sim, noise);
            for (int i = 0; i < episodes; i++) {
                long seed = 1000 + i;
                sim.reset(seed);
                p.reset(seed);
                while (!sim.done()) sim.act(p.act(sim.observe()));
                if (sim.success()) ok++;
            }
        }
        return ok;
    }

    @ParameterizedTest(name = "{0} with {1} cube(s)")
    @CsvSource({"reach, 1", "push, 1", "pick-place, 1", "push, 3", "pick-place, 2"})
    void expertSucceedsOnAFixedSeedSet(String task, int cubes) {
        assertThat(successes(task, cubes, PolicyKind.EXPERT, 0, 20)).isGreaterThanOrEqualTo(19);
    }

    @Test void noisyExpertStillMostlySucceedsAndRandomRarelyDoes() {
        assertThat(successes("push", 1, PolicyKind.NOISY_EXPERT, 0.01, 10)).isGreaterThanOrEqualTo(7);
        assertThat(successes("pick-place", 1, PolicyKind.RANDOM, 0, 5)).isLessThanOrEqualTo(1);
    }

    @Test void successNeedsTheThreshold() {
        try (SimRobot sim = SimRobot.headless(SimConfig.defaults(new Task.Reach()))) {
            sim.reset(5);
            assertThat(sim.distanceToGoal()).isGreaterThan(0.02);
            assertThat(sim.success()).isFalse();
            assertThat(sim.done()).isFalse();
        }
    }
}
