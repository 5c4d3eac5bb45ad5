package dev.wmpc.bridge.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wmpc.bridge.cdr.MalformedMessageException;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Test
    void typeNamesFollowTheRos2DdsConvention() {
        assertThat(Image.TYPE.ddsTypeName()).isEqualTo("sensor_msgs::msg::dds_::Image_");
        assertThat(TwistStamped.TYPE.ddsTypeName()).isEqualTo("geometry_msgs::msg::dds_::TwistStamped_");
        assertThat(JointTrajectory.TYPE.ddsTypeName()).isEqualTo("trajectory_msgs::msg::dds_::JointTrajectory_");
        assertThat(Float64MultiArray.TYPE.ddsTypeName()).isEqualTo("std_msgs::msg::dds_::Float64MultiArray_");
        assertThat(NavPath.TYPE.ddsTypeName()).isEqualTo("nav_msgs::msg::dds_::Path_");
        assertThat(PoseStamped.TYPE.ddsTypeName()).isEqualTo("geometry_msgs::msg::dds_::PoseStamped_");
        assertThat(DiagnosticArray.TYPE.ddsTypeName()).isEqualTo("diagnostic_msgs::msg::dds_::DiagnosticArray_");
    }

    @Test
    void diagnosticsAndPathsEncodeAsRclcppDoes() {
        // DiagnosticArray: stamp(1,2) frame "" and one WARN status "n" with one key/value k=v
        byte[] b = DiagnosticArray.TYPE.encode(new DiagnosticArray(new Header(new Time(1, 2), ""), List.of(new DiagnosticStatus(
                DiagnosticStatus.Level.WARN, "n", "", "", List.of(new DiagnosticStatus.KeyValue("k", "v"))))));
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("00010000"
                + "01000000" + "02000000" + "01000000" + "00000000" // header: stamp, frame_id "" padded to 4
                + "01000000"                                       // one status
                + "01" + "000000"                                  // level WARN (a byte), pad to 4
                + "02000000" + "6e00" + "0000"                     // name "n"
                + "01000000" + "00000000" + "01000000" + "00000000" // message "", hardware_id ""
                + "01000000" + "02000000" + "6b00" + "0000" + "02000000" + "7600"); // values [k=v]
        // Path: a pose's doubles align to 8 from the body start, after its own header
        byte[] p = NavPath.TYPE.encode(new NavPath(new Header(new Time(1, 2), ""),
                List.of(new PoseStamped(new Header(new Time(3, 4), ""), new Vec3(0.5, 0, 0), Quat.IDENTITY))));
        assertThat(HexFormat.of().formatHex(p)).isEqualTo("00010000"
                + "01000000" + "02000000" + "01000000" + "00000000" // header
                + "01000000"                                       // one pose
                + "03000000" + "04000000" + "01000000" + "00000000" // its header: stamp, frame_id "" ends at body offset 33
                + "00000000"                                       // pad to 40
                + "000000000000e03f" + "0000000000000000" + "0000000000000000"      // position (0.5, 0, 0)
                + "0000000000000000" + "0000000000000000" + "0000000000000000" + "000000000000f03f"); // orientation (0, 0, 0, 1)
    }

    @Test
    void boolAndJointStateEncodeAsRclcppDoes() {
        // std_msgs/Bool true: CDR_LE header + one byte
        assertThat(HexFormat.of().formatHex(Bool.TYPE.encode(new Bool(true)))).isEqualTo("0001000001");
        // JointState: stamp(1,2) frame "" names ["a"] position [0.5]: doubles align to 8 from the body start
        byte[] b = JointState.TYPE.encode(new JointState(new Header(new Time(1, 2), ""), List.of("a"), new double[] {0.5}, new double[0], new double[0]));
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("00010000" // header: CDR little endian
                + "01000000" + "02000000"          // stamp
                + "01000000" + "00" + "000000"     // frame_id "" (length 1 = the NUL), pad to 4
                + "01000000" + "02000000" + "6100" + "0000" // names ["a"], pad to 4
                + "01000000" + "000000000000e03f" // position [0.5]: already 8-aligned at body offset 32
                + "00000000" + "00000000");       // velocity [], effort []
    }

    @Test
    void everyTypeRoundTrips() {
        var h = Header.at(12.5, "base_link");
        byte[] px = new byte[32 * 24 * 3];
        new Random(1).nextBytes(px);
        Image img = Image.TYPE.decode(Image.TYPE.encode(new Image(h, 24, 32, "rgb8", false, 96, px)));
        assertThat(img.data()).isEqualTo(px);
        assertThat(img.header()).isEqualTo(h);
        TwistStamped t = TwistStamped.TYPE.decode(TwistStamped.TYPE.encode(new TwistStamped(h, new Vec3(1, 2, 3), new Vec3(4, 5, 6))));
        assertThat(t.linear()).isEqualTo(new Vec3(1, 2, 3));
        assertThat(t.angular()).isEqualTo(new Vec3(4, 5, 6));
        JointTrajectory jt = JointTrajectory.TYPE.decode(JointTrajectory.TYPE.encode(new JointTrajectory(h, List.of("a", "b"),
                List.of(JointTrajectory.Point.at(new double[] {1, 2}, 0.25)))));
        assertThat(jt.jointNames()).containsExactly("a", "b");
        assertThat(jt.points().get(0).positions()).containsExactly(1, 2);
        assertThat(jt.points().get(0).timeFromStart().seconds()).isEqualTo(0.25);
        Float64MultiArray fa = Float64MultiArray.TYPE.decode(Float64MultiArray.TYPE.encode(
                new Float64MultiArray(List.of(new Float64MultiArray.Dimension("x", 2, 2)), 0, new double[] {0.5, -1})));
        assertThat(fa.dims()).containsExactly(new Float64MultiArray.Dimension("x", 2, 2));
        assertThat(fa.data()).containsExactly(0.5, -1);
        Joy joy = Joy.TYPE.decode(Joy.TYPE.encode(new Joy(h, new float[] {0.5f, -1f}, new int[] {1, 0})));
        assertThat(joy.axes()).containsExactly(0.5f, -1f);
        assertThat(joy.buttons()).containsExactly(1, 0);
        assertThat(Bool.TYPE.decode(Bool.TYPE.encode(new Bool(false))).data()).isFalse();
        List<PoseStamped> poses = List.of(new PoseStamped(h, new Vec3(0.1, 0.2, 0.3), new Quat(0, 0, 0.6, 0.8)),
                new PoseStamped(Header.at(12.7, "base_link"), new Vec3(0.15, 0.2, 0.3), Quat.IDENTITY));
        NavPath path = NavPath.TYPE.decode(NavPath.TYPE.encode(new NavPath(h, poses)));
        assertThat(path).isEqualTo(new NavPath(h, poses));
        assertThat(NavPath.TYPE.decode(NavPath.TYPE.encode(new NavPath(h, List.of()))).poses()).isEmpty();
        assertThat(PoseStamped.TYPE.decode(PoseStamped.TYPE.encode(poses.get(0)))).isEqualTo(poses.get(0));
        DiagnosticArray diag = new DiagnosticArray(h, List.of(
                new DiagnosticStatus(DiagnosticStatus.Level.ERROR, "wmpc_controller: controller", "holding: e-stop latched", "arm",
                        List.of(new DiagnosticStatus.KeyValue("step", "12"), new DiagnosticStatus.KeyValue("energy.latent", "0.25"))),
                new DiagnosticStatus(DiagnosticStatus.Level.STALE, "", "", "", List.of())));
        assertThat(DiagnosticArray.TYPE.decode(DiagnosticArray.TYPE.encode(diag))).isEqualTo(diag);
        byte[] badLevel = DiagnosticArray.TYPE.encode(diag);
        badLevel[4 + 28] = 7; // the first status's level byte: after the header (stamp, "base_link", pad to 24) and the count
        assertThatThrownBy(() -> DiagnosticArray.TYPE.decode(badLevel))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("diagnostic level 7");
    }

    @Test
    void imagesBecomeFramesOnlyWhenWellFormed() {
        var h = Header.at(0, "camera");
        CameraFrame ok = new Image(h, 2, 2, "bgr8", false, 8, new byte[16]).toFrame("cam"); // padded rows
        assertThat(ok.encoding()).isEqualTo(PixelEncoding.BGR8);
        assertThat(ok.data()).hasSize(12);
        assertThatThrownBy(() -> new Image(h, 2, 2, "rgb8", false, 6, new byte[11]).toFrame("cam"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("step x height");
        assertThatThrownBy(() -> new Image(h, 2, 2, "yuv422", false, 4, new byte[8]).toFrame("cam"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("unknown image encoding");
        assertThatThrownBy(() -> new Image(h, 2, 2, "rgb8", false, 4, new byte[8]).toFrame("cam"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("shorter than a row");
    }

    @Test
    void fuzzedBytesOnlyEverFailAsMalformed() {
        Random rnd = new Random(7);
        List<MessageType<?>> types = List.of(Image.TYPE, JointState.TYPE, TwistStamped.TYPE, JointTrajectory.TYPE, Bool.TYPE,
                Float64MultiArray.TYPE, Joy.TYPE, NavPath.TYPE, PoseStamped.TYPE, DiagnosticArray.TYPE);
        byte[] valid = JointState.TYPE.encode(new JointState(Header.at(1, "x"), List.of("a", "b"), new double[] {1, 2}, new double[0], new double[0]));
        int decoded = 0;
        for (int i = 0; i < 20000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[rnd.nextInt(64)];
                rnd.nextBytes(b);
                if (b.length > 2) { b[0] = 0; b[1] = 1; }
            } else {
                b = valid.clone();
                for (int k = 0; k < 3; k++) b[4 + rnd.nextInt(b.length - 4)] = (byte) rnd.nextInt();
                if (rnd.nextBoolean()) b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            MessageType<?> t = types.get(rnd.nextInt(types.size()));
            try {
                t.decode(b);
                decoded++;
            } catch (MalformedMessageException expected) {
                // the only allowed failure
            }
        }
        assertThat(decoded).isPositive();
    }
}
