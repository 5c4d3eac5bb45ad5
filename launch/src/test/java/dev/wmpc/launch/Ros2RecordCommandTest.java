package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.core.Vec3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ros2RecordCommandTest {

    @Test
    void recordsAnArmsTopicsIntoADataset(@TempDir Path dir) throws Exception {
        int domain = 150 + (int) (ProcessHandle.current().pid() % 60);
        Path out = dir.resolve("ds");
        AtomicBoolean run = new AtomicBoolean(true);
        try (IhmcTransport arm = new IhmcTransport("test_arm", DdsSettings.localhost(domain))) {
            var img = arm.publisher(TopicNames.DEFAULT.camera(), Image.TYPE, Qos.SENSOR_DATA);
            var js = arm.publisher(TopicNames.DEFAULT.jointStates(), JointState.TYPE, Qos.SENSOR_DATA);
            var twist = arm.publisher(TopicNames.DEFAULT.twist(), TwistStamped.TYPE, Qos.COMMANDS);
            Thread t = Ros2ControllerCommandTest.publishing(run, k -> {
                byte[] px = new byte[64 * 48 * 3];
                px[(k * 3) % px.length] = (byte) 200;
                img.publish(new Image(Header.at(k * 0.02, "camera"), 48, 64, "rgb8", false, 192, px));
                js.publish(new JointState(Header.at(k * 0.02, ""), List.of("j1", "j2", "gripper"), new double[] {0.1 * k, -0.1, 0.5},
                        new double[0], new double[0]));
                twist.publish(new TwistStamped(Header.at(0, "base_link"), new Vec3(0.05, 0, 0), Vec3.ZERO));
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

    @Test
    void strayArgumentsAreUsageErrors() {
        assertThat(Wmpc.execute("ros2", "record", "--out", "x", "stray")).isEqualTo(2);
        assertThat(Wmpc.execute("ros2", "record", "--out", "x", "--ros-args", "--bogus")).isEqualTo(2);
    }
}
