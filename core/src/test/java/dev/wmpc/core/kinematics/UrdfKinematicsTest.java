package dev.wmpc.core.kinematics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.Vec3;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UrdfKinematicsTest {
    /** A planar-ish arm: base yaw, two pitch joints of 0.4 m and 0.3 m, a prismatic tool slide and a fixed tip. */
    static final String ARM = """
            <robot name="test_arm">
              <material name="red"><color rgba="1 0 0 1"/></material>
              <link name="base"><visual><origin xyz="0 0 0.05"/><geometry><box size="0.2 0.2 0.1"/></geometry><material name="red"/></visual></link>
              <link name="l1"><collision><geometry><cylinder radius="0.03" length="0.4"/></geometry></collision></link>
              <link name="l2"><visual><geometry><sphere radius="0.04"/></geometry></visual></link>
              <link name="l3"/>
              <link name="slide"/>
              <link name="tip"/>
              <joint name="yaw" type="continuous"><parent link="base"/><child link="l1"/><origin xyz="0 0 0.1"/><axis xyz="0 0 1"/></joint>
              <joint name="shoulder" type="revolute"><parent link="l1"/><child link="l2"/><origin xyz="0 0 0"/><axis xyz="0 1 0"/>
                <limit lower="-1.5" upper="1.5" velocity="1" effort="1"/></joint>
              <joint name="elbow" type="revolute"><parent link="l2"/><child link="l3"/><origin xyz="0 0 0.4"/><axis xyz="0 1 0"/>
                <limit lower="-2.5" upper="2.5"/></joint>
              <joint name="slider" type="prismatic"><parent link="l3"/><child link="slide"/><origin xyz="0 0 0.3" rpy="0 1.5707963267948966 0"/><axis xyz="0 0 1"/>
                <limit lower="0" upper="0.1"/></joint>
              <joint name="tipj" type="fixed"><parent link="slide"/><child link="tip"/><origin xyz="0 0 0.05"/></joint>
            </robot>
            """;

    @Test void parsesLinksJointsGeometryAndLimits() {
        Urdf u = Urdf.parse(ARM);
        assertThat(u.name()).isEqualTo("test_arm");
        assertThat(u.rootLink()).isEqualTo("base");
        assertThat(u.links()).hasSize(6);
        Urdf.Geometry box = u.link("base").orElseThrow().visuals().get(0);
        assertThat(box.kind()).isEqualTo(Urdf.GeometryKind.BOX);
        assertThat(box.size()).isEqualTo(new Vec3(0.2, 0.2, 0.1));
        assertThat(box.origin().position()).isEqualTo(new Vec3(0, 0, 0.05));
        assertThat(box.rgba()).containsExactly(1f, 0f, 0f, 1f);
        Urdf.Geometry cyl = u.link("l1").orElseThrow().collisions().get(0);
        assertThat(cyl.kind()).isEqualTo(Urdf.GeometryKind.CYLINDER);
        assertThat(cyl.size()).isEqualTo(new Vec3(0.03, 0.03, 0.4));
        assertThat(u.link("l2").orElseThrow().visuals().get(0).kind()).isEqualTo(Urdf.GeometryKind.SPHERE);
        Urdf.Joint shoulder = u.joint("shoulder").orElseThrow();
        assertThat(shoulder.type()).isEqualTo(Urdf.JointType.REVOLUTE);
        assertThat(shoulder.lower()).isEqualTo(-1.5);
        assertThat(shoulder.upper()).isEqualTo(1.5);
        assertThat(u.joint("yaw").orElseThrow().upper()).isInfinite();
        assertThat(u.joint("slider").orElseThrow().type()).isEqualTo(Urdf.JointType.PRISMATIC);
        KinematicModel m = new KinematicModel(u);
        assertThat(m.jointNames()).containsExactly("yaw", "shoulder", "elbow", "slider");
    }

    @Test void forwardKinematicsMatchesHandComputedPoses() {
        KinematicModel m = new KinematicModel(Urdf.parse(ARM));
        // All zero: straight up. l3 at z = 0.1 + 0.4; slide frame at 0.8 rotated so its z points along +x; tip 0.05 further along +x.
        Pose tip = m.linkPose("tip", new double[] {0, 0, 0, 0});
        assertVec(tip.position(), 0.05, 0, 0.8);
        // Shoulder +90 degrees about y tips the arm onto +x: l3 at x = 0.4, z = 0.1; the slide axis then points to -z.
        tip = m.linkPose("tip", new double[] {0, Math.PI / 2, 0, 0.1});
        assertVec(tip.position(), 0.7, 0, 0.1 - 0.15);
        // Yaw 90 degrees turns that onto +y.
        tip = m.linkPose("tip", new double[] {Math.PI / 2, Math.PI / 2, 0, 0});
        assertVec(tip.position(), 0, 0.7, 0.05);
        // Elbow -90: forearm horizontal along +x from (0,0,0.5); slide then points up.
        tip = m.linkPose("tip", new double[] {0, 0, Math.PI / 2, 0.02});
        assertVec(tip.position(), 0.3, 0, 0.5 - 0.07);
        assertThat(m.linkPoses(new double[] {0, 0, Math.PI / 2, 0.02}).get("tip").position().distance(tip.position())).isLessThan(1e-12);
        KinematicChain chain = m.chain("tip", Pose.IDENTITY);
        assertThat(chain.forward(new double[] {0, 0, Math.PI / 2, 0.02}).position().distance(tip.position())).isLessThan(1e-12);
    }

    @Test void jacobianMatchesFiniteDifferences() {
        KinematicChain chain = new KinematicModel(Urdf.parse(ARM)).chain("tip", Pose.of(new Vec3(0.01, 0.02, 0.03)));
        double[] q = {0.3, -0.4, 0.9, 0.05};
        double[][] jac = chain.jacobian(q);
        double h = 1e-6;
        for (int i = 0; i < q.length; i++) {
            double[] qp = q.clone(); qp[i] += h;
            Vec3 d = chain.forward(qp).position().minus(chain.forward(q).position()).times(1 / h);
            assertThat(jac[0][i]).isCloseTo(d.x(), within(1e-5));
            assertThat(jac[1][i]).isCloseTo(d.y(), within(1e-5));
            assertThat(jac[2][i]).isCloseTo(d.z(), within(1e-5));
        }
    }

    @Test void inverseKinematicsReachesRandomReachableTargetsWithinLimits() {
        KinematicChain chain = new KinematicModel(Urdf.parse(ARM)).chain("tip", Pose.IDENTITY);
        InverseKinematics ik = new InverseKinematics(chain);
        Random rnd = new Random(7);
        double[] lo = chain.lowerLimits(), hi = chain.upperLimits();
        for (int trial = 0; trial < 50; trial++) {
            double[] qTrue = {rnd.nextDouble(-3, 3), rnd.nextDouble(-1.2, 1.2), rnd.nextDouble(-2, 2), rnd.nextDouble(0, 0.1)};
            Vec3 target = chain.forward(qTrue).position();
            double[] start = {0, 0.3, 0.6, 0.05};
            InverseKinematics.Result r = ik.solve(Pose.of(target), start, 0, null);
            assertThat(r.positionError()).as("trial %d", trial).isLessThan(0.002);
            assertThat(chain.forward(r.q()).position().distance(target)).isLessThan(0.002);
            for (int i = 0; i < 4; i++) assertThat(r.q()[i]).isBetween(lo[i], hi[i]);
        }
    }

    @Test void inverseKinematicsStopsAtJointLimitsForUnreachableTargets() {
        KinematicChain chain = new KinematicModel(Urdf.parse(ARM)).chain("tip", Pose.IDENTITY);
        InverseKinematics.Result r = new InverseKinematics(chain).solve(Pose.of(new Vec3(3, 0, 0.1)), new double[] {0, 0.2, 0.2, 0}, 0, null);
        assertThat(r.positionError()).isGreaterThan(1);
        double[] lo = chain.lowerLimits(), hi = chain.upperLimits();
        for (int i = 1; i < 4; i++) assertThat(r.q()[i]).isBetween(lo[i], hi[i]);
    }

    @Test void badUrdfsGetOneClearError() {
        assertThatThrownBy(() -> Urdf.parse("<robot name='x'><link name='a'/><link name='b'/>"
                + "<joint name='j' type='revolute'><parent link='a'/><child link='b'/></joint></robot>"))
                .hasMessageContaining("joint 'j' needs a <limit");
        assertThatThrownBy(() -> Urdf.parse("<robot name='x'><link name='a'><visual><geometry><mesh filename='m.stl'/></geometry></visual></link></robot>"))
                .hasMessageContaining("only box, cylinder and sphere");
        assertThatThrownBy(() -> Urdf.parse("<robot name='x'><link name='a'/><joint name='j' type='fixed'><parent link='a'/><child link='zz'/></joint></robot>"))
                .hasMessageContaining("unknown link 'zz'");
        assertThatThrownBy(() -> Urdf.parse("<robot name='x'><link name='a'/><joint name='j' type='planar'><parent link='a'/><child link='a'/></joint></robot>"))
                .hasMessageContaining("unsupported type 'planar'");
        assertThatThrownBy(() -> Urdf.parse("not xml")).hasMessageContaining("not well-formed");
    }

    private static void assertVec(Vec3 v, double x, double y, double z) {
        assertThat(v.x()).isCloseTo(x, within(1e-9));
        assertThat(v.y()).isCloseTo(y, within(1e-9));
        assertThat(v.z()).isCloseTo(z, within(1e-9));
    }
}
