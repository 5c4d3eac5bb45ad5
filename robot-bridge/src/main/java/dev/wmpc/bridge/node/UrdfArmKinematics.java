package dev.wmpc.bridge.node;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.WmpcException;
import dev.wmpc.core.kinematics.InverseKinematics;
import dev.wmpc.core.kinematics.KinematicChain;
import dev.wmpc.core.kinematics.KinematicModel;
import dev.wmpc.core.kinematics.Pose;
import dev.wmpc.core.kinematics.Urdf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link ArmKinematics} from an arm's URDF (core kinematics): forward kinematics to {@code tipLink}, and one
 * damped-least-squares IK solve per step that moves the tip by the commanded delta (and, with an orientation weight,
 * keeps its orientation).
 */
public final class UrdfArmKinematics implements ArmKinematics {
    private final String robot, tipLink;
    private final KinematicChain chain;
    private final InverseKinematics ik;
    private final double orientationWeight;

    /** {@code orientationWeight}: 0 = position only (arms with fewer than 6 joints), about 0.5 keeps the tool's orientation. */
    public UrdfArmKinematics(KinematicChain chain, double orientationWeight) { this("", "", chain, orientationWeight); }

    private UrdfArmKinematics(String robot, String tipLink, KinematicChain chain, double orientationWeight) {
        this.robot = robot;
        this.tipLink = tipLink;
        this.chain = chain;
        this.ik = new InverseKinematics(chain);
        this.orientationWeight = orientationWeight;
    }

    /** Loads the URDF and the chain from its root to {@code tipLink}; the chain's joints must be {@code jointNames}, if given. */
    public static UrdfArmKinematics load(Path urdf, String tipLink, List<String> jointNames, double orientationWeight) {
        if (!Files.isReadable(urdf)) throw WmpcException.usage("URDF " + urdf + " does not exist or is not readable");
        Urdf u;
        try {
            u = Urdf.parse(urdf);
        } catch (RuntimeException e) {
            throw new WmpcException("cannot read URDF " + urdf + ": " + e.getMessage(), e);
        }
        return of(u, urdf.toString(), tipLink, jointNames, orientationWeight);
    }

    /** As {@link #load} for a parsed URDF; {@code source} names it in errors. */
    public static UrdfArmKinematics of(Urdf u, String source, String tipLink, List<String> jointNames, double orientationWeight) {
        if (u.link(tipLink).isEmpty())
            throw WmpcException.usage("URDF " + source + " has no link '" + tipLink + "': set tip_link to the end-effector link");
        KinematicChain chain = new KinematicModel(u).chain(tipLink, Pose.IDENTITY);
        if (!jointNames.isEmpty() && !chain.jointNames().equals(jointNames))
            throw WmpcException.usage("the URDF chain to '" + tipLink + "' has joints " + chain.jointNames() + " but joint_names is " + jointNames);
        return new UrdfArmKinematics(u.name(), tipLink, chain, orientationWeight);
    }

    /** The URDF's robot name ({@code <robot name="...">}); empty when built from a bare chain. */
    public String robot() { return robot; }

    /** The end-effector link the chain ends at; empty when built from a bare chain. */
    public String tipLink() { return tipLink; }

    public List<String> jointNames() { return chain.jointNames(); }

    public double[] lowerLimits() { return chain.lowerLimits(); }

    public double[] upperLimits() { return chain.upperLimits(); }

    @Override public Vec3 position(double[] q) { return chain.forward(q).position(); }

    @Override public Quat orientation(double[] q) { return chain.forward(q).rotation(); }

    @Override public double[] solveDelta(double[] q, Vec3 delta) {
        Pose now = chain.forward(q);
        return ik.solve(new Pose(now.position().plus(delta), now.rotation()), q, orientationWeight, null).q();
    }
}
