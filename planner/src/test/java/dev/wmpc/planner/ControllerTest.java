package dev.wmpc.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Vec3;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ControllerTest {
    static final Vec3 GOAL = new Vec3(0.1, -0.05, 0.05);

    /** An exact "world model" for the point robot: the latent is the position, each step adds the clipped delta. */
    static final LatentRollout POINT_MODEL = new LatentRollout() {
        @Override public int latentSize() { return 3; }
        @Override public float[] rollout(float[] latent, float[] proprio, float[] actions, int s, int h, int a) {
            float[] out = new float[s * h * 3];
            for (int i = 0; i < s; i++) {
                float[] p = latent.clone();
                for (int t = 0; t < h; t++) {
                    for (int k = 0; k < 3; k++) {
                        p[k] += (float) PointRobot.clip(actions[(i * h + t) * a + k]);
                        out[(i * h + t) * 3 + k] = p[k];
                    }
                }
            }
            return out;
        }
    };

    static final EpisodeMonitor REACH = new EpisodeMonitor() {
        @Override public boolean success(Observation o) { return o.state().eePosition().distance(GOAL) < 0.02; }
        @Override public OptionalDouble distance(Observation o) { return OptionalDouble.of(o.state().eePosition().distance(GOAL)); }
    };

    static LatentCostModel latentCost(EnergyMode mode) {
        GoalSequence goals = GoalSequence.of(PointRobot.decode(PointRobot.frameAt(GOAL)));
        return new LatentCostModel(PointRobot::decode, POINT_MODEL, goals, mode);
    }

    static final PlannerConfig CONFIG = PlannerConfig.defaults().toBuilder().samples(48).iterations(4).horizon(3).topK(6).build();

    @Test
    void cemAndMppiReachTheGoalInLatentSpaceAndBeatRandom() {
        List<EvalSummary> byPlanner = new ArrayList<>();
        for (PlannerKind kind : PlannerKind.values()) {
            List<EpisodeSummary> episodes = new ArrayList<>();
            for (long seed = 0; seed < 4; seed++) {
                try (PointRobot robot = new PointRobot()) {
                    Observation start = robot.reset(seed);
                    var controller = new RecedingHorizonController(kind.create(CONFIG, seed), latentCost(EnergyMode.FINAL));
                    EpisodeSummary e = controller.run(robot, start, seed, REACH, 30);
                    episodes.add(e);
                    assertThat(e.log()).hasSize(e.steps());
                    assertThat(e.steps()).isEqualTo(robot.acts);
                    assertThat(e.holds()).isZero();
                    for (StepRecord r : e.log()) {
                        assertThat(r.planMs()).isPositive();
                        assertThat(r.energy()).isFinite();
                        assertThat(r.action().isFinite()).isTrue();
                    }
                }
            }
            byPlanner.add(EvalSummary.of(episodes));
        }
        EvalSummary cem = byPlanner.get(0), mppi = byPlanner.get(1), random = byPlanner.get(2);
        assertThat(cem.successRate()).isEqualTo(1.0);
        assertThat(mppi.successRate()).isEqualTo(1.0);
        assertThat(random.successRate()).isLessThan(cem.successRate());
        assertThat(cem.finalDistanceMean()).isLessThan(0.02);
        assertThat(cem.stepsToSuccessMean()).isLessThan(15);
        assertThat(cem.planMsP95()).isGreaterThanOrEqualTo(cem.planMsP50());
    }

    @Test
    void sumOverStepsEnergyAlsoReaches() {
        try (PointRobot robot = new PointRobot()) {
            Observation start = robot.reset(9);
            var controller = new RecedingHorizonController(new CemPlanner(CONFIG, 9), latentCost(EnergyMode.SUM));
            assertThat(controller.run(robot, start, 9, REACH, 30).success()).isTrue();
        }
    }

    @Test
    void subGoalsArePursuedInOrderByStepBudget() {
        Vec3 first = new Vec3(0.15, 0, 0), second = new Vec3(0.15, 0.15, 0);
        GoalSequence goals = new GoalSequence(List.of(
                new GoalSequence.SubGoal(PointRobot.decode(PointRobot.frameAt(first)), 6),
                new GoalSequence.SubGoal(PointRobot.decode(PointRobot.frameAt(second)), 6)));
        assertThat(goals.indexAt(0)).isZero();
        assertThat(goals.indexAt(5)).isZero();
        assertThat(goals.indexAt(6)).isEqualTo(1);
        assertThat(goals.indexAt(1000)).isEqualTo(1);
        try (PointRobot robot = new PointRobot()) {
            robot.position = Vec3.ZERO;
            var controller = new RecedingHorizonController(new CemPlanner(CONFIG, 1),
                    new LatentCostModel(PointRobot::decode, POINT_MODEL, goals, EnergyMode.FINAL));
            EpisodeSummary e = controller.run(robot, robot.observe(), 1, EpisodeMonitor.NONE, 12);
            assertThat(e.steps()).isEqualTo(12);
            assertThat(e.success()).isFalse();
            assertThat(Double.isNaN(e.finalDistance())).isTrue();
            // Half way it had gone along x only; at the end it is near the second goal.
            double yAfterFirst = 0;
            for (int i = 0; i < 6; i++) yAfterFirst += e.log().get(i).action().dy();
            assertThat(Math.abs(yAfterFirst)).isLessThan(0.03);
            assertThat(e.log().get(11).goalIndex()).isEqualTo(1);
            assertThat(robot.position.distance(second)).isLessThan(0.03);
        }
    }

    @Test
    void withoutBudgetsTheControllerMovesOnWhenTheFrameLooksLikeTheGoal() {
        Vec3 first = new Vec3(0.15, 0, 0), second = new Vec3(0.15, 0.15, 0);
        GoalSequence goals = new GoalSequence(List.of(
                new GoalSequence.SubGoal(PointRobot.decode(PointRobot.frameAt(first)), Integer.MAX_VALUE),
                new GoalSequence.SubGoal(PointRobot.decode(PointRobot.frameAt(second)), Integer.MAX_VALUE)));
        try (PointRobot robot = new PointRobot()) {
            robot.position = Vec3.ZERO;
            var cost = new LatentCostModel(PointRobot::decode, POINT_MODEL, goals, EnergyMode.FINAL, null, 0,
                    LatentCostModel.Switching.reached(0.01, 100));
            var controller = new RecedingHorizonController(new CemPlanner(CONFIG, 1), cost);
            EpisodeSummary e = controller.run(robot, robot.observe(), 1, EpisodeMonitor.NONE, 16);
            int switchedAt = -1;
            for (StepRecord r : e.log()) if (r.goalIndex() == 1 && switchedAt < 0) switchedAt = r.step();
            assertThat(switchedAt).as("moved on to the second goal").isBetween(2, 12);
            // up to then it went along x only, and it ends at the second goal
            double y = 0;
            for (int i = 0; i < switchedAt; i++) y += e.log().get(i).action().dy();
            assertThat(Math.abs(y)).isLessThan(0.03);
            assertThat(robot.position.distance(second)).isLessThan(0.03);
        }
        // the step limit moves on too, even when the goal is never reached
        try (PointRobot robot = new PointRobot()) {
            robot.position = Vec3.ZERO;
            var cost = new LatentCostModel(PointRobot::decode, POINT_MODEL, goals, EnergyMode.FINAL, null, 0,
                    LatentCostModel.Switching.reached(1e-9, 3));
            var controller = new RecedingHorizonController(new CemPlanner(CONFIG, 1), cost);
            EpisodeSummary e = controller.run(robot, robot.observe(), 1, EpisodeMonitor.NONE, 5);
            assertThat(e.log()).extracting(StepRecord::goalIndex).containsExactly(0, 0, 0, 1, 1);
        }
    }

    @Test
    void eachStepRecordsItsPlannedSequenceAndItsEnergyByTerm() {
        float[] goal = PointRobot.decode(PointRobot.frameAt(GOAL));
        // the latent energy plus a proprio term (the end effector moved by the plan vs the goal), as the controller's
        CostModel cost = (o, step) -> new ProprioGoalEnergy(
                new LatentEnergy(POINT_MODEL, PointRobot.decode(o.primaryFrame()), o.state().toVector(), goal, EnergyMode.SUM),
                o.state().eePosition().toArray(), GOAL.toArray(), 2.0, EnergyMode.SUM);
        try (PointRobot robot = new PointRobot()) {
            var controller = new RecedingHorizonController(new CemPlanner(CONFIG, 2), cost);
            controller.reset(2);
            StepRecord r = controller.decide(robot.reset(2));
            assertThat(r.plan()).hasSize(CONFIG.horizon());
            assertThat(r.plan().get(0)).as("the action is the plan's first step").isEqualTo(r.action());
            assertThat(r.energyTerms()).containsOnlyKeys("latent", "proprio");
            double sum = r.energyTerms().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(sum).as("the terms add up to the plan's energy").isCloseTo(r.energy(), org.assertj.core.api.Assertions.within(1e-5));
            assertThat(r.energyTerms().get("proprio")).isPositive();
            // the proprio term, by hand: 2 x sum over the steps of the mean |ee + planned deltas - goal|
            double x = robot.position.x(), y = robot.position.y(), z = robot.position.z(), proprio = 0;
            for (Action.EndEffectorDelta a : r.plan()) {
                x += a.dx();
                y += a.dy();
                z += a.dz();
                proprio += (Math.abs(x - GOAL.x()) + Math.abs(y - GOAL.y()) + Math.abs(z - GOAL.z())) / 3;
            }
            assertThat(r.energyTerms().get("proprio")).isCloseTo(2.0 * proprio, org.assertj.core.api.Assertions.within(1e-6));
        }
        // a cost without named terms (an oracle) leaves them empty; the plan is still recorded
        var plain = new RecedingHorizonController(new CemPlanner(CONFIG, 2), (o, step) -> (a, s, h, d) -> new float[s]);
        try (PointRobot robot = new PointRobot()) {
            plain.reset(2);
            StepRecord r = plain.decide(robot.reset(2));
            assertThat(r.energyTerms()).isEmpty();
            assertThat(r.plan()).hasSize(CONFIG.horizon());
        }
    }

    @Test
    void theStepLogIsBoundedButStepsKeepCounting() {
        Vec3 second = new Vec3(0.1, 0.1, 0.05);
        GoalSequence goals = new GoalSequence(List.of(
                new GoalSequence.SubGoal(PointRobot.decode(PointRobot.frameAt(GOAL)), 6),
                new GoalSequence.SubGoal(PointRobot.decode(PointRobot.frameAt(second)), 6)));
        try (PointRobot robot = new PointRobot()) {
            robot.position = Vec3.ZERO;
            var controller = new RecedingHorizonController(new CemPlanner(CONFIG, 1),
                    new LatentCostModel(PointRobot::decode, POINT_MODEL, goals, EnergyMode.FINAL), 4);
            EpisodeSummary e = controller.run(robot, robot.observe(), 1, EpisodeMonitor.NONE, 12);
            assertThat(e.steps()).isEqualTo(12);
            assertThat(e.log()).extracting(StepRecord::step).containsExactly(8, 9, 10, 11);
            assertThat(e.log().get(3).goalIndex()).isEqualTo(1); // the goal index follows the step, not the log size
            assertThat(controller.steps()).hasSize(4);
            controller.reset(1);
            assertThat(controller.steps()).isEmpty();
        }
    }

    @Test
    void nanLatentsHoldTheRobotStill() {
        LatentRollout broken = new LatentRollout() {
            @Override public int latentSize() { return 3; }
            @Override public float[] rollout(float[] l, float[] p, float[] a, int s, int h, int d) {
                float[] out = POINT_MODEL.rollout(l, p, a, s, h, d);
                out[out.length / 2] = Float.NaN;
                return out;
            }
        };
        GoalSequence goals = GoalSequence.of(PointRobot.decode(PointRobot.frameAt(GOAL)));
        try (PointRobot robot = new PointRobot()) {
            Observation start = robot.reset(3);
            Vec3 before = robot.position;
            var controller = new RecedingHorizonController(new CemPlanner(CONFIG, 3),
                    new LatentCostModel(PointRobot::decode, broken, goals, EnergyMode.FINAL));
            EpisodeSummary e = controller.run(robot, start, 3, REACH, 3);
            assertThat(e.holds()).isEqualTo(3);
            assertThat(e.success()).isFalse();
            assertThat(robot.position).isEqualTo(before);
            StepRecord r = e.log().get(0);
            assertThat(r.held()).isTrue();
            assertThat(r.holdReason()).contains("non-finite latents");
            assertThat(Double.isNaN(r.energy())).isTrue();
            assertThat(r.action()).isEqualTo(new Action.EndEffectorDelta(0, 0, 0, 1)); // gripper stays open
        }
        // A NaN from the encoder holds too, through the Policy interface.
        var encoderBroken = new RecedingHorizonController(new MppiPlanner(CONFIG, 3),
                new LatentCostModel(f -> new float[] {0, Float.NaN, 0}, POINT_MODEL, goals, EnergyMode.FINAL));
        try (PointRobot robot = new PointRobot()) {
            encoderBroken.reset(3);
            Action a = encoderBroken.act(robot.reset(3));
            assertThat(a).isEqualTo(new Action.EndEffectorDelta(0, 0, 0, 1));
            assertThat(encoderBroken.steps().get(0).holdReason()).contains("encoder gave a non-finite latent");
        }
    }

    @Test
    void mismatchedEncoderAndModelIsAClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new LatentCostModel(f -> new float[5], POINT_MODEL, GoalSequence.of(new float[3]), EnergyMode.FINAL)
                                .costFor(new PointRobot().reset(0), 0))
                .isInstanceOf(dev.wmpc.core.WmpcException.class)
                .hasMessageContaining("encoder and predictor do not match");
    }
}
