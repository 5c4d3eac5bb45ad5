package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.bridge.node.ArmKinematics;
import dev.wmpc.bridge.node.CommandInputs;
import dev.wmpc.bridge.node.GripperMapping;
import dev.wmpc.bridge.node.RecordNode;
import dev.wmpc.bridge.node.RecordingSink;
import dev.wmpc.bridge.node.UrdfArmKinematics;
import dev.wmpc.bridge.ros.NodeParams;
import dev.wmpc.bridge.ros.RosArgs;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.DatasetWriter;
import dev.wmpc.dataset.EpisodeRecorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc ros2 record}: records an arm's ROS 2 topics (camera, joint states, twist / joint-trajectory / gripper
 * commands, optionally Joy teleoperation) into a LeRobotDataset v3 through the dataset module's crash-safe writer.
 */
@Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Record an arm's ROS 2 topics (camera, joint states, commands, Joy) into a LeRobotDataset v3.")
public final class Ros2RecordCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Ros2RecordCommand.class);

    @Mixin CommonOptions common;
    @Mixin Ros2Command.DdsOptions dds;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset folder (created, or extended with --resume).")
    Path out;

    @Option(names = "--episodes", defaultValue = "1", paramLabel = "N", description = "Episodes to record (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--episode-length", defaultValue = "200", paramLabel = "STEPS",
            description = "Samples per episode at record_rate_hz (default: ${DEFAULT-VALUE}).")
    int episodeLength;

    @Option(names = "--task", defaultValue = "teleoperation", paramLabel = "TEXT", description = "Task description stored with each episode.")
    String task;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Episode i is stored with seed S + i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Append to an existing dataset with the same features.")
    boolean resume;

    @Option(names = "--joy", description = "Also take sensor_msgs/Joy on /joy as teleoperation commands.")
    boolean joy;

    @Option(names = "--urdf", paramLabel = "FILE",
            description = "The arm's URDF (or parameter urdf): records the end-effector pose in observation.state, and joint-trajectory commands as end-effector deltas.")
    java.nio.file.Path urdf;

    @Option(names = "--gap-seconds", paramLabel = "SECONDS",
            description = "No camera frame or joint state for longer than this ends the episode; the next input starts a new one "
                    + "(default: " + RecordNode.DEFAULT_GAP_PERIODS + " record periods, 0.5 s at 10 Hz; at least 2 periods).")
    Double gapSeconds;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long to wait for the first camera frame and joint state (default: ${DEFAULT-VALUE}).")
    double timeout;

    @CommandLine.Unmatched List<String> unmatched = new ArrayList<>();

    public record Report(String out, int episodes, long frames, @JsonProperty("skipped_periods") long skipped,
                         @JsonProperty("skipped_joint_commands") long skippedJointCommands, @JsonProperty("input_gaps") long gaps) {}

    @Override public Integer call() throws Exception {
        common.applyLogging();
        if (episodes < 1) throw WmpcException.usage("--episodes " + episodes + " must be at least 1");
        if (episodeLength < 2) throw WmpcException.usage("--episode-length " + episodeLength + " must be at least 2");
        RosArgs ros = Ros2Command.rosArgs(unmatched);
        RosArgs.Names names = ros.names("wmpc_record");
        NodeParams params = NodeParams.of(ros, names);
        TopicNames topics = TopicNames.resolve(names);
        double rate = params.number("record_rate_hz", 10);
        if (!(rate > 0 && rate <= 1000)) throw WmpcException.usage("record_rate_hz " + rate + " is out of range: use (0, 1000]");
        double gap = gapSeconds != null ? gapSeconds : RecordNode.DEFAULT_GAP_PERIODS / rate;
        if (!(gap >= 2 / rate))
            throw WmpcException.usage(String.format(Locale.ROOT, "--gap-seconds %s is shorter than two record periods (%.3f s at record_rate_hz %s): "
                    + "give at least that", gapSeconds, 2 / rate, rate));
        GripperMapping gripper;
        try {
            gripper = new GripperMapping(params.number("gripper_closed", -1), params.number("gripper_open", 1));
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage() + " (set -p gripper_closed:=X -p gripper_open:=Y)");
        }
        Optional<List<String>> jointNames = params.strings("joint_names");
        Optional<ArmKinematics> kinematics = Optional.empty();
        String robotType = "ros2";
        java.nio.file.Path urdfFile = urdf != null ? urdf : params.string("urdf").map(java.nio.file.Path::of).orElse(null);
        if (urdfFile != null) {
            UrdfArmKinematics k = UrdfArmKinematics.load(urdfFile, params.string("tip_link", "tcp"), jointNames.orElse(List.of()), 0);
            kinematics = Optional.of(k);
            robotType = new ModelArm(k.robot(), k.tipLink()).datasetRobotType();
            if (jointNames.isEmpty()) jointNames = Optional.of(k.jointNames());
        }
        // Ctrl-C: stop recording, and let the episode in progress be saved before the JVM exits
        try (CtrlC ctrlC = new CtrlC("wmpc-record-stop", 10);
             IhmcTransport transport = new IhmcTransport(names.node(), dds.settings())) {
            RecordNode[] node = new RecordNode[1];
            try (DatasetSink sink = new DatasetSink(out, (int) Math.round(rate), robotType, task, seed, episodes, episodeLength, resume,
                    () -> node[0].jointNames().orElseThrow())) {
                node[0] = new RecordNode(transport, topics, rate, jointNames, params.string("camera_name", "camera"),
                        params.string("gripper_joint", "gripper"),
                        gripper,
                        joy ? Optional.of(CommandInputs.JoyMapping.DEFAULT) : Optional.empty(), kinematics, gap, sink);
                try (RecordNode n = node[0]) {
                    if (!n.awaitInputs(timeout))
                        throw new WmpcException("no camera frame on " + topics.camera() + " or joint state on " + topics.jointStates()
                                + " after " + timeout + " s: check the arm's drivers, ROS_DOMAIN_ID and the remaps (-r from:=to)");
                    sink.open(n.latestFrames());
                    n.run(() -> !ctrlC.stopRequested() && !sink.done(), 0);
                    sink.finishEpisode();
                    System.out.printf("recorded %d episode(s), %d frames into %s (%d stale periods skipped, %d input gaps)%n",
                            sink.episodesSaved(), sink.frames(), out, n.skipped(), n.gaps());
                    common.report(new Report(out.toString(), sink.episodesSaved(), sink.frames(), n.skipped(), sink.skippedJointCommands(), n.gaps()));
                }
            }
        }
        return 0;
    }

    /**
     * Records into a LeRobotDataset v3: opens the dataset at the first sample (camera size and joint names are known
     * then), cuts episodes every {@code length} samples and where the record node says an input gap ends one. A row's
     * timestamp is its frame's stamp less the episode's first, on the 1/fps grid. The dataset stores end-effector
     * deltas, so samples commanded as joint trajectories are skipped (counted) unless the URDF lets the record node
     * convert them.
     */
    static final class DatasetSink implements RecordingSink {
        private final Path root;
        private final int fps;
        private final String robotType;
        private final String task;
        private final long seed;
        private final int episodes, length;
        private final boolean resume;
        private final Supplier<List<String>> jointNames;
        private DatasetWriter writer;
        private EpisodeRecorder current;
        private double start;
        private int saved;
        private long frames, skippedJoint;

        DatasetSink(Path root, int fps, String robotType, String task, long seed, int episodes, int length, boolean resume,
                    Supplier<List<String>> jointNames) {
            this.root = root;
            this.fps = Math.max(1, fps);
            this.robotType = robotType;
            this.task = task;
            this.seed = seed;
            this.episodes = episodes;
            this.length = length;
            this.resume = resume;
            this.jointNames = jointNames;
        }

        @Override public synchronized void record(Observation obs, Action action) {
            if (done()) return;
            if (!(action instanceof Action.EndEffectorDelta)) {
                if (skippedJoint++ == 0) log.warn("joint-trajectory commands are not recorded (the dataset stores end-effector deltas): give --urdf to convert them");
                return;
            }
            open(obs.frames().values());
            if (current.length() == 0) start = obs.timestamp();
            current.add(obs, action, false, false, obs.timestamp() - start);
            frames++;
            if (current.length() >= length) finishEpisode();
        }

        /**
         * Opens the dataset (for these cameras' frames) and the next episode's recorder, if not open yet. Done before
         * the first row too: loading the writer's native libraries takes long enough to look like an input gap.
         */
        synchronized void open(Collection<CameraFrame> frames) {
            if (writer == null) writer = DatasetWriter.open(root, spec(frames), DatasetWriter.Options.defaults().withResume(resume));
            if (current == null) current = new EpisodeRecorder(writer.spec(), task, seed + saved);
        }

        private DatasetSpec spec(Collection<CameraFrame> frames) {
            List<DatasetSpec.Camera> cams = new ArrayList<>();
            for (CameraFrame f : frames) cams.add(new DatasetSpec.Camera(f.camera(), f.width(), f.height()));
            List<String> state = new ArrayList<>(jointNames.get());
            state.addAll(RobotState.POSE_NAMES);
            return new DatasetSpec(fps, robotType, cams, state, Action.DELTA_NAMES);
        }

        /** At an input gap: saves the episode, unless it is one row (no transition to learn from), which is dropped. */
        @Override public synchronized void endEpisode(boolean keep) {
            if (current == null) return;
            if (keep && current.length() >= 2) {
                finishEpisode();
                return;
            }
            if (current.length() > 0) log.info("dropped an episode of {} row(s) before an input gap", current.length());
            frames -= current.length();
            current.close();
            current = null;
        }

        /** Saves the episode in progress (if it has frames). */
        synchronized void finishEpisode() {
            if (current == null) return;
            if (current.length() > 0) {
                writer.append(current.finish(false));
                saved++;
            } else {
                current.close();
            }
            current = null;
            writer.flush();
        }

        synchronized boolean done() { return saved >= episodes; }

        synchronized int episodesSaved() { return saved; }

        synchronized long frames() { return frames; }

        synchronized long skippedJointCommands() { return skippedJoint; }

        @Override public synchronized void close() {
            if (current != null) current.close();
            if (writer != null) writer.close();
        }
    }
}
