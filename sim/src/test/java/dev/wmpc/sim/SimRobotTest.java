package dev.wmpc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import dev.wmpc.core.Vec3;
import dev.wmpc.sim.policy.ExpertPolicy;
import dev.wmpc.sim.policy.RandomPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimRobotTest {
    static SimRobot sim(String task, int cubes) {
        return SimRobot.headless(SimConfig.defaults(Task.byName(task)).withCubes(cubes));
    }

    /** A compact fingerprint of the full state: joints, fingers and every cube's pose and velocity. */
    static double[] fingerprint(SimState s) {
        List<Double> v = new ArrayList<>();
        for (double d : s.joints()) v.add(d);
        for (double d : s.fingers()) v.add(d);
        for (SimState.Body b : s.cubes()) {
            for (double d : b.position().toArray()) v.add(d);
            for (double d : b.orientation().toArray()) v.add(d);
            for (double d : b.linearVelocity().toArray()) v.add(d);
        }
        v.add((double) s.heldCube());
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static List<double[]> rollout(SimRobot sim, long seed, List<Action> actions) {
        sim.reset(seed);
        List<double[]> out = new ArrayList<>();
        for (Action a : actions) {
            sim.act(a);
            out.add(fingerprint(sim.snapshot()));
        }
        return out;
    }

    static List<Action> randomActions(long seed, int n) {
        RandomPolicy p = new RandomPolicy(0.05);
        p.reset(seed);
        List<Action> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(p.act(null));
        return out;
    }

    @Test void sameSeedAndActionsGiveTheSameStates() {
        List<Action> actions = randomActions(5, 25);
        try (SimRobot a = sim("push", 3); SimRobot b = sim("push", 3)) {
            List<double[]> ra = rollout(a, 42, actions);
            List<double[]> rb = rollout(b, 42, actions);
            List<double[]> again = rollout(a, 42, actions);
            for (int i = 0; i < ra.size(); i++) {
                assertThat(rb.get(i)).as("step %d, second simulator", i).containsExactly(ra.get(i));
                assertThat(again.get(i)).as("step %d, same simulator reset", i).containsExactly(ra.get(i));
            }
            // A different seed starts elsewhere.
            a.reset(43);
            assertThat(fingerprint(a.snapshot())).isNotEqualTo(fingerprint(new SimState(b.episode(), 0, 0, ArmModel.HOME, ArmModel.HOME,
                    new double[] {0.04, 0.04}, 1, b.snapshot().cubes(), -1, b.snapshot().heldOffset())));
        }
    }

    @Test void restoreReplaysExactlyAndMatchesTheOriginalRun() {
        try (SimRobot sim = sim("pick-place", 2)) {
            sim.reset(3);
            Policy expert = new ExpertPolicy(sim);
            for (int i = 0; i < 14; i++) sim.act(expert.act(sim.observe()));
            SimState snap = sim.snapshot();
            List<Action> next = new ArrayList<>();
            List<double[]> original = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Action a = expert.act(sim.observe());
                next.add(a);
                sim.act(a);
                original.add(fingerprint(sim.snapshot()));
            }
            List<double[]> first = new ArrayList<>(), second = new ArrayList<>();
            for (List<double[]> run : List.of(first, second)) {
                sim.restore(snap);
                // Bullet keeps rotations as matrices, so a restored quaternion may differ in its last float bits.
                double[] now = fingerprint(sim.snapshot()), then = fingerprint(snap);
                for (int k = 0; k < now.length; k++) assertThat(now[k]).isCloseTo(then[k], within(1e-6));
                assertThat(sim.stepCount()).isEqualTo(snap.step());
                for (Action a : next) {
                    sim.act(a);
                    run.add(fingerprint(sim.snapshot()));
                }
            }
            for (int i = 0; i < first.size(); i++) {
                assertThat(second.get(i)).containsExactly(first.get(i));
                double[] o = original.get(i), f = first.get(i);
                for (int k = 0; k < o.length; k++) assertThat(f[k]).isCloseTo(o[k], within(2e-3));
            }
        }
    }

    @Test void aSnapshotRestoredIntoATwinSimulatorPlaysOutTheSame() {
        try (SimRobot sim = sim("push", 2); SimRobot twin = sim("push", 2)) {
            sim.reset(8);
            Policy expert = new ExpertPolicy(sim);
            for (int i = 0; i < 12; i++) sim.act(expert.act(sim.observe()));
            SimState snap = sim.snapshot();
            List<Action> next = randomActions(3, 6);
            twin.reset(99); // a different episode first: restore must replace all of it
            twin.restore(snap);
            sim.restore(snap);
            for (Action a : next) {
                sim.act(a);
                twin.act(a);
                assertThat(fingerprint(twin.snapshot())).containsExactly(fingerprint(sim.snapshot()));
            }
            assertThat(twin.distanceToGoal()).isEqualTo(sim.distanceToGoal());
            assertThat(twin.episode()).isEqualTo(sim.episode());
        }
    }

    @Test void nonFiniteActionsAreRefusedAndNothingMoves() {
        try (SimRobot sim = sim("push", 1)) {
            sim.reset(1);
            sim.act(new Action.EndEffectorDelta(0.02, 0, -0.03, 1));
            double[] before = fingerprint(sim.snapshot());
            int step = sim.stepCount();
            for (Action bad : List.of(new Action.EndEffectorDelta(Double.NaN, 0, 0, 1), new Action.EndEffectorDelta(0, Double.POSITIVE_INFINITY, 0, 1),
                    new Action.EndEffectorDelta(0, 0, 0, Double.NaN), new Action.JointTargets(new double[] {0, 0, 0, Double.NaN, 0, 0, 0}, 1))) {
                assertThatThrownBy(() -> sim.act(bad)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("non-finite").hasMessageContaining("did not move");
            }
            assertThatThrownBy(() -> sim.act(new Action.JointTargets(new double[3], 1))).hasMessageContaining("7 joints");
            assertThat(fingerprint(sim.snapshot())).containsExactly(before);
            assertThat(sim.stepCount()).isEqualTo(step);
        }
    }

    @Test void actionsAreClippedToTheMaxStepAndTheWorkspace() {
        try (SimRobot sim = sim("reach", 1)) {
            sim.reset(0);
            Vec3 start = sim.eePosition();
            Action.EndEffectorDelta applied = (Action.EndEffectorDelta) sim.act(new Action.EndEffectorDelta(0.3, 0.1, 0, 1));
            assertThat(applied.delta().norm()).isCloseTo(0.05, within(1e-9));
            assertThat(sim.eePosition().distance(start.plus(applied.delta()))).isLessThan(0.002);
            for (int i = 0; i < 30; i++) sim.act(new Action.EndEffectorDelta(0, 0, -0.05, 1));
            assertThat(sim.eePosition().z()).isCloseTo(Workspace.defaults().min().z(), within(0.002));
            for (int i = 0; i < 30; i++) sim.act(new Action.EndEffectorDelta(0.05, 0.05, 0, 1));
            Vec3 ee = sim.eePosition();
            assertThat(ee.x()).isLessThan(Workspace.defaults().max().x() + 0.002);
            assertThat(ee.y()).isLessThan(Workspace.defaults().max().y() + 0.002);
        }
    }

    @Test void jointTargetsAreTrackedAndClampedToLimits() {
        try (SimRobot sim = sim("reach", 1)) {
            sim.reset(0);
            double[] target = ArmModel.HOME.clone();
            target[0] = 0.4;
            target[3] = 0.5; // above joint 4's upper limit (-0.0698)
            Action.JointTargets applied = (Action.JointTargets) sim.act(new Action.JointTargets(target, -1));
            assertThat(applied.positions()[3]).isEqualTo(-0.0698);
            for (int i = 0; i < 10; i++) sim.act(applied);
            assertThat(sim.joints()[0]).isCloseTo(0.4, within(1e-9));
            assertThat(sim.joints()[3]).isCloseTo(-0.0698, within(1e-9));
            assertThat(sim.gripperOpening()).isCloseTo(0, within(1e-9));
        }
    }

    @Test void theArmPushesCubesThroughContact() {
        try (SimRobot sim = sim("push", 1)) {
            sim.reset(7);
            Vec3 cube = sim.cubePose(0).position();
            // Go down beside the cube (-x side), then sweep through it along +x.
            Vec3 start = new Vec3(cube.x() - 0.1, cube.y(), 0.02);
            for (int i = 0; i < 20; i++) moveToward(sim, start.plus(new Vec3(0, 0, 0.1)), -1);
            for (int i = 0; i < 5; i++) moveToward(sim, start, -1);
            assertThat(sim.eePosition().distance(start)).isLessThan(0.002);
            assertThat(sim.cubePose(0).position().distance(cube)).isLessThan(1e-3);
            for (int i = 0; i < 5; i++) sim.act(new Action.EndEffectorDelta(0.03, 0, 0, -1));
            Vec3 after = sim.cubePose(0).position();
            assertThat(after.x() - cube.x()).isGreaterThan(0.03);
            assertThat(after.z()).isCloseTo(Task.CUBE_HALF, within(0.005));
        }
    }

    @Test void observationsCarryTheCubePositionsAsEnvironmentState() {
        try (SimRobot sim = sim("push", 2)) {
            Observation o = sim.reset(7);
            assertThat(o.environment().names()).containsExactly("cube_x", "cube_y", "cube_z", "cube1_x", "cube1_y", "cube1_z")
                    .isEqualTo(sim.environmentStateNames());
            Vec3 cube = sim.cubePose(0).position();
            assertThat((double) o.environment().get("cube_x")).isCloseTo(cube.x(), within(1e-6));
            assertThat((double) o.environment().get("cube_y")).isCloseTo(cube.y(), within(1e-6));
            assertThat((double) o.environment().get("cube_z")).isCloseTo(Task.CUBE_HALF, within(0.005));
            assertThat((double) o.environment().get("cube1_x")).isCloseTo(sim.cubePose(1).position().x(), within(1e-6));
            // Push cube 0 along +x: the observed position follows it.
            Vec3 start = new Vec3(cube.x() - 0.1, cube.y(), 0.02);
            for (int i = 0; i < 20; i++) moveToward(sim, start.plus(new Vec3(0, 0, 0.1)), -1);
            for (int i = 0; i < 5; i++) moveToward(sim, start, -1);
            for (int i = 0; i < 5; i++) sim.act(new Action.EndEffectorDelta(0.03, 0, 0, -1));
            Observation after = sim.observe();
            assertThat(after.environment().get("cube_x") - o.environment().get("cube_x")).isGreaterThan(0.03f);
            assertThat((double) after.environment().get("cube_x")).isCloseTo(sim.cubePose(0).position().x(), within(1e-6));
        }
    }

    @Test void aClosedGripperHoldsAndLiftsACubeAndReleasesIt() {
        try (SimRobot sim = sim("pick-place", 1)) {
            sim.reset(0);
            Vec3 cube = sim.cubePose(0).position();
            for (int i = 0; i < 20; i++) moveToward(sim, new Vec3(cube.x(), cube.y(), i < 12 ? 0.1 : cube.z()), 1);
            assertThat(sim.isHolding(0)).isFalse();
            sim.act(new Action.EndEffectorDelta(0, 0, 0, -1));
            assertThat(sim.isHolding(0)).isTrue();
            assertThat(sim.gripperOpening()).isCloseTo(Task.CUBE_SIZE / 0.08, within(0.02));
            for (int i = 0; i < 3; i++) sim.act(new Action.EndEffectorDelta(0, 0, 0.05, -1));
            assertThat(sim.cubePose(0).position().z()).isGreaterThan(0.14);
            sim.act(new Action.EndEffectorDelta(0, 0, 0, 1));
            assertThat(sim.isHolding(0)).isFalse();
            for (int i = 0; i < 3; i++) sim.act(new Action.EndEffectorDelta(0, 0, 0, 1));
            assertThat(sim.cubePose(0).position().z()).isCloseTo(Task.CUBE_HALF, within(0.003)); // fell back onto the table
            // Closing on nothing holds nothing.
            sim.act(new Action.EndEffectorDelta(0, 0, 0.05, -1));
            assertThat(sim.heldCube()).isEqualTo(-1);
            assertThat(sim.gripperOpening()).isLessThan(0.05);
        }
    }

    @Test void camerasNeedARenderer() {
        assertThatThrownBy(() -> new SimRobot(SimConfig.defaults(new Task.Reach()), null)).hasMessageContaining("no renderer");
        assertThatThrownBy(() -> SimConfig.defaults(new Task.Reach()).withCameraSize(16)).hasMessageContaining("between 32 and 1024");
        assertThatThrownBy(() -> SimConfig.defaults(new Task.Reach()).withCubes(4)).hasMessageContaining("1 to 3");
        assertThatThrownBy(() -> Task.byName("stack")).hasMessageContaining("reach, push, pick-place");
    }

    @Test void namedCameras() {
        SimConfig two = SimConfig.defaults(new Task.PickPlace()).withCameraNames(java.util.List.of("front", "side"), 48);
        assertThat(two.cameras()).extracting(dev.wmpc.core.CameraSpec::name).containsExactly("front", "side");
        assertThat(two.cameras()).allMatch(c -> c.width() == 48 && c.height() == 48);
        // The front camera looks steeply down; the side one almost level, so heights show as image rows.
        assertThat(elevationDegrees(SimConfig.camera("front", 64))).isGreaterThan(40);
        assertThat(elevationDegrees(SimConfig.camera("side", 64))).isLessThan(15);
        assertThatThrownBy(() -> SimConfig.camera("wrist", 64)).hasMessageContaining("unknown camera 'wrist'").hasMessageContaining("[front, side]");
        assertThatThrownBy(() -> two.withCameraNames(java.util.List.of("side", "side"), 64)).hasMessageContaining("named twice");
        try (SimRobot sim = new SimRobot(two, new dev.wmpc.sim.render.EglSceneRenderer())) {
            Observation o = sim.reset(3);
            assertThat(o.frames()).containsOnlyKeys("front", "side");
            assertThat(o.frames().get("side").data()).isNotEqualTo(o.frames().get("front").data());
        }
    }

    private static double elevationDegrees(dev.wmpc.core.CameraSpec c) {
        double dx = c.target().x() - c.eye().x(), dy = c.target().y() - c.eye().y(), dz = c.target().z() - c.eye().z();
        return Math.toDegrees(Math.atan2(-dz, Math.hypot(dx, dy)));
    }

    @Test void observationsReportProprioception() {
        try (SimRobot sim = sim("reach", 1)) {
            Observation o = sim.reset(0);
            assertThat(o.frames()).isEmpty();
            assertThat(o.state().jointPositions()).containsExactly(ArmModel.HOME);
            assertThat(o.state().gripper()).isEqualTo(1.0);
            assertThat(o.state().eePosition().distance(sim.eePosition())).isZero();
            assertThat(sim.jointNames()).hasSize(7);
            assertThat(sim.controlPeriod()).isEqualTo(0.2);
            sim.act(new Action.EndEffectorDelta(0, 0, 0, 1));
            assertThat(sim.observe().timestamp()).isCloseTo(0.2, within(1e-12));
        }
    }

    static void moveToward(SimRobot sim, Vec3 target, double gripper) {
        Vec3 d = target.minus(sim.eePosition());
        if (d.norm() > 0.05) d = d.times(0.05 / d.norm());
        sim.act(new Action.EndEffectorDelta(d.x(), d.y(), d.z(), gripper));
    }
}
