package dev.wmpc.sim;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.kinematics.InverseKinematics;
import dev.wmpc.core.kinematics.KinematicChain;
import dev.wmpc.core.kinematics.KinematicModel;
import dev.wmpc.core.kinematics.Pose;
import dev.wmpc.core.kinematics.Urdf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The simulated arm: its URDF (shipped as {@code wmpc_arm.urdf}), kinematics to the tool centre point between the
 * fingertips, IK with the gripper pointing down, the home posture and the gripper's geometry. Immutable.
 */
public final class ArmModel {
    public static final String URDF_RESOURCE = "/dev/wmpc/sim/wmpc_arm.urdf";
    /** Arm joints in the order of {@link dev.wmpc.core.RobotState#jointPositions()}. */
    public static final List<String> ARM_JOINTS = List.of("joint1", "joint2", "joint3", "joint4", "joint5", "joint6", "joint7");
    public static final List<String> FINGER_JOINTS = List.of("finger_joint1", "finger_joint2");
    /** Home posture: gripper down, about 0.31 m in front of the base and 0.49 m above the table. */
    public static final double[] HOME = {0, -0.785398, 0, -2.356194, 0, 1.570796, 0.785398};
    /** Each finger's travel (metres); the opening between the pads is twice this. */
    public static final double FINGER_TRAVEL = 0.04;
    /** Finger pad: extent along the hand's x axis, thickness along y, and its z range in the hand frame. */
    public static final double PAD_HALF_WIDTH = 0.01, PAD_Z_MIN = 0.0604, PAD_Z_MAX = 0.1104;

    private final Urdf urdf;
    private final KinematicModel model;
    private final KinematicChain chain;
    private final InverseKinematics ik;
    private final int[] armIndex;
    private final int[] fingerIndex;
    private final Quat downOrientation;
    private final Pose tcpInHand;

    public ArmModel() {
        try (InputStream in = ArmModel.class.getResourceAsStream(URDF_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + URDF_RESOURCE);
            urdf = Urdf.parse(in, URDF_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        model = new KinematicModel(urdf);
        chain = model.chain("tcp", Pose.IDENTITY);
        if (!chain.jointNames().equals(ARM_JOINTS)) throw new IllegalStateException("arm chain joints " + chain.jointNames());
        ik = new InverseKinematics(chain, new InverseKinematics.Options(0.01, 60, 1e-4, 2e-3, 0.3, 0.1));
        armIndex = ARM_JOINTS.stream().mapToInt(model::jointIndex).toArray();
        fingerIndex = FINGER_JOINTS.stream().mapToInt(model::jointIndex).toArray();
        downOrientation = chain.forward(HOME).rotation();
        tcpInHand = urdf.joint("tcp_joint").orElseThrow().origin();
    }

    public Urdf urdf() { return urdf; }
    public KinematicModel model() { return model; }
    public KinematicChain chain() { return chain; }
    /** Gripper pointing straight down, fingers closing along the base's y axis. */
    public Quat downOrientation() { return downOrientation; }
    public Pose tcpInHand() { return tcpInHand; }

    /** Tool centre point pose for arm joints {@code q} (7 values). */
    public Pose tcp(double[] q) { return chain.forward(q); }

    /** Joint targets that put the tool centre point at {@code target} pointing down, starting the search at {@code q0}. */
    public InverseKinematics.Result solve(Vec3 target, double[] q0) {
        return ik.solve(new Pose(target, downOrientation), q0, 0.5, HOME);
    }

    /** Every link's pose (base frame) for the 7 arm joints and the 2 finger positions. */
    public Map<String, Pose> linkPoses(double[] arm, double[] fingers) {
        double[] q = new double[model.dof()];
        for (int i = 0; i < armIndex.length; i++) q[armIndex[i]] = arm[i];
        for (int i = 0; i < fingerIndex.length; i++) q[fingerIndex[i]] = fingers[i];
        return model.linkPoses(q);
    }

    /** Link names of the two fingers, in {@link #FINGER_JOINTS} order. */
    public static final List<String> FINGER_LINKS = List.of("leftfinger", "rightfinger");

    /** The pose of finger {@code f} (0 left, 1 right) at travel {@code value} given the hand's pose. */
    public Pose fingerPose(Pose hand, int f, double value) {
        return hand.compose(KinematicModel.jointTransform(model.joint(fingerIndex[f]), value));
    }

    public double[] lowerLimits() { return chain.lowerLimits(); }
    public double[] upperLimits() { return chain.upperLimits(); }

    public double[] maxVelocities() {
        return ARM_JOINTS.stream().mapToDouble(n -> urdf.joint(n).orElseThrow().velocity()).toArray();
    }

    public static boolean isGripperLink(String link) {
        return link.equals("hand") || link.endsWith("finger");
    }
}
