package dev.wmpc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.Vec3;
import dev.wmpc.core.kinematics.InverseKinematics;
import dev.wmpc.core.kinematics.KinematicChain;
import dev.wmpc.core.kinematics.Pose;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArmKinematicsTest {
    final ArmModel arm = new ArmModel();

    @Test void urdfHasSevenArmJointsTwoFingersAndGeometry() {
        assertThat(arm.model().jointNames()).containsExactly("joint1", "joint2", "joint3", "joint4", "joint5", "joint6", "joint7",
                "finger_joint1", "finger_joint2");
        assertThat(arm.urdf().link("hand").orElseThrow().collisions()).hasSize(1);
        assertThat(arm.lowerLimits()[3]).isEqualTo(-3.0718);
        assertThat(arm.upperLimits()[5]).isEqualTo(3.7525);
    }

    @Test void forwardKinematicsMatchesHandComputedPoses() {
        // All joints zero: the arm stands straight up; the flange is 0.088 m forward at 0.333+0.316+0.384-0.107 m,
        // pointing down, and the tool centre point 0.1034 m below it.
        double[] zero = new double[7];
        Map<String, Pose> links = arm.linkPoses(zero, new double[] {0, 0});
        assertVec(links.get("link8").position(), 0.088, 0, 0.926);
        assertVec(arm.tcp(zero).position(), 0.088, 0, 0.926 - 0.1034);
        assertThat(arm.tcp(zero).rotation().rotate(new Vec3(0, 0, 1)).z()).isCloseTo(-1, within(1e-4));
        // Joint 1 at +90 degrees swings that onto +y.
        double[] yaw = {Math.PI / 2, 0, 0, 0, 0, 0, 0};
        assertVec(arm.tcp(yaw).position(), 0, 0.088, 0.8226);
        // Home: the well-known Panda ready pose, flange about (0.307, 0, 0.590).
        Pose flange = arm.linkPoses(ArmModel.HOME, new double[] {0.04, 0.04}).get("link8");
        assertThat(flange.position().x()).isCloseTo(0.307, within(0.002));
        assertThat(flange.position().y()).isCloseTo(0, within(1e-4));
        assertThat(flange.position().z()).isCloseTo(0.590, within(0.002));
        // Fingers open symmetrically along the hand's y axis, 0.0584 m below the hand.
        Map<String, Pose> open = arm.linkPoses(ArmModel.HOME, new double[] {0.03, 0.03});
        assertThat(open.get("leftfinger").position().distance(open.get("rightfinger").position())).isCloseTo(0.06, within(1e-9));
    }

    @Test void ikReachesRandomReachableTargetsWithin2mmAndRespectsLimits() {
        KinematicChain chain = arm.chain();
        InverseKinematics ik = new InverseKinematics(chain, InverseKinematics.Options.defaults().withMaxIterations(300));
        Random rnd = new Random(11);
        double[] lo = chain.lowerLimits(), hi = chain.upperLimits();
        for (int trial = 0; trial < 40; trial++) {
            double[] qTrue = new double[7];
            for (int i = 0; i < 7; i++) qTrue[i] = ArmModel.HOME[i] + rnd.nextDouble(-0.6, 0.6);
            qTrue = chain.clamp(qTrue);
            Vec3 target = chain.forward(qTrue).position();
            InverseKinematics.Result r = ik.solve(Pose.of(target), ArmModel.HOME, 0, null);
            assertThat(chain.forward(r.q()).position().distance(target)).as("trial %d", trial).isLessThan(0.002);
            for (int i = 0; i < 7; i++) assertThat(r.q()[i]).isBetween(lo[i], hi[i]);
        }
    }

    @Test void downPointingIkCoversTheWorkspace() {
        Random rnd = new Random(3);
        Workspace ws = Workspace.defaults();
        for (int trial = 0; trial < 40; trial++) {
            Vec3 target = new Vec3(rnd.nextDouble(ws.min().x(), ws.max().x()), rnd.nextDouble(ws.min().y(), ws.max().y()),
                    rnd.nextDouble(ws.min().z(), 0.4));
            InverseKinematics.Result r = arm.solve(target, ArmModel.HOME);
            Pose p = arm.tcp(r.q());
            assertThat(p.position().distance(target)).as("target %s", target).isLessThan(0.002);
            assertThat(Pose.angleBetween(p.rotation(), arm.downOrientation())).isLessThan(0.02);
        }
    }

    private static void assertVec(Vec3 v, double x, double y, double z) {
        assertThat(v.x()).isCloseTo(x, within(1e-3));
        assertThat(v.y()).isCloseTo(y, within(1e-3));
        assertThat(v.z()).isCloseTo(z, within(1e-3));
    }
}
