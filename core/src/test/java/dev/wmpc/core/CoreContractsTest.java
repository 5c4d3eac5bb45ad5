package dev.wmpc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CoreContractsTest {

    @Test
    void cameraFrameRejectsWrongBufferLengthNamingTheSizes() {
        assertThatThrownBy(() -> new CameraFrame("front", 4, 2, PixelEncoding.RGB8, new byte[23], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("23 bytes")
                .hasMessageContaining("4x2 rgb8 needs 24");
    }

    @Test
    void everyEncodingConvertsToTheSameRgb() {
        // One orange pixel (r=200, g=100, b=50) in each encoding.
        Map<PixelEncoding, byte[]> px = Map.of(
                PixelEncoding.RGB8, new byte[] {(byte) 200, 100, 50},
                PixelEncoding.BGR8, new byte[] {50, 100, (byte) 200},
                PixelEncoding.RGBA8, new byte[] {(byte) 200, 100, 50, (byte) 255},
                PixelEncoding.BGRA8, new byte[] {50, 100, (byte) 200, (byte) 255});
        px.forEach((enc, data) -> {
            CameraFrame rgb = new CameraFrame("c", 1, 1, enc, data, 0).toRgb8();
            assertThat(rgb.data()).as(enc.rosName()).containsExactly((byte) 200, 100, 50);
        });
        CameraFrame mono = new CameraFrame("c", 1, 1, PixelEncoding.MONO8, new byte[] {77}, 0).toRgb8();
        assertThat(mono.data()).containsExactly(77, 77, 77);
    }

    @Test
    void unknownEncodingListsTheSupportedOnes() {
        assertThat(PixelEncoding.fromRosName("BGR8")).isEqualTo(PixelEncoding.BGR8);
        assertThatThrownBy(() -> PixelEncoding.fromRosName("yuv422"))
                .hasMessageContaining("yuv422").hasMessageContaining("rgb8, bgr8, rgba8, bgra8, mono8");
    }

    @Test
    void cameraSpecEnforcesSizeRange() {
        Vec3 eye = new Vec3(1, 0, 1);
        assertThat(new CameraSpec("c", eye, Vec3.ZERO, new Vec3(0, 0, 1), 60, 32, 1024).width()).isEqualTo(32);
        assertThatThrownBy(() -> new CameraSpec("c", eye, Vec3.ZERO, new Vec3(0, 0, 1), 60, 31, 64))
                .hasMessageContaining("between 32 and 1024");
        assertThatThrownBy(() -> new CameraSpec("c", eye, Vec3.ZERO, new Vec3(0, 0, 1), 60, 64, 2048))
                .hasMessageContaining("out of range");
    }

    @Test
    void actionsReportNonFiniteNumbers() {
        assertThat(new Action.EndEffectorDelta(0.01, 0, 0, 1).isFinite()).isTrue();
        assertThat(new Action.EndEffectorDelta(Double.NaN, 0, 0, 1).isFinite()).isFalse();
        assertThat(new Action.JointTargets(new double[] {0, Double.POSITIVE_INFINITY}, 0).isFinite()).isFalse();
        double[] q = {0.1, 0.2};
        Action.JointTargets t = new Action.JointTargets(q, 0);
        q[0] = 9;
        assertThat(t.positions()[0]).as("defensive copy").isEqualTo(0.1);
    }

    @Test
    void quaternionRotatesAndRpyMatchesUrdfConvention() {
        Quat yaw90 = Quat.fromRpy(0, 0, Math.PI / 2);
        Vec3 r = yaw90.rotate(new Vec3(1, 0, 0));
        assertThat(r.x()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.y()).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
        // roll then pitch (fixed axes): x axis after roll 90 stays x; pitch 90 sends x to -z.
        Vec3 x = Quat.fromRpy(Math.PI / 2, Math.PI / 2, 0).rotate(new Vec3(1, 0, 0));
        assertThat(x.z()).isCloseTo(-1, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void stateVectorLayoutIsJointsThenPoseThenGripper() {
        RobotState s = new RobotState(new double[] {1, 2}, new Vec3(0.3, 0.4, 0.5), Quat.IDENTITY, 0.7);
        assertThat(s.toVector()).containsExactly(1f, 2f, 0.3f, 0.4f, 0.5f, 0f, 0f, 0f, 1f, 0.7f);
        assertThat(RobotState.POSE_NAMES).hasSize(8);
    }
}
