package dev.wmpc.bridge.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.Action;
import dev.wmpc.core.Quat;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SafetyFilterTest {
    static final SafetyLimits LIMITS = new SafetyLimits(0.01, 0.5, Optional.of(new double[] {-1, -1}), Optional.of(new double[] {1, 1}),
            new Vec3(-0.5, -0.5, 0), new Vec3(0.5, 0.5, 0.8));
    final SafetyFilter filter = new SafetyFilter(LIMITS, 0.1);
    final RobotState here = new RobotState(new double[] {0.2, -0.3}, new Vec3(0.45, 0, 0.4), Quat.IDENTITY, 1);

    @Test
    void outOfLimitDeltasAreClippedToTheStepAndTheWorkspace() {
        var d = filter.filter(new Action.EndEffectorDelta(0, 0.3, -0.4, 0.5), here);
        var out = (Action.EndEffectorDelta) d.action();
        assertThat(out.delta().norm()).isCloseTo(0.01, within(1e-12));
        assertThat(out.delta().y() / out.delta().z()).isCloseTo(-0.75, within(1e-9)); // direction kept
        assertThat(d.changes()).anyMatch(c -> c.contains("clipped"));
        // pushing out of the box at x = 0.5 stops at the wall
        var wall = (Action.EndEffectorDelta) filter.filter(new Action.EndEffectorDelta(0.01, 0, 0, 0), here).action();
        assertThat(here.eePosition().x() + wall.dx()).isLessThanOrEqualTo(0.5 + 1e-12);
        // inside limits: untouched
        var fine = filter.filter(new Action.EndEffectorDelta(0.001, 0, 0, -1), here);
        assertThat(fine.modified()).isFalse();
        assertThat(fine.action()).isEqualTo(new Action.EndEffectorDelta(0.001, 0, 0, -1));
    }

    @Test
    void jointTargetsStayInsideLimitsAndSpeed() {
        var out = (Action.JointTargets) filter.filter(new Action.JointTargets(new double[] {5, -0.31}, 0), here).action();
        assertThat(out.positions()[0]).isCloseTo(0.2 + 0.05, within(1e-12)); // 0.5 rad/s x 0.1 s
        assertThat(out.positions()[1]).isCloseTo(-0.31, within(1e-12));
        var clipped = (Action.JointTargets) new SafetyFilter(LIMITS, 100).filter(new Action.JointTargets(new double[] {5, -5}, 0), here).action();
        assertThat(clipped.positions()).containsExactly(1, -1);
    }

    @Test
    void jointLimitsShorterThanTheArmAreRefusedNamingBothLengths() {
        RobotState threeJoints = new RobotState(new double[] {0, 0, 0}, Vec3.ZERO, Quat.IDENTITY, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> filter.filter(new Action.JointTargets(new double[] {5, 5, 5}, 0), threeJoints))
                .isInstanceOf(dev.wmpc.core.WmpcException.class).hasMessageContaining("have 2 entries but the arm has 3 joints");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LIMITS.requireJointCount(7)).hasMessageContaining("2 entries").hasMessageContaining("7 joints");
        LIMITS.requireJointCount(2);
        SafetyLimits.DEFAULT.requireJointCount(7); // no joint limits: nothing to cover
    }

    @Test
    void nanNeverPassesWhateverTheInput() {
        Random rnd = new Random(3);
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e308, -0.0, 0.004};
        for (int i = 0; i < 5000; i++) {
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) v[k] = rnd.nextInt(3) == 0 ? specials[rnd.nextInt(specials.length)] : rnd.nextGaussian();
            Action a = i % 2 == 0 ? new Action.EndEffectorDelta(v[0], v[1], v[2], v[3]) : new Action.JointTargets(new double[] {v[0], v[1]}, v[2]);
            Action out = filter.filter(a, here).action();
            assertThat(out.isFinite()).as("%s -> %s", a, out).isTrue();
            if (out instanceof Action.EndEffectorDelta d) assertThat(d.delta().norm()).isLessThanOrEqualTo(0.01 + 1e-12);
        }
        assertThat(filter.filter(new Action.EndEffectorDelta(Double.NaN, 0, 0, 0), here).action()).isEqualTo(new Action.EndEffectorDelta(0, 0, 0, 0));
    }

    @Test
    void watchdogGoesStaleAfterItsTimeoutAndEstopLatches() {
        AtomicLong now = new AtomicLong(0);
        Watchdog w = new Watchdog(0.2, now::get);
        assertThat(w.staleness()).hasValueSatisfying(s -> assertThat(s).contains("no camera frame"));
        w.imageArrived();
        w.jointStateArrived();
        now.set(150_000_000);
        assertThat(w.staleness()).isEmpty();
        w.jointStateArrived();
        now.set(250_000_000);
        assertThat(w.staleness()).hasValueSatisfying(s -> assertThat(s).contains("camera frame for 0.250 s"));
        EstopLatch e = new EstopLatch();
        e.signal(true);
        e.signal(false);
        assertThat(e.tripped()).isTrue();
        e.reset();
        assertThat(e.tripped()).isFalse();
    }
}
