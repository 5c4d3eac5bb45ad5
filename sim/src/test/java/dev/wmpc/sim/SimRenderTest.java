package dev.wmpc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Vec3;
import dev.wmpc.sim.policy.ExpertPolicy;
import dev.wmpc.sim.render.EglSceneRenderer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator with the real headless renderer: frames are deterministic and show the scene's colours. */
class SimRenderTest {
    static List<String> frameHashes(long seed, int steps) throws Exception {
        List<String> out = new ArrayList<>();
        try (SimRobot sim = new SimRobot(SimConfig.defaults(new Task.Push()).withCubes(2), new EglSceneRenderer())) {
            sim.reset(seed);
            ExpertPolicy expert = new ExpertPolicy(sim);
            for (int i = 0; i < steps; i++) {
                out.add(hash(sim.observe().primaryFrame()));
                sim.act(expert.act(sim.observe()));
            }
            out.add(hash(sim.goalFrames().get(0)));
        }
        return out;
    }

    static String hash(CameraFrame f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(f.data()));
    }

    @Test void sameSeedAndActionsGiveIdenticalFrames() throws Exception {
        List<String> a = frameHashes(9, 12), b = frameHashes(9, 12);
        assertThat(a).isEqualTo(b);
        assertThat(a.stream().distinct().count()).as("the arm moves, so frames change").isGreaterThan(5);
        assertThat(frameHashes(10, 1).get(0)).isNotEqualTo(a.get(0));
    }

    @Test void framesShowTheCubesTheArmAndTheGoalMarkerOnlyWhenAsked() {
        SimConfig config = SimConfig.defaults(new Task.Push()).withCubes(3).withCameraSize(96);
        try (SimRobot shown = new SimRobot(config.withGoalMarker(true), new EglSceneRenderer());
             SimRobot hidden = new SimRobot(config, new EglSceneRenderer())) {
            CameraFrame f = shown.reset(4).primaryFrame();
            CameraFrame h = hidden.reset(4).primaryFrame();
            assertThat(f.width()).isEqualTo(96);
            assertThat(count(f, 0)).as("red cube pixels").isGreaterThan(4);
            assertThat(count(f, 2)).as("blue cube pixels").isGreaterThan(4);
            assertThat(count(f, 1)).as("green goal marker pixels").isGreaterThan(4);
            assertThat(count(h, 1)).as("no goal marker by default").isZero();
            assertThat(count(f, 3)).as("light grey arm pixels").isGreaterThan(20);
            CameraFrame goal = shown.goalFrames().get(0);
            assertThat(goal.data()).isNotEqualTo(f.data());
            // Moving the arm changes the frame; observing twice without acting does not.
            assertThat(shown.observe().primaryFrame().data()).isEqualTo(f.data());
            shown.act(new Action.EndEffectorDelta(0.05, 0, 0, 1));
            assertThat(shown.observe().primaryFrame().data()).isNotEqualTo(f.data());
        }
    }

    @Test void pushIsGivenAsSubGoalImagesAlongThePushAndReachAsItsGoalAlone() {
        try (SimRobot push = new SimRobot(SimConfig.defaults(new Task.Push()), new EglSceneRenderer());
             SimRobot reach = new SimRobot(SimConfig.defaults(new Task.Reach()), new EglSceneRenderer())) {
            push.reset(5);
            List<SimRobot.SubGoal> subs = push.subGoals();
            List<Vec3[]> legs = SimRobot.pushLegs(push.episode().cubes().get(0).position(), push.episode().goal());
            // per leg: (lift,) above, lowered, then one image per waypoint spacing of the leg; the last is the goal image
            int expected = 0;
            for (int l = 0; l < legs.size(); l++)
                expected += (l > 0 ? 3 : 2) + (int) Math.ceil(legs.get(l)[0].distance(legs.get(l)[1]) / SimRobot.PUSH_WAYPOINT_SPACING);
            assertThat(subs).hasSize(expected);
            assertThat(subs.subList(0, 2)).extracting(SimRobot.SubGoal::steps)
                    .containsExactly(SimRobot.PUSH_APPROACH_STEPS, SimRobot.PUSH_LOWER_STEPS);
            assertThat(subs.get(subs.size() - 1).frame().data()).as("the last sub-goal is the goal image").isEqualTo(push.goalFrames().get(0).data());
            assertThat(subs.subList(0, subs.size() - 1).stream().mapToInt(SimRobot.SubGoal::steps).sum())
                    .as("the sub-goals before the goal fit in the episode").isLessThan(push.task().episodeLength());
            for (int i = 1; i < subs.size(); i++)
                assertThat(subs.get(i).frame().data()).as("sub-goal " + i + " differs from the one before").isNotEqualTo(subs.get(i - 1).frame().data());
            assertThat(subs).extracting(SimRobot.SubGoal::gripper).as("push keeps the gripper closed").containsOnly(0.0);
            reach.reset(5);
            assertThat(reach.subGoals()).hasSize(1);
            assertThat(reach.subGoals().get(0).gripper()).isEqualTo(1.0);
            assertThat(reach.subGoals().get(0).frame().data()).isEqualTo(reach.goalFrames().get(0).data());
        }
    }

    @Test void keyframeGoalsAreAtMostThreePhotographsEndingWithTheGoalImage() {
        for (Task t : List.<Task>of(new Task.Reach(), new Task.Push(), new Task.PickPlace()))
            try (SimRobot sim = new SimRobot(SimConfig.defaults(t), new EglSceneRenderer())) {
                sim.reset(7);
                List<dev.wmpc.core.CameraFrame> keys = sim.keyframeGoals();
                assertThat(keys).as(t.name()).hasSize(t instanceof Task.Reach ? 1 : t instanceof Task.Push ? 2 : 3);
                assertThat(keys.get(keys.size() - 1).data()).as(t.name() + ": the last is the goal image").isEqualTo(sim.goalFrames().get(0).data());
                for (int i = 1; i < keys.size(); i++)
                    assertThat(keys.get(i).data()).as(t.name() + " keyframe " + i).isNotEqualTo(keys.get(i - 1).data());
                // staging a photograph does not move the robot or the cube
                assertThat(sim.distanceToGoal()).isEqualTo(sim.task().distance(sim));
            }
    }

    @Test void pickPlaceIsGivenAsGraspLiftCarryPlaceReleaseWithTheGripperEachShows() {
        try (SimRobot pick = new SimRobot(SimConfig.defaults(new Task.PickPlace()), new EglSceneRenderer())) {
            pick.reset(3);
            List<SimRobot.SubGoal> subs = pick.subGoals();
            // above, lowered (open), closed on the cube, lifted, over the goal, lowered there (closed), opened, the goal
            assertThat(subs).extracting(SimRobot.SubGoal::gripper).containsExactly(1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0);
            assertThat(subs.subList(0, 4)).extracting(SimRobot.SubGoal::steps).containsExactly(SimRobot.PICK_APPROACH_STEPS,
                    SimRobot.PICK_DESCEND_STEPS, SimRobot.PICK_GRIPPER_STEPS, SimRobot.PICK_LIFT_STEPS);
            assertThat(subs.get(subs.size() - 1).frame().data()).isEqualTo(pick.goalFrames().get(0).data());
            assertThat(subs.subList(0, subs.size() - 1).stream().mapToInt(SimRobot.SubGoal::steps).sum())
                    .as("the sub-goals before the goal fit in the episode").isLessThan(pick.task().episodeLength());
            // the cube is shown where it is: at its start until lifted, at the goal once placed
            assertThat(count(subs.get(5).frame(), 0)).as("red cube pixels once placed").isGreaterThan(0);
            for (int i = 1; i < subs.size(); i++) {
                // closing on the cube (2) and opening over the goal (6) change the fingers alone, which at 64x64 can
                // leave the image as it was: the goal observation's gripper is what tells those apart
                if (i == 2 || i == 6) assertThat(subs.get(i).gripper()).isNotEqualTo(subs.get(i - 1).gripper());
                else assertThat(subs.get(i).frame().data()).as("sub-goal " + i + " differs from the one before").isNotEqualTo(subs.get(i - 1).frame().data());
            }
        }
    }

    @Test void pushLegsAreFaceOnPushesLongerFirstThatEndAtTheGoal() {
        Vec3 cube = new Vec3(0.5, 0.0, Task.CUBE_HALF);
        List<Vec3[]> legs = SimRobot.pushLegs(cube, new Vec3(0.42, 0.06, Task.CUBE_HALF));
        assertThat(legs).hasSize(2);
        assertThat(legs.get(0)[1].x()).isCloseTo(0.42, within(1e-12)); // x (8 cm) first
        assertThat(legs.get(0)[1].y()).isCloseTo(0.0, within(1e-12));
        assertThat(legs.get(1)[0]).isEqualTo(legs.get(0)[1]);
        assertThat(legs.get(1)[1].x()).isCloseTo(0.42, within(1e-12));
        assertThat(legs.get(1)[1].y()).isCloseTo(0.06, within(1e-12));
        // a sideways offset under 2 cm is left to the success radius
        List<Vec3[]> one = SimRobot.pushLegs(cube, new Vec3(0.5, 0.1, Task.CUBE_HALF).plus(new Vec3(0.015, 0, 0)));
        assertThat(one).hasSize(1);
        assertThat(one.get(0)[1].x()).isCloseTo(0.5, within(1e-12));
        assertThat(one.get(0)[1].y()).isCloseTo(0.1, within(1e-12));
    }

    /** Pixels that are clearly red (0), green (1), blue (2) or light grey (3). */
    static int count(CameraFrame f, int kind) {
        int n = 0;
        for (int y = 0; y < f.height(); y++)
            for (int x = 0; x < f.width(); x++) {
                int[] p = f.rgbAt(x, y);
                boolean hit = switch (kind) {
                    case 0 -> p[0] > 120 && p[1] < 70 && p[2] < 70;
                    case 1 -> p[1] > 120 && p[0] < 90 && p[2] < 100;
                    case 2 -> p[2] > 120 && p[0] < 80 && p[1] < 110;
                    default -> p[0] > 150 && Math.abs(p[0] - p[1]) < 20 && Math.abs(p[2] - p[1]) < 30 && p[2] > 150;
                };
                if (hit) n++;
            }
        return n;
    }
}
