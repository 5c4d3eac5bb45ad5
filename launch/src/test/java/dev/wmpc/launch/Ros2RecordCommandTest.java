package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import dev.wmpc.dataset.DatasetValidator;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.sim.ArmModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class Ros2RecordCommandTest {

    /** An arm's topics over real DDS on loopback: camera, joint states, and the twist commands sent to it. */
    static final class FakeArm implements AutoCloseable {
        final IhmcTransport transport;
        final Ros2Transport.Publisher<Image> img;
        final Ros2Transport.Publisher<JointState> js;
        final Ros2Transport.Publisher<TwistStamped> twist;

        FakeArm(String node, int domain) {
            transport = new IhmcTransport(node, DdsSettings.localhost(domain));
            img = transport.publisher(TopicNames.DEFAULT.camera(), Image.TYPE, Qos.SENSOR_DATA);
            js = transport.publisher(TopicNames.DEFAULT.jointStates(), JointState.TYPE, Qos.SENSOR_DATA);
            twist = transport.publisher(TopicNames.DEFAULT.twist(), TwistStamped.TYPE, Qos.COMMANDS);
        }

        @Override public void close() { transport.close(); }
    }

    @Test
    void recordsAnArmsTopicsIntoADataset(@TempDir Path dir) throws Exception {
        int domain = TestDomains.next();
        Path out = dir.resolve("ds");
        AtomicBoolean run = new AtomicBoolean(true);
        try (FakeArm arm = new FakeArm("test_arm", domain)) {
            Thread t = Ros2ControllerCommandTest.publishing(run, k -> {
                byte[] px = new byte[64 * 48 * 3];
                px[(k * 3) % px.length] = (byte) 200;
                arm.img.publish(new Image(Header.at(k * 0.02, "camera"), 48, 64, "rgb8", false, 192, px));
                arm.js.publish(new JointState(Header.at(k * 0.02, ""), List.of("j1", "j2", "gripper"), new double[] {0.1 * k, -0.1, 0.5},
                        new double[0], new double[0]));
                arm.twist.publish(new TwistStamped(Header.at(0, "base_link"), new Vec3(0.05, 0, 0), Vec3.ZERO));
            });
            try {
                int code = Wmpc.execute("ros2", "record", "--out", out.toString(), "--episodes", "2", "--episode-length", "8",
                        "--domain-id", String.valueOf(domain), "--localhost-only", "--timeout", "10",
                        "--ros-args", "-r", "__node:=rec_test", "-p", "record_rate_hz:=20");
                assertThat(code).isZero();
            } finally {
                run.set(false);
                t.join(1000);
            }
        }
        String info = Files.readString(out.resolve("meta/info.json"));
        assertThat(info).containsPattern("\"total_episodes\"\\s*:\\s*2");
        assertThat(info).containsPattern("\"total_frames\"\\s*:\\s*16");
        assertThat(info).contains("observation.images.camera").contains("j1");
    }

    /**
     * A teleop session over real DDS with the simulator's arm (its joint names, the shipped URDF), its inputs pausing
     * twice: the recording holds one episode per stretch of input, timed by the frames' stamps, none spanning a pause;
     * {@code train world-model} learns from it and the model names the simulator's arm.
     */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void inputGapsSplitEpisodesAndTheRecordingTrainsAWorldModel(@TempDir Path dir) throws Exception {
        int domain = TestDomains.next();
        Path out = dir.resolve("ds"), urdf = dir.resolve("wmpc_arm.urdf");
        try (InputStream in = ArmModel.class.getResourceAsStream(ArmModel.URDF_RESOURCE)) {
            Files.write(urdf, in.readAllBytes());
        }
        List<String> joints = new ArrayList<>(ArmModel.ARM_JOINTS);
        joints.add("gripper");
        // two stretches of input (phase 0, then 1) with a pause between and after: phase 0 runs until the recorder
        // opened the dataset (it is receiving) and 1.5 s more; -1 is a pause
        AtomicInteger phase = new AtomicInteger(0);
        AtomicBoolean run = new AtomicBoolean(true);
        try (FakeArm arm = new FakeArm("test_teleop_arm", domain)) {
            Thread t = Ros2ControllerCommandTest.publishing(run, k -> {
                int p = phase.get();
                if (p < 0) return; // a pause: nothing arrives
                Header now = Header.at(System.currentTimeMillis() / 1e3, "camera");
                byte[] px = new byte[16 * 16 * 3];
                px[(k * 3) % px.length] = (byte) 200;
                arm.img.publish(new Image(now, 16, 16, "rgb8", false, 48, px));
                double[] q = new double[joints.size()];
                System.arraycopy(ArmModel.HOME, 0, q, 0, ArmModel.HOME.length);
                q[0] = p; // marks which stretch a row came from
                q[1] += 0.001 * (k % 50);
                q[q.length - 1] = 0.8;
                arm.js.publish(new JointState(new Header(now.stamp(), ""), joints, q, new double[0], new double[0]));
                arm.twist.publish(new TwistStamped(new Header(now.stamp(), "base_link"), new Vec3(0.02, 0, 0), Vec3.ZERO));
            });
            ExecutorService recorder = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> code = recorder.submit(() -> Wmpc.execute("ros2", "record", "--out", out.toString(), "--episodes", "2",
                        "--episode-length", "1000", "--urdf", urdf.toString(), "--gap-seconds", "0.5", "--task", "teleop",
                        "--domain-id", String.valueOf(domain), "--localhost-only", "--timeout", "30",
                        "--ros-args", "-r", "__node:=rec_gap_test", "-p", "record_rate_hz:=10"));
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!Files.exists(out) && System.nanoTime() < deadline && !code.isDone()) Thread.sleep(50);
                Thread.sleep(1500);
                phase.set(-1);
                Thread.sleep(1200);
                phase.set(1);
                Thread.sleep(1500);
                phase.set(-1); // the recorder ends the second episode at this gap and stops
                assertThat(code.get(60, TimeUnit.SECONDS)).isZero();
            } finally {
                run.set(false);
                t.join(1000);
                recorder.shutdownNow();
            }
        }
        assertThat(DatasetValidator.validate(out).problems()).isEmpty();
        JsonNode info = new ObjectMapper().readTree(out.resolve("meta/info.json").toFile());
        assertThat(info.get("total_episodes").asInt()).isEqualTo(2);
        assertThat(info.get("robot_type").asText()).isEqualTo("wmpc_arm");
        List<String> stateNames = new ArrayList<>(ArmModel.ARM_JOINTS);
        stateNames.addAll(RobotState.POSE_NAMES);
        List<String> recorded = new ArrayList<>();
        info.at("/features/observation.state/names").forEach(n -> recorded.add(n.asText()));
        assertThat(recorded).isEqualTo(stateNames);
        // per episode: the stretch each row came from, and its timestamp
        List<List<double[]>> episodes = List.of(new ArrayList<>(), new ArrayList<>());
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement();
             var rs = st.executeQuery("SELECT episode_index, \"observation.state\"[1], timestamp FROM read_parquet('"
                     + out.toAbsolutePath() + "/data/*/*.parquet') ORDER BY index")) {
            while (rs.next()) episodes.get(rs.getInt(1)).add(new double[] {rs.getDouble(2), rs.getDouble(3)});
        }
        for (int e = 0; e < 2; e++) {
            List<double[]> rows = episodes.get(e);
            assertThat(rows).as("episode %d rows", e).hasSizeGreaterThanOrEqualTo(2);
            assertThat(rows.get(0)[1]).isZero();
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i)[0]).as("episode %d row %d comes from stretch %d", e, i, e).isCloseTo(e, within(1e-6));
                // on the 10 fps grid, increasing, never a step as long as a pause
                assertThat(rows.get(i)[1] * 10).isCloseTo(Math.round(rows.get(i)[1] * 10), within(1e-3));
                if (i > 0) assertThat(rows.get(i)[1] - rows.get(i - 1)[1]).isGreaterThan(0.05).isLessThanOrEqualTo(0.5);
            }
            // the stretch lasted about 1.5 s
            assertThat(rows.getLast()[1]).as("episode %d duration", e).isBetween(0.7, 1.8);
        }

        Path model = dir.resolve("model");
        CliRun.Result r = CliRun.run("train", "world-model", "--data", out.toString(), "--out", model.toString(),
                "--steps", "2", "--batch", "2", "--clip-frames", "2", "--rollout-steps", "1", "--channels", "8,16",
                "--latent-dim", "8", "--predictor-width", "32", "--predictor-depth", "1", "--sigreg-directions", "16",
                "--watch-every", "0", "--seed", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode manifest = new ObjectMapper().readTree(model.resolve("manifest.json").toFile());
        assertThat(ModelArm.of(manifest)).contains(ModelArm.simulator());
        assertThat(ModelArm.stateNames(manifest)).contains(stateNames);
        try (LearnedWorldModel wm = LearnedWorldModel.load(model, Device.cpu())) {
            assertThat(wm).isNotNull();
        }
    }

    @Test
    void strayArgumentsAreUsageErrors() {
        assertThat(Wmpc.execute("ros2", "record", "--out", "x", "stray")).isEqualTo(2);
        assertThat(Wmpc.execute("ros2", "record", "--out", "x", "--ros-args", "--bogus")).isEqualTo(2);
    }
}
