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
import java.util.List;
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

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long to wait for the first camera frame and joint state (default: ${DEFAULT-VALUE}).")
    double timeout;

    @CommandLine.Unmatched List<String> unmatched = new ArrayList<>();

    public record Report(String out, int episodes, long frames, @JsonProperty("skipped_periods") long skipped,
                         @JsonProperty("skipped_joint_commands") long skippedJointCommands) {}

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
        GripperMapping gripper;
        try {
            gripper = new GripperMapping(params.number("gripper_closed", -1), params.number("gripper_open", 1));
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage() + " (set -p gripper_closed:=X -p gripper_open:=Y)");
        }
        Optional<List<String>> jointNames = params.strings("joint_names");
        Optional<ArmKinematics> kinematics = Optional.empty();
        java.nio.file.Path urdfFile = urdf != null ? urdf : params.string("urdf").map(java.nio.file.Path::of).orElse(null);
        if (urdfFile != null) {
            UrdfArmKinematics k = UrdfArmKinematics.load(urdfFile, params.string("tip_link", "tcp"), jointNames.orElse(List.of()), 0);
            kinematics = Optional.of(k);
            if (jointNames.isEmpty()) jointNames = Optional.of(k.jointNames());
        }
        // Ctrl-C: stop recording, and let the episode in progress be saved before the JVM exits
        try (CtrlC ctrlC = new CtrlC("wmpc-record-stop", 10);
             IhmcTransport transport = new IhmcTransport(names.node(), dds.settings())) {
            RecordNode[] node = new RecordNode[1];
            try (DatasetSink sink = new DatasetSink(out, (int) Math.round(rate), task, seed, episodes, episodeLength, resume,
                    () -> node[0].jointNames().orElseThrow())) {
                node[0] = new RecordNode(transport, topics, rate, jointNames, params.string("camera_name", "camera"),
                        params.string("gripper_joint", "gripper"),
                        gripper,
                        joy ? Optional.of(CommandInputs.JoyMapping.DEFAULT) : Optional.empty(), kinematics, sink);
                try (RecordNode n = node[0]) {
                    if (!n.awaitInputs(timeout))
                        throw new WmpcException("no camera frame on " + topics.camera() + " or joint state on " + topics.jointStates()
                                + " after " + timeout + " s: check the arm's drivers, ROS_DOMAIN_ID and the remaps (-r from:=to)");
                    n.run(() -> !ctrlC.stopRequested() && !sink.done(), 0);
                    sink.finishEpisode();
                    System.out.printf("recorded %d episode(s), %d frames into %s (%d stale periods skipped)%n",
                            sink.episodesSaved(), sink.frames(), out, n.skipped());
                    common.report(new Report(out.toString(), sink.episodesSaved(), sink.frames(), n.skipped(), sink.skippedJointCommands()));
                }
            }
        }
        return 0;
    }

    /**
     * Records into a LeRobotDataset v3: opens the dataset at the first sample (camera size and joint names are known
     * then), cuts episodes every {@code length} samples. The dataset stores end-effector deltas, so samples commanded
     * as joint trajectories are skipped (counted) unless the URDF lets the record node convert them.
     */
    static final class DatasetSink implements RecordingSink {
        private final Path root;
        private final int fps;
        private final String task;
        private final long seed;
        private final int episodes, length;
        private final boolean resume;
        private final Supplier<List<String>> jointNames;
        private DatasetWriter writer;
        private EpisodeRecorder current;
        private int saved;
        private long frames, skippedJoint;

        DatasetSink(Path root, int fps, String task, long seed, int episodes, int length, boolean resume, Supplier<List<String>> jointNames) {
            this.root = root;
            this.fps = Math.max(1, fps);
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
            if (writer == null) writer = DatasetWriter.open(root, spec(obs), DatasetWriter.Options.defaults().withResume(resume));
            if (current == null) current = new EpisodeRecorder(writer.spec(), task, seed + saved);
            current.add(obs, action, false, false);
            frames++;
            if (current.length() >= length) finishEpisode();
        }

        private DatasetSpec spec(Observation obs) {
            List<DatasetSpec.Camera> cams = new ArrayList<>();
            for (CameraFrame f : obs.frames().values()) cams.add(new DatasetSpec.Camera(f.camera(), f.width(), f.height()));
            List<String> state = new ArrayList<>(jointNames.get());
            state.addAll(RobotState.POSE_NAMES);
            return new DatasetSpec(fps, "ros2", cams, state, Action.DELTA_NAMES);
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
