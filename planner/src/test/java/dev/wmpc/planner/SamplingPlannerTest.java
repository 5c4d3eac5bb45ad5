package dev.wmpc.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SamplingPlannerTest {
    static final PlannerConfig CONFIG = PlannerConfig.defaults().toBuilder().samples(96).iterations(15).horizon(4).topK(10).build();

    static Planner planner(PlannerKind kind, PlannerConfig config, long seed) { return kind.create(config, seed); }

    @ParameterizedTest
    @EnumSource(value = PlannerKind.class, names = {"CEM", "MPPI"})
    void findsTheMinimumOfAQuadratic(PlannerKind kind) {
        Quadratic q = new Quadratic(0.03f, -0.02f, 0.01f, 0.5f);
        PlanResult r = planner(kind, CONFIG, 7).plan(q);
        assertThat(r).isInstanceOf(PlanResult.Plan.class);
        PlanResult.Plan p = (PlanResult.Plan) r;
        for (int h = 0; h < p.horizon(); h++) {
            float[] step = p.step(h);
            assertThat(step[0]).as("dx step %d", h).isCloseTo(0.03f, within(0.006f));
            assertThat(step[1]).as("dy step %d", h).isCloseTo(-0.02f, within(0.006f));
            assertThat(step[2]).as("dz step %d", h).isCloseTo(0.01f, within(0.006f));
            assertThat(step[3]).as("gripper step %d", h).isCloseTo(0.5f, within(0.2f));
        }
        double[] curve = p.bestPerIteration();
        assertThat(curve).hasSize(CONFIG.iterations());
        for (int i = 1; i < curve.length; i++) assertThat(curve[i]).isLessThanOrEqualTo(curve[i - 1]);
        assertThat(curve[curve.length - 1]).isLessThan(curve[0] / 5);
        assertThat(p.energy()).isEqualTo(curve[curve.length - 1]);
        assertThat(q.calls.get()).as("one batched call per iteration").isEqualTo(CONFIG.iterations());
    }

    @ParameterizedTest
    @EnumSource(value = PlannerKind.class)
    void respectsTheMaxNormBallAndGripperRange(PlannerKind kind) {
        Quadratic q = new Quadratic(0.2f, -0.3f, 0.0f, 3f); // optimum outside the ball and the gripper range
        PlanResult.Plan p = (PlanResult.Plan) planner(kind, CONFIG.toBuilder().ball(PlannerConfig.Ball.MAX).build(), 3).plan(q);
        assertThat(q.maxAbsTranslation).isLessThanOrEqualTo(0.05 + 1e-6);
        assertThat(q.maxAbsGripper).isLessThanOrEqualTo(1 + 1e-6);
        if (kind != PlannerKind.RANDOM) {
            float[] first = p.step(0);
            assertThat(first[0]).isCloseTo(0.05f, within(0.004f));
            assertThat(first[1]).isCloseTo(-0.05f, within(0.004f));
            assertThat(first[3]).isCloseTo(1f, within(0.1f));
        }
    }

    @ParameterizedTest
    @EnumSource(value = PlannerKind.class, names = {"CEM", "MPPI"})
    void aGoalThatGivesItsGripperIsCommandedUnlessTheConfigFixesIt(PlannerKind kind) {
        // the energy wants the gripper open (+0.5) but the goal observation shows it closed: the goal wins
        Quadratic q = new Quadratic(0.03f, -0.02f, 0.01f, 0.5f);
        TrajectoryCost closing = new TrajectoryCost() {
            @Override public float[] cost(float[] a, int s, int h, int d) { return q.cost(a, s, h, d); }
            @Override public java.util.OptionalDouble gripperCommand() { return java.util.OptionalDouble.of(-1); }
        };
        Planner planner = planner(kind, CONFIG, 5);
        PlanResult.Plan p = (PlanResult.Plan) planner.plan(closing);
        for (int h = 0; h < p.horizon(); h++) assertThat(p.step(h)[3]).as("gripper step %d", h).isEqualTo(-1f);
        assertThat(p.step(0)[0]).as("the motion is still planned").isCloseTo(0.03f, within(0.006f));
        // the next goal gives none: the gripper is searched again
        PlanResult.Plan free = (PlanResult.Plan) planner.plan(q);
        assertThat(free.step(0)[3]).isCloseTo(0.5f, within(0.3f));
        // a config that fixes the gripper keeps it
        PlanResult.Plan fixed = (PlanResult.Plan) planner(kind, CONFIG.toBuilder().fixedGripper(1).build(), 5).plan(closing);
        assertThat(fixed.step(0)[3]).isEqualTo(1f);
    }

    @Test
    void l2BallScalesStepsOntoTheSphere() {
        PlannerConfig c = CONFIG.toBuilder().ball(PlannerConfig.Ball.L2).build();
        TrajectoryCost far = (a, s, h, d) -> {
            float[] e = new float[s];
            for (int i = 0; i < s; i++)
                for (int t = 0; t < h; t++) {
                    int o = (i * h + t) * d;
                    double n = Math.sqrt(a[o] * a[o] + a[o + 1] * a[o + 1] + a[o + 2] * a[o + 2]);
                    assertThat(n).isLessThanOrEqualTo(0.05 + 1e-6);
                    e[i] += (float) -a[o]; // push +x as far as allowed
                }
            return e;
        };
        PlanResult.Plan p = (PlanResult.Plan) new CemPlanner(c, 1).plan(far);
        assertThat(p.step(0)[0]).isGreaterThan(0.045f);
    }

    @Test
    void fixedGripperIsNeverPlanned() {
        PlannerConfig c = CONFIG.toBuilder().fixedGripper(-1).build();
        Quadratic q = new Quadratic(0.01f, 0.01f, 0.01f, 1f);
        PlanResult.Plan p = (PlanResult.Plan) new MppiPlanner(c, 5).plan(q);
        for (int h = 0; h < p.horizon(); h++) assertThat(p.step(h)[3]).isEqualTo(-1f);
    }

    @Test
    void warmStartShiftsThePreviousMeanByOneStep() {
        PlannerConfig c = CONFIG.toBuilder().horizon(5).build();
        CemPlanner cem = new CemPlanner(c, 11);
        // A step-dependent optimum, so the shift is visible: step h wants dx = 0.01 * h.
        TrajectoryCost ramp = (a, s, h, d) -> {
            float[] e = new float[s];
            for (int i = 0; i < s; i++)
                for (int t = 0; t < h; t++) {
                    int o = (i * h + t) * d;
                    double dx = (a[o] - 0.01 * t) * 20;
                    e[i] += (float) (dx * dx + a[o + 1] * a[o + 1] * 400 + a[o + 2] * a[o + 2] * 400 + (a[o + 3] - 0.3 * (t - 2)) * (a[o + 3] - 0.3 * (t - 2)));
                }
            return e;
        };
        assertThat(cem.nextInitialMean()).containsOnly(0f);
        cem.plan(ramp);
        double[] prev = cem.previousMean();
        float[] next = cem.nextInitialMean();
        int a = PlannerConfig.ACTION_DIM;
        for (int h = 0; h < 4; h++)
            for (int i = 0; i < a; i++) assertThat(next[h * a + i]).isEqualTo((float) prev[(h + 1) * a + i]);
        assertThat(next[4 * a]).isZero();
        assertThat(next[4 * a + 1]).isZero();
        assertThat(next[4 * a + 2]).isZero();
        assertThat(next[4 * a + 3]).isEqualTo((float) prev[4 * a + 3]);
        assertThat(prev[3 * a]).as("the fitted ramp").isCloseTo(0.03, within(0.01));

        // The next plan's first candidate is exactly that shifted mean.
        Quadratic probe = new Quadratic(0, 0, 0, 0);
        cem.plan(probe);
        assertThat(probe.firstSampleOfFirstCall).containsExactly(next);

        // Without warm start, and after reset, plans start from zeros.
        cem.reset(11);
        assertThat(cem.nextInitialMean()).containsOnly(0f);
        CemPlanner cold = new CemPlanner(c.toBuilder().warmStart(false).build(), 11);
        cold.plan(ramp);
        assertThat(cold.nextInitialMean()).containsOnly(0f);
    }

    @ParameterizedTest
    @EnumSource(value = PlannerKind.class)
    void sameSeedSamePlanOtherSeedOtherPlan(PlannerKind kind) {
        Quadratic q = new Quadratic(0.03f, -0.02f, 0.01f, 0.5f);
        Planner a = planner(kind, CONFIG, 42), b = planner(kind, CONFIG, 42), c = planner(kind, CONFIG, 43);
        for (int call = 0; call < 2; call++) { // twice: the warm-started second plan must match too
            float[] pa = ((PlanResult.Plan) a.plan(q)).actions();
            float[] pb = ((PlanResult.Plan) b.plan(q)).actions();
            float[] pc = ((PlanResult.Plan) c.plan(q)).actions();
            assertThat(pa).containsExactly(pb);
            assertThat(Arrays.equals(pa, pc)).isFalse();
        }
        a.reset(42);
        Planner fresh = planner(kind, CONFIG, 42);
        assertThat(((PlanResult.Plan) a.plan(q)).actions()).containsExactly(((PlanResult.Plan) fresh.plan(q)).actions());
    }

    @ParameterizedTest
    @EnumSource(value = PlannerKind.class, names = {"CEM", "MPPI"})
    void deadlineReturnsTheBestPlanSoFar(PlannerKind kind) {
        Quadratic q = new Quadratic(0.03f, -0.02f, 0.01f, 0.5f);
        TrajectoryCost slow = (a, s, h, d) -> {
            try { Thread.sleep(30); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            return q.cost(a, s, h, d);
        };
        PlannerConfig c = CONFIG.toBuilder().iterations(1000).deadlineMs(200).build();
        long t0 = System.nanoTime();
        PlanResult.Plan p = (PlanResult.Plan) planner(kind, c, 1).plan(slow);
        double wallMs = (System.nanoTime() - t0) / 1e6;
        assertThat(p.deadlineHit()).isTrue();
        // Stopped early: the 1000 configured iterations would take 30 s; a loaded machine may fit only one in 200 ms.
        assertThat(p.iterations()).isBetween(1, 20).isLessThan(c.iterations());
        assertThat(p.bestPerIteration()).hasSize(p.iterations());
        // Deadline plus one iteration, with a second of slack for a loaded CI machine (far below the 30 s without it).
        assertThat(wallMs).isLessThan(200 + 30 + 1000);
        assertThat(p.planMs()).isLessThanOrEqualTo(wallMs);
        assertThat(p.energy()).isLessThan(p.bestPerIteration()[0] + 1e-9);
    }

    @ParameterizedTest
    @EnumSource(value = PlannerKind.class)
    void nanEnergyHolds(PlannerKind kind) {
        TrajectoryCost broken = (a, s, h, d) -> {
            float[] e = new float[s];
            e[s - 1] = Float.NaN;
            return e;
        };
        PlanResult r = planner(kind, CONFIG, 1).plan(broken);
        assertThat(r).isInstanceOf(PlanResult.Hold.class);
        assertThat(((PlanResult.Hold) r).reason()).contains("NaN").contains("does not act");
    }

    @Test
    void holdExceptionFromTheCostHoldsAndDropsTheWarmStart() {
        CemPlanner cem = new CemPlanner(CONFIG, 1);
        cem.plan(new Quadratic(0.03f, 0, 0, 0));
        assertThat(cem.previousMean()).isNotNull();
        PlanResult r = cem.plan((a, s, h, d) -> { throw new HoldException("latents are NaN"); });
        assertThat(r).isEqualTo(new PlanResult.Hold("latents are NaN", ((PlanResult.Hold) r).planMs()));
        assertThat(cem.previousMean()).isNull();
    }

    @Test
    void badConfigNamesTheProblem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CONFIG.toBuilder().topK(500).build())
                .hasMessageContaining("top-k is 500").hasMessageContaining("between 2 and samples");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CONFIG.toBuilder().maxNorm(-1).build())
                .hasMessageContaining("max-norm");
    }
}
