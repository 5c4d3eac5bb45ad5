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
     * The scene in the episode's goal state, as the expert leaves it: reach: the end effector at the goal; push: cube 0
     * on the goal with the closed gripper behind it; pick-place: cube 0 on the goal, open gripper 6 cm above it.
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
                Vec3 start = e.cubes().get(0).position();
                Vec3 u = e.goal().minus(start).normalized();
                ee = new Vec3(e.goal().x(), e.goal().y(), 0).minus(u.times(Task.CUBE_HALF + 0.015)).plus(new Vec3(0, 0, 0.02));
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

    /** A goal image and the control steps a planner pursues it for (the last one: the rest of the episode). */
    public record SubGoal(CameraFrame frame, int steps) {}

    /** Steps to reach push's first sub-goal (above and behind the cube) and then to lower the gripper behind it. */
    public static final int PUSH_APPROACH_STEPS = 14, PUSH_LOWER_STEPS = 8, PUSH_WAYPOINT_STEPS = 6;
    /** Fractions of the cube's way to the goal at which push has a sub-goal image. */
    static final double[] PUSH_WAYPOINTS = {1 / 3.0, 2 / 3.0};

    /**
     * The goal as a sequence of images from the first camera, as V-JEPA 2-AC gives pick-and-place: reach: the goal
     * alone; push: the closed gripper 10 cm up behind the cube (on the side away from the goal), then lowered there,
     * then the cube pushed a third and two thirds of its way with the gripper behind it, then the goal image.
     * Pick-place: the goal alone (no sub-goals yet).
     */
    public List<SubGoal> subGoals() {
        requireEpisode();
        if (config.cameras().isEmpty()) return List.of();
        CameraSpec camera = config.cameras().get(0);
        List<SubGoal> out = new ArrayList<>();
        if (config.task() instanceof Task.Push) {
            Episode e = episode;
            Vec3 c = e.cubes().get(0).position();
            Vec3 d = new Vec3(e.goal().x() - c.x(), e.goal().y() - c.y(), 0);
            Vec3 u = d.normalized();
            Vec3 behind = new Vec3(c.x(), c.y(), 0).minus(u.times(Task.CUBE_HALF + 0.02));
            for (double z : new double[] {0.10, 0.02}) {
                double[] qs = arm.solve(new Vec3(behind.x(), behind.y(), z), ArmModel.HOME).q();
                Scene sc = SceneBuilder.build(arm.urdf(), arm.linkPoses(qs, new double[] {0, 0}), e.cubes(), config.task(), e.goal(), config.showGoalMarker());
                out.add(new SubGoal(renderer.render(sc, camera, time), z > 0.05 ? PUSH_APPROACH_STEPS : PUSH_LOWER_STEPS));
            }
            // along the way: the cube pushed part of its way along the line, the gripper still behind it
            for (double f : PUSH_WAYPOINTS) {
                Vec3 at = c.plus(d.times(f));
                Vec3 pusher = new Vec3(at.x(), at.y(), 0).minus(u.times(Task.CUBE_HALF + 0.02));
                double[] qw = arm.solve(new Vec3(pusher.x(), pusher.y(), 0.02), ArmModel.HOME).q();
                List<Pose> cubes = new ArrayList<>(e.cubes());
                cubes.set(0, new Pose(at, e.cubes().get(0).rotation()));
                Scene sw = SceneBuilder.build(arm.urdf(), arm.linkPoses(qw, new double[] {0, 0}), cubes, config.task(), e.goal(), config.showGoalMarker());
                out.add(new SubGoal(renderer.render(sw, camera, time), PUSH_WAYPOINT_STEPS));
            }
        }
        out.add(new SubGoal(renderer.render(goalScene(), camera, time), Integer.MAX_VALUE));
        return out;
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
