package dev.wmpc.bridge.node;

import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Robot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves any {@link Robot} (the simulator, a test arm) over ROS 2: publishes camera frames and joint states at their
 * rates, applies MoveIt Servo twists or ros2_control joint trajectories (plus gripper commands) once per control
 * period, holds when commands stop arriving, and publishes goal images latched. All robot calls happen on the
 * thread that calls {@link #run} (renderers are often bound to one thread).
 */
public final class RobotNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RobotNode.class);

    private final Robot robot;
    private final RobotNodeConfig config;
    private final RateLimitedWarning warnings = new RateLimitedWarning(log, 2.0);
    private final CommandInputs commands;
    private final Ros2Transport.Publisher<Image> cameraOut;
    private final Ros2Transport.Publisher<JointState> jointsOut;
    private final Ros2Transport.Publisher<Image> goalOut, goalSetOut;
    private final List<String> jointNames;
    private long steps, framesOut, statesOut;

    public RobotNode(Robot robot, Ros2Transport transport, RobotNodeConfig config) {
        this.robot = robot;
        this.config = config;
        this.jointNames = robot.jointNames();
        var t = config.topics();
        commands = new CommandInputs(transport, t, jointNames, config.gripper(), java.util.Optional.empty(), warnings);
        cameraOut = transport.publisher(t.camera(), Image.TYPE, Qos.SENSOR_DATA);
        jointsOut = transport.publisher(t.jointStates(), JointState.TYPE, Qos.SENSOR_DATA);
        goalOut = transport.publisher(t.goalImage(), Image.TYPE, Qos.LATCHED);
        goalSetOut = transport.publisher(t.goalImages(), Image.TYPE, GoalImages.SET_QOS);
    }

    /** Publishes one goal image (latched: late subscribers get it too); {@link #publishGoals} with one image. */
    public void publishGoal(CameraFrame goal) { publishGoals(List.of(goal)); }

    /**
     * Publishes an ordered set of goal images (1 to {@link GoalImages#MAX_IMAGES}, latched) on the goal set topic as
     * {@link GoalImages} describes, then the last one, the final goal, on the single goal image topic with the same stamp.
     */
    public void publishGoals(List<CameraFrame> goals) {
        double stamp = rosTime();
        for (Image m : GoalImages.messages(goals, stamp)) goalSetOut.publish(m);
        goalOut.publish(Image.of(goals.get(goals.size() - 1), Header.at(stamp, config.cameraFrame())));
    }

    /** Serves until {@code keepGoing} is false: acts every control period, publishes observations at their rates. */
    public void run(BooleanSupplier keepGoing) { run(keepGoing, () -> {}); }

    /** As {@link #run(BooleanSupplier)}, calling {@code afterStep} on this thread after every control period (episode logic). */
    public void run(BooleanSupplier keepGoing, Runnable afterStep) {
        double dt = robot.controlPeriod();
        long actEvery = (long) (dt * 1e9), camEvery = (long) (1e9 / config.cameraRateHz()), jsEvery = (long) (1e9 / config.jointStateRateHz());
        long tick = Math.min(actEvery, Math.min(camEvery, jsEvery));
        long start = System.nanoTime(), nextAct = start, nextCam = start, nextJs = start;
        for (long k = 0; keepGoing.getAsBoolean() && !Thread.currentThread().isInterrupted(); k++) {
            long now = System.nanoTime();
            if (now >= nextAct) {
                step(dt);
                afterStep.run();
                nextAct = Math.max(nextAct + actEvery, now - actEvery);
            }
            boolean cam = now >= nextCam, js = now >= nextJs;
            if (cam || js) {
                Observation obs = robot.observe();
                if (js) { publishState(obs); nextJs = Math.max(nextJs + jsEvery, now - jsEvery); }
                if (cam) { publishFrame(obs); nextCam = Math.max(nextCam + camEvery, now - camEvery); }
            }
            long next = Math.min(nextAct, Math.min(nextCam, nextJs));
            long sleep = Math.min(next - System.nanoTime(), tick);
            if (sleep > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * One control period: the fresh command, or hold when none arrived within the command timeout. Until the first
     * command arrives the robot is not stepped at all, so an episode's step budget starts when a controller does
     * (a controller that takes seconds to start does not lose the episode).
     */
    void step(double dt) {
        if (!commands.anyReceived()) return;
        Action a = commands.current(dt, config.commandTimeout())
                .orElseGet(() -> new Action.EndEffectorDelta(0, 0, 0, commands.gripperCommand()));
        try {
            robot.act(a);
        } catch (IllegalArgumentException e) {
            warnings.warn("act", "robot refused command: " + e.getMessage());
        }
        steps++;
    }

    private void publishState(Observation obs) {
        List<String> names = new ArrayList<>(jointNames);
        double[] q = obs.state().jointPositions();
        double[] pos = new double[q.length + 1];
        System.arraycopy(q, 0, pos, 0, q.length);
        names.add(config.gripperJoint());
        pos[q.length] = obs.state().gripper();
        jointsOut.publish(new JointState(Header.at(rosTime(), ""), names, pos, new double[0], new double[0]));
        statesOut++;
    }

    private void publishFrame(Observation obs) {
        CameraFrame f = obs.primaryFrame();
        cameraOut.publish(Image.of(f, Header.at(rosTime(), config.cameraFrame())));
        framesOut++;
    }

    /**
     * Header stamps are ROS time (the wall clock, seconds since the epoch), as from any ROS 2 driver: the robot's own
     * time (sim time) restarts at 0 each episode and would confuse tools that order or sync messages by stamp.
     */
    static double rosTime() { return System.currentTimeMillis() / 1000.0; }

    public long steps() { return steps; }

    public long framesPublished() { return framesOut; }

    public long jointStatesPublished() { return statesOut; }

    /** Leaves the topics; the robot and the transport belong to the caller. */
    @Override public void close() {
        commands.close();
        cameraOut.close();
        jointsOut.close();
        goalOut.close();
        goalSetOut.close();
    }
}
