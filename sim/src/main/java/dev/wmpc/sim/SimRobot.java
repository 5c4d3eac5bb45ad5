package dev.wmpc.sim;

import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.EnvironmentState;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Robot;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.kinematics.Pose;
import dev.wmpc.sim.render.Scene;
import dev.wmpc.sim.render.SceneRenderer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tabletop simulator as a {@link Robot}. Each {@link #act} takes one control period: an end-effector delta is
 * clipped (max norm, workspace box), turned into joint targets by IK (gripper pointing down), and tracked by a
 * velocity-limited joint-space controller at the physics rate while Bullet moves the cubes.
 *
 * <p>Grasping: the fingers are kinematic and stop at the faces of a cube they close on (a force-limited gripper does
 * the same). When both pads touch a cube and the command keeps closing, the cube is held: it moves rigidly with the
 * hand until the gripper opens, then it is dynamic again. This attach-on-grasp rule replaces friction-only holding.
 *
 * <p>Deterministic: the same seed and actions give the same states (every reset and restore empties Bullet's contact caches and broadphase, as in a new world).
 * Owns the renderer it is given (may be null when the config has no cameras) and closes it.
 */
public final class SimRobot implements Robot {
    static final double FINGER_SPEED = 0.2;
    private static final double CONTACT_GAP = 0.0005;

    private final SimConfig config;
    private final ArmModel arm;
    private final SceneRenderer renderer;
    private final double dt;
    private final int substeps;
    private final double[] vmax;

    private PhysicsWorld world;
    private Episode episode;
    private int step;
    private double time;
    private double[] q = ArmModel.HOME.clone();
    private double[] qTarget = ArmModel.HOME.clone();
    private final double[] fingers = {ArmModel.FINGER_TRAVEL, ArmModel.FINGER_TRAVEL};
    private double gripperCommand = 1;
    private int held = -1;
    private Pose heldOffset = Pose.IDENTITY;
    private Observation cached;
    /** Link poses for the joints {@link #posedJoints} (fingers are refreshed every physics step). */
    private Map<String, Pose> posed;
    private double[] posedJoints;

    public SimRobot(SimConfig config, SceneRenderer renderer) {
        if (!config.cameras().isEmpty() && renderer == null)
            throw new IllegalArgumentException("the simulator has " + config.cameras().size() + " camera(s) but no renderer: pass a SceneRenderer or use a config without cameras");
        this.config = config;
        this.arm = new ArmModel();
        this.renderer = renderer;
        this.substeps = config.substeps();
        this.dt = 1.0 / (config.controlHz() * substeps);
        this.vmax = arm.maxVelocities();
    }

    /** A simulator without cameras (observations carry proprio only): for physics, experts and tests. */
    public static SimRobot headless(SimConfig config) { return new SimRobot(config.withoutCameras(), null); }

    public SimConfig config() { return config; }
    public ArmModel arm() { return arm; }
    public Task task() { return config.task(); }

    @Override public List<String> jointNames() { return ArmModel.ARM_JOINTS; }
    @Override public List<CameraSpec> cameras() { return config.cameras(); }
    @Override public List<String> environmentStateNames() { return cubeNames(config.cubes()); }

    /** {@code cube_x, cube_y, cube_z} for cube 0, {@code cube1_x, ...} for the others. */
    static List<String> cubeNames(int cubes) {
        List<String> names = new ArrayList<>(3 * cubes);
        for (int i = 0; i < cubes; i++) {
            String prefix = i == 0 ? "cube_" : "cube" + i + "_";
            for (String axis : List.of("x", "y", "z")) names.add(prefix + axis);
        }
        return names;
    }

    @Override public double controlPeriod() { return 1.0 / config.controlHz(); }

    @Override public Observation reset(long seed) {
        Episode e = config.task().sample(seed, config.cubes());
        List<SimState.Body> cubes = e.cubes().stream()
                .map(p -> new SimState.Body(p.position(), p.rotation(), Vec3.ZERO, Vec3.ZERO)).toList();
        double[] open = {ArmModel.FINGER_TRAVEL, ArmModel.FINGER_TRAVEL};
        restore(new SimState(e, 0, 0, ArmModel.HOME, ArmModel.HOME, open, 1, cubes, -1, Pose.IDENTITY));
        return observe();
    }

    private void requireEpisode() {
        if (episode == null) throw new IllegalStateException("call reset(seed) before using the simulator");
    }

    @Override public Observation observe() {
        requireEpisode();
        if (cached == null) {
            Map<String, CameraFrame> frames = new LinkedHashMap<>();
            if (!config.cameras().isEmpty()) {
                Scene scene = scene();
                for (CameraSpec c : config.cameras()) frames.put(c.name(), renderer.render(scene, c, time));
            }
            cached = new Observation(frames, robotState(), time, environmentState());
        }
        return cached;
    }

    /**
     * Where the cubes are (privileged state, the dataset's {@code observation.environment_state}): cube 0 (the task's
     * cube) as {@code cube_x, cube_y, cube_z}, further cubes as {@code cube1_x, ...}, in metres in the base frame.
     */
    public EnvironmentState environmentState() {
        int n = world.cubeCount();
        float[] values = new float[3 * n];
        for (int i = 0; i < n; i++) {
            Vec3 p = world.cubePose(i).position();
            values[3 * i] = (float) p.x();
            values[3 * i + 1] = (float) p.y();
            values[3 * i + 2] = (float) p.z();
        }
        return new EnvironmentState(cubeNames(n), values);
    }

    public RobotState robotState() {
        Pose tcp = arm.tcp(q);
        return new RobotState(q, tcp.position(), tcp.rotation(), gripperOpening());
    }

    @Override public Action act(Action action) {
        requireEpisode();
        if (action == null) throw new IllegalArgumentException("action is null");
        if (!action.isFinite())
            throw new IllegalArgumentException("action " + describe(action) + " has a non-finite value (NaN or infinity); the simulator did not move");
        Action applied;
        double g = Math.max(-1, Math.min(1, action.gripper()));
        switch (action) {
            case Action.EndEffectorDelta d -> {
                Vec3 ee = eePosition();
                Vec3 delta = clipNorm(d.delta(), config.maxStep());
                Vec3 target = clampToWorkspace(ee.plus(delta));
                delta = clipNorm(target.minus(ee), config.maxStep());
                qTarget = arm.solve(ee.plus(delta), qTarget).q();
                applied = new Action.EndEffectorDelta(delta.x(), delta.y(), delta.z(), g);
            }
            case Action.JointTargets j -> {
                double[] p = j.positions();
                if (p.length != ArmModel.ARM_JOINTS.size())
                    throw new IllegalArgumentException("joint targets have " + p.length + " values but the arm has "
                            + ArmModel.ARM_JOINTS.size() + " joints " + ArmModel.ARM_JOINTS + "; the simulator did not move");
                qTarget = arm.chain().clamp(p);
                applied = new Action.JointTargets(qTarget, g);
            }
        }
        gripperCommand = g;
        for (int s = 0; s < substeps; s++) physicsStep();
        step++;
        time = step * controlPeriod();
        cached = null;
        return applied;
    }

    private Vec3 clampToWorkspace(Vec3 p) {
        Vec3 c = config.workspace().clamp(p);
        if (held >= 0) {
            // Keep the held cube above the table (the hand points down: hand z runs along world -z).
            double zMin = Task.CUBE_HALF + 0.002 + heldOffset.position().z() - arm.tcpInHand().position().z();
            if (c.z() < zMin) c = new Vec3(c.x(), c.y(), zMin);
        }
        return c;
    }

    private static Vec3 clipNorm(Vec3 v, double max) {
        double n = v.norm();
        return n > max ? v.times(max / n) : v;
    }

    private void physicsStep() {
        for (int i = 0; i < q.length; i++) {
            double lim = vmax[i] * dt;
            q[i] += Math.max(-lim, Math.min(lim, qTarget[i] - q[i]));
        }
        // Once the joints reach their targets (usually within a quarter of the control period) the arm's link poses
        // stay the same: reuse them instead of recomputing forward kinematics every physics step.
        if (posed == null || !Arrays.equals(q, posedJoints)) {
            posed = arm.linkPoses(q, fingers);
            posedJoints = q.clone();
        }
        Map<String, Pose> poses = posed;
        Pose hand = poses.get("hand");
        updateFingers(hand);
        for (int f = 0; f < 2; f++) poses.put(ArmModel.FINGER_LINKS.get(f), arm.fingerPose(hand, f, fingers[f]));
        world.setLinkPoses(poses);
        if (held >= 0) world.setCubePose(held, hand.compose(heldOffset));
        world.step();
    }

    /** Moves the fingers towards the command, stopping at cube faces; grasps and releases. */
    private void updateFingers(Pose hand) {
        double target = ArmModel.FINGER_TRAVEL * (gripperCommand + 1) / 2;
        double stepLen = FINGER_SPEED * dt;
        double[] stop = {0, 0};
        int between = -1;
        Pose handInv = hand.inverse();
        for (int i = 0; i < world.cubeCount(); i++) {
            Pose rel = i == held ? heldOffset : handInv.compose(world.cubePose(i));
            double[] s = padStops(rel);
            if (s != null && s[0] <= fingers[0] + 1e-3 && s[1] <= fingers[1] + 1e-3) {
                if (between < 0 || i == held) {
                    between = i;
                    stop = s;
                }
            }
        }
        for (int f = 0; f < 2; f++) {
            double next = fingers[f] + Math.max(-stepLen, Math.min(stepLen, target - fingers[f]));
            fingers[f] = Math.max(0, Math.min(ArmModel.FINGER_TRAVEL, Math.max(next, stop[f])));
        }
        if (held >= 0) {
            if (between != held || target > Math.min(stop[0], stop[1]) + 0.002) {
                world.setHeld(held, false);
                held = -1;
            }
        } else if (between >= 0 && target < Math.min(stop[0], stop[1])
                && fingers[0] <= stop[0] + 1e-4 && fingers[1] <= stop[1] + 1e-4) {
            held = between;
            heldOffset = handInv.compose(world.cubePose(between));
            world.setHeld(held, true);
        }
    }

    /**
     * Where the left and right pads would touch a cube at {@code rel} (hand frame), or null when the cube is not
     * between the pads (outside their width or height).
     */
    static double[] padStops(Pose rel) {
        Quat r = rel.rotation();
        Vec3 ex = r.rotate(new Vec3(1, 0, 0)), ey = r.rotate(new Vec3(0, 1, 0)), ez = r.rotate(new Vec3(0, 0, 1));
        double h = Task.CUBE_HALF;
        double extX = h * (Math.abs(ex.x()) + Math.abs(ey.x()) + Math.abs(ez.x()));
        double extY = h * (Math.abs(ex.y()) + Math.abs(ey.y()) + Math.abs(ez.y()));
        double extZ = h * (Math.abs(ex.z()) + Math.abs(ey.z()) + Math.abs(ez.z()));
        Vec3 c = rel.position();
        if (Math.abs(c.x()) > extX + ArmModel.PAD_HALF_WIDTH - 0.002) return null;
        if (c.z() - extZ > ArmModel.PAD_Z_MAX - 0.003 || c.z() + extZ < ArmModel.PAD_Z_MIN + 0.003) return null;
        return new double[] {c.y() + extY + CONTACT_GAP, -(c.y() - extY) + CONTACT_GAP};
    }

    // ---- true state, for tasks, experts and the planner's oracle ----

    public Episode episode() { requireEpisode(); return episode; }
    public int stepCount() { return step; }
    public double time() { return time; }
    public Vec3 eePosition() { return arm.tcp(q).position(); }
    public double[] joints() { return q.clone(); }
    /** 0 closed .. 1 open. */
    public double gripperOpening() { return (fingers[0] + fingers[1]) / (2 * ArmModel.FINGER_TRAVEL); }
    public int cubeCount() { return world.cubeCount(); }
    public Pose cubePose(int i) { requireEpisode(); return world.cubePose(i); }
    public boolean isHolding(int cube) { return held == cube; }
    public int heldCube() { return held; }

    /** The task's true distance to its goal (metres). */
    public double distanceToGoal() { return config.task().distance(this); }

    public boolean success() { return config.task().success(this); }

    /** True once the episode succeeded or ran out of steps. */
    public boolean done() { return success() || step >= config.task().episodeLength(); }

    public SimState snapshot() {
        requireEpisode();
        List<SimState.Body> cubes = new ArrayList<>();
        for (int i = 0; i < world.cubeCount(); i++) cubes.add(world.cube(i));
        return new SimState(episode, step, time, q, qTarget, fingers, gripperCommand, cubes, held, heldOffset);
    }

    /** Puts the simulator into {@code s} (contact caches emptied); the same actions then give the same states. */
    public void restore(SimState s) {
        if (s.episode() == null) throw new IllegalArgumentException("state has no episode: take states from snapshot()");
        if (s.cubes().size() != config.cubes())
            throw new IllegalArgumentException("state has " + s.cubes().size() + " cubes but this simulator has " + config.cubes());
        if (s.joints().length != ArmModel.ARM_JOINTS.size() || s.fingers().length != 2)
            throw new IllegalArgumentException("state has " + s.joints().length + " joints and " + s.fingers().length + " fingers; expected 7 and 2");
        if (world == null) world = new PhysicsWorld(arm.urdf(), config.cubes(), dt);
        else world.reload();
        episode = s.episode();
        step = s.step();
        time = s.time();
        q = s.joints();
        qTarget = s.jointTargets();
        double[] f = s.fingers();
        fingers[0] = f[0];
        fingers[1] = f[1];
        gripperCommand = s.gripperCommand();
        held = s.heldCube();
        heldOffset = s.heldOffset();
        posed = null;
        for (int i = 0; i < s.cubes().size(); i++) world.setCube(i, s.cubes().get(i));
        if (held >= 0) world.setHeld(held, true);
        world.setLinkPoses(arm.linkPoses(q, fingers));
        cached = null;
    }

    // ---- scenes ----

    /** The scene as it is now. */
    public Scene scene() {
        requireEpisode();
        List<Pose> cubes = new ArrayList<>();
        for (int i = 0; i < world.cubeCount(); i++) cubes.add(world.cubePose(i));
        return SceneBuilder.build(arm.urdf(), arm.linkPoses(q, fingers), cubes, config.task(), episode.goal(), config.showGoalMarker());
    }

    /**
     * The scene in the episode's goal state: reach: the end effector at the goal; push: cube 0 on the goal with the
     * closed gripper behind it, square to the face it pushed last ({@link #pushLegs}); pick-place: cube 0 on the goal, open gripper 6 cm above it.
     */
    public Scene goalScene() {
        requireEpisode();
        Episode e = episode;
        List<Pose> cubes = new ArrayList<>(e.cubes());
        Vec3 ee;
        double finger = ArmModel.FINGER_TRAVEL;
        switch (config.task()) {
            case Task.Reach r -> ee = e.goal();
            case Task.Push p -> {
                List<Vec3[]> legs = pushLegs(e.cubes().get(0).position(), e.goal());
                ee = pusher(e.goal(), legs.get(legs.size() - 1), PUSH_Z);
                cubes.set(0, new Pose(e.goal(), e.cubes().get(0).rotation()));
                finger = 0;
            }
            case Task.PickPlace p -> {
                ee = e.goal().plus(new Vec3(0, 0, 0.06));
                cubes.set(0, new Pose(e.goal(), Quat.IDENTITY));
            }
        }
        double[] qGoal = arm.solve(ee, ArmModel.HOME).q();
        return SceneBuilder.build(arm.urdf(), arm.linkPoses(qGoal, new double[] {finger, finger}), cubes, config.task(), e.goal(), config.showGoalMarker());
    }

    /**
     * A goal observation and the control steps a planner pursues it for (the last one: the rest of the episode): the
     * image, and the gripper its robot state has (0 closed .. 1 open: closed on a cube counts as closed, the command
     * that holds it). The gripper is the one part of the state a 64×64 image barely shows (a pixel or two of finger).
     */
    public record SubGoal(CameraFrame frame, int steps, double gripper) {}

    /** Push sub-goal step budgets: reach the first approach (above the cube), lift between pushes, move above, lower. */
    public static final int PUSH_APPROACH_STEPS = 14, PUSH_LIFT_STEPS = 2, PUSH_ABOVE_STEPS = 4, PUSH_LOWER_STEPS = 4;
    /** Pushes shorter than this (metres) along an axis are skipped: the 3 cm success radius absorbs them. */
    static final double PUSH_MIN_LEG = 0.02;
    /** Push waypoints: one image per this much of a leg (metres), each with a step per this much plus one. */
    static final double PUSH_WAYPOINT_SPACING = 0.025, PUSH_METRES_PER_STEP = 0.02;
    /** Heights of the pusher (tool centre point): travelling over the cube and pushing. */
    static final double PUSH_TRAVEL_Z = 0.10, PUSH_Z = 0.02;
    /** How far behind the cube's centre the pusher sits. */
    static final double PUSH_BEHIND = Task.CUBE_HALF + 0.02;

    /**
     * Push's legs: the cube's way to the goal split into a push along x and one along y, the longer first, each normal
     * to a face of the (axis-aligned) cube. Pushed square on a face a cube slides straight; pushed on a slant it slides
     * along the face's normal instead and leaves the line, which open-loop sub-goal images cannot follow. Legs shorter
     * than {@link #PUSH_MIN_LEG} are dropped. Each leg is the cube's start and end point.
     */
    static List<Vec3[]> pushLegs(Vec3 cube, Vec3 goal) {
        double dx = goal.x() - cube.x(), dy = goal.y() - cube.y();
        boolean xFirst = Math.abs(dx) >= Math.abs(dy);
        List<Vec3[]> legs = new ArrayList<>();
        Vec3 at = new Vec3(cube.x(), cube.y(), cube.z());
        for (int i = 0; i < 2; i++) {
            boolean alongX = (i == 0) == xFirst;
            double len = alongX ? dx : dy;
            if (Math.abs(len) < PUSH_MIN_LEG) continue;
            Vec3 next = alongX ? new Vec3(at.x() + len, at.y(), at.z()) : new Vec3(at.x(), at.y() + len, at.z());
            legs.add(new Vec3[] {at, next});
            at = next;
        }
        if (legs.isEmpty()) legs.add(new Vec3[] {cube, goal}); // within 2 cm on both axes: one short push
        return legs;
    }

    /** Where the pusher's tool centre point sits to push a cube at {@code cube} along {@code leg} (height {@code z}). */
    private static Vec3 pusher(Vec3 cube, Vec3[] leg, double z) {
        Vec3 u = new Vec3(leg[1].x() - leg[0].x(), leg[1].y() - leg[0].y(), 0).normalized();
        return new Vec3(cube.x() - u.x() * PUSH_BEHIND, cube.y() - u.y() * PUSH_BEHIND, z);
    }

    /**
     * The goal as a sequence of images from the first camera, as V-JEPA 2-AC gives pick-and-place. Reach: the goal
     * alone. Push: for each leg of {@link #pushLegs} (one or two face-on pushes): the closed gripper above the point
     * behind the cube (lifted first between legs), lowered there, then the cube pushed along the leg every
     * {@link #PUSH_WAYPOINT_SPACING} with the gripper behind it; the last image is the goal image. Pick-place: the open
     * gripper above the cube, lowered around it, closed on it, lifted with it, carried over the goal, lowered there,
     * opened, then the goal image.
     */
    public List<SubGoal> subGoals() {
        requireEpisode();
        if (config.cameras().isEmpty()) return List.of();
        CameraSpec camera = config.cameras().get(0);
        List<SubGoal> out = new ArrayList<>();
        if (config.task() instanceof Task.Push) {
            Episode e = episode;
            List<Vec3[]> legs = pushLegs(e.cubes().get(0).position(), e.goal());
            for (int l = 0; l < legs.size(); l++) {
                Vec3[] leg = legs.get(l);
                if (l > 0) {
                    Vec3 end = pusher(leg[0], legs.get(l - 1), PUSH_TRAVEL_Z);
                    out.add(new SubGoal(renderPush(camera, end, leg[0]), PUSH_LIFT_STEPS, 0));
                }
                out.add(new SubGoal(renderPush(camera, pusher(leg[0], leg, PUSH_TRAVEL_Z), leg[0]), l == 0 ? PUSH_APPROACH_STEPS : PUSH_ABOVE_STEPS, 0));
                out.add(new SubGoal(renderPush(camera, pusher(leg[0], leg, PUSH_Z), leg[0]), PUSH_LOWER_STEPS, 0));
                double len = leg[0].distance(leg[1]);
                int n = Math.max(1, (int) Math.ceil(len / PUSH_WAYPOINT_SPACING));
                for (int k = 1; k <= n; k++) {
                    if (l == legs.size() - 1 && k == n) break; // the goal image
                    Vec3 at = leg[0].plus(leg[1].minus(leg[0]).times((double) k / n));
                    out.add(new SubGoal(renderPush(camera, pusher(at, leg, PUSH_Z), at), pushSteps(len / n), 0));
                }
            }
        }
        if (config.task() instanceof Task.PickPlace) {
            Vec3 c = episode.cubes().get(0).position(), g = episode.goal();
            double carry = Math.max(g.z() + 0.07, 0.12), open = ArmModel.FINGER_TRAVEL, shut = Task.CUBE_HALF + CONTACT_GAP;
            Vec3 grasp = new Vec3(c.x(), c.y(), c.z() + PICK_GRASP_DZ), place = new Vec3(g.x(), g.y(), g.z() + PICK_GRASP_DZ);
            Vec3 lifted = new Vec3(c.x(), c.y(), carry), over = new Vec3(g.x(), g.y(), carry);
            Vec3 below = new Vec3(0, 0, -PICK_GRASP_DZ); // the held cube's centre from the tool centre point
            out.add(new SubGoal(renderHand(camera, new Vec3(c.x(), c.y(), c.z() + 0.08), open, c), PICK_APPROACH_STEPS, 1));
            out.add(new SubGoal(renderHand(camera, grasp, open, c), PICK_DESCEND_STEPS, 1));
            out.add(new SubGoal(renderHand(camera, grasp, shut, c), PICK_GRIPPER_STEPS, 0));
            out.add(new SubGoal(renderHand(camera, lifted, shut, lifted.plus(below)), PICK_LIFT_STEPS, 0));
            out.add(new SubGoal(renderHand(camera, over, shut, over.plus(below)), 2 + (int) Math.ceil(lifted.distance(over) / PICK_CARRY_METRES_PER_STEP), 0));
            out.add(new SubGoal(renderHand(camera, place, shut, g), PICK_DESCEND_STEPS, 0));
            out.add(new SubGoal(renderHand(camera, place, open, g), PICK_GRIPPER_STEPS, 1));
        }
        out.add(new SubGoal(renderer.render(goalScene(), camera, time), Integer.MAX_VALUE, config.task() instanceof Task.Push ? 0 : 1));
        return out;
    }

    /**
     * The goal as at most three images a person could stage and photograph, with no step budgets and no gripper
     * states: reach: the goal image; push: the closed gripper lowered behind the cube (square to its first push), then
     * the goal image; pick-place: the open hand around the cube, the cube lifted in the closed hand, then the goal
     * image. The controller decides itself when to move on to the next.
     */
    public List<CameraFrame> keyframeGoals() {
        requireEpisode();
        if (config.cameras().isEmpty()) return List.of();
        CameraSpec camera = config.cameras().get(0);
        List<CameraFrame> out = new ArrayList<>();
        Vec3 c = episode.cubes().get(0).position();
        if (config.task() instanceof Task.Push) {
            List<Vec3[]> legs = pushLegs(c, episode.goal());
            out.add(renderPush(camera, pusher(c, legs.get(0), PUSH_Z), c));
        }
        if (config.task() instanceof Task.PickPlace) {
            double carry = Math.max(episode.goal().z() + 0.07, 0.12), shut = Task.CUBE_HALF + CONTACT_GAP;
            Vec3 grasp = new Vec3(c.x(), c.y(), c.z() + PICK_GRASP_DZ), lifted = new Vec3(c.x(), c.y(), carry);
            out.add(renderHand(camera, grasp, ArmModel.FINGER_TRAVEL, c));
            out.add(renderHand(camera, lifted, shut, lifted.plus(new Vec3(0, 0, -PICK_GRASP_DZ))));
        }
        out.add(renderer.render(goalScene(), camera, time));
        return out;
    }

    /** Pick-place sub-goal step budgets. */
    public static final int PICK_APPROACH_STEPS = 12, PICK_DESCEND_STEPS = 5, PICK_GRIPPER_STEPS = 3, PICK_LIFT_STEPS = 4;
    /** Pick-place: carrying speed assumed by the carry sub-goal's budget (metres per step). */
    static final double PICK_CARRY_METRES_PER_STEP = 0.04;
    /** Pick-place: the tool centre point's height above the cube's centre when grasping (metres). */
    static final double PICK_GRASP_DZ = 0.005;

    /** The scene with the tool centre point at {@code tcp}, fingers at {@code fingers} each and cube 0 at {@code cube}, rendered. */
    private CameraFrame renderHand(CameraSpec camera, Vec3 tcp, double fingers, Vec3 cube) {
        double[] qs = arm.solve(tcp, ArmModel.HOME).q();
        List<Pose> cubes = new ArrayList<>(episode.cubes());
        cubes.set(0, new Pose(cube, episode.cubes().get(0).rotation()));
        Scene sc = SceneBuilder.build(arm.urdf(), arm.linkPoses(qs, new double[] {fingers, fingers}), cubes, config.task(), episode.goal(), config.showGoalMarker());
        return renderer.render(sc, camera, time);
    }

    private static int pushSteps(double metres) { return 1 + (int) Math.ceil(metres / PUSH_METRES_PER_STEP); }

    /** The scene with the closed gripper's tool centre point at {@code tcp} and cube 0 at {@code cube}, rendered. */
    private CameraFrame renderPush(CameraSpec camera, Vec3 tcp, Vec3 cube) {
        return renderHand(camera, tcp, 0, cube);
    }

    /** The goal image from every camera (empty without cameras). */
    public List<CameraFrame> goalFrames() {
        if (config.cameras().isEmpty()) return List.of();
        return renderer.render(goalScene(), config.cameras(), time);
    }

    @Override public void close() {
        if (world != null) world.close();
        world = null;
        if (renderer != null) renderer.close();
    }

    private static String describe(Action a) {
        return switch (a) {
            case Action.EndEffectorDelta d -> d.toString();
            case Action.JointTargets j -> "JointTargets" + Arrays.toString(j.positions()) + " gripper " + j.gripper();
        };
    }
}
