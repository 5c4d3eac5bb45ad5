package dev.wmpc.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.Vec3;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrdfArmKinematicsTest {
    static final Path URDF = Path.of("src/test/resources/urdf/three_joint_arm.urdf");

    @Test
    void forwardKinematicsAndDeltaIkFollowTheUrdf() {
        UrdfArmKinematics k = UrdfArmKinematics.load(URDF, "tool", List.of("yaw", "pitch1", "pitch2"), 0);
        double[] q = {0, 0.3, 1.0};
        Vec3 p = k.position(new double[] {0, 0, 0});
        assertThat(p.x()).isCloseTo(0.25, within(1e-9));
        assertThat(p.z()).isCloseTo(0.4, within(1e-9));
        Vec3 d = new Vec3(0.01, 0.005, -0.01);
        double[] q2 = k.solveDelta(q, d);
        assertThat(k.position(q2).minus(k.position(q)).minus(d).norm()).isLessThan(1e-3);
        assertThat(k.lowerLimits()).containsExactly(-3, -2, -2.5);
    }

    @Test
    void mismatchesAreNamed() {
        assertThatThrownBy(() -> UrdfArmKinematics.load(URDF, "nope", List.of(), 0)).hasMessageContaining("no link 'nope'");
        assertThatThrownBy(() -> UrdfArmKinematics.load(URDF, "tool", List.of("a", "b", "c"), 0)).hasMessageContaining("joint_names");
        assertThatThrownBy(() -> UrdfArmKinematics.load(Path.of("missing.urdf"), "tool", List.of(), 0)).hasMessageContaining("does not exist");
    }
}
