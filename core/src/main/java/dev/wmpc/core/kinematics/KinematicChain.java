package dev.wmpc.core.kinematics;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import java.util.List;

/**
 * A serial chain from the root link to a tool frame: forward kinematics and the geometric Jacobian over its movable
 * joints (in chain order, base first). {@link #modelIndices()} maps them into the whole model's joint vector.
 */
public final class KinematicChain {
    private final List<Urdf.Joint> path;
    private final Pose tool;
    private final int[] modelIndices;
    private final double[] lower;
    private final double[] upper;

    KinematicChain(List<Urdf.Joint> path, Pose tool, int[] modelIndices) {
        this.path = List.copyOf(path);
        this.tool = tool;
        this.modelIndices = modelIndices.clone();
        List<Urdf.Joint> mov = path.stream().filter(j -> j.type().movable()).toList();
        this.lower = mov.stream().mapToDouble(Urdf.Joint::lower).toArray();
        this.upper = mov.stream().mapToDouble(Urdf.Joint::upper).toArray();
    }

    public int dof() { return lower.length; }

    public int[] modelIndices() { return modelIndices.clone(); }

    public double[] lowerLimits() { return lower.clone(); }

    public double[] upperLimits() { return upper.clone(); }

    public List<String> jointNames() { return path.stream().filter(j -> j.type().movable()).map(Urdf.Joint::name).toList(); }

    /** The tool frame's pose in the root frame. */
    public Pose forward(double[] q) {
        check(q);
        Pose p = Pose.IDENTITY;
        int k = 0;
        for (Urdf.Joint j : path) p = p.compose(KinematicModel.jointTransform(j, j.type().movable() ? q[k++] : 0));
        return p.compose(tool);
    }

    /**
     * The 6×n geometric Jacobian at the tool point in the root frame: rows 0-2 linear velocity, rows 3-5 angular
     * velocity, per unit joint velocity. Returned row-major as {@code double[6][n]}.
     */
    public double[][] jacobian(double[] q) {
        check(q);
        int n = dof();
        Vec3[] axes = new Vec3[n];
        Vec3[] origins = new Vec3[n];
        boolean[] prismatic = new boolean[n];
        Pose p = Pose.IDENTITY;
        int k = 0;
        for (Urdf.Joint j : path) {
            if (j.type().movable()) {
                Pose atJoint = p.compose(j.origin());
                axes[k] = atJoint.rotation().rotate(j.axis());
                origins[k] = atJoint.position();
                prismatic[k] = j.type() == Urdf.JointType.PRISMATIC;
                p = p.compose(KinematicModel.jointTransform(j, q[k]));
                k++;
            } else {
                p = p.compose(j.origin());
            }
        }
        Vec3 tip = p.compose(tool).position();
        double[][] jac = new double[6][n];
        for (int i = 0; i < n; i++) {
            Vec3 lin = prismatic[i] ? axes[i] : axes[i].cross(tip.minus(origins[i]));
            Vec3 ang = prismatic[i] ? Vec3.ZERO : axes[i];
            jac[0][i] = lin.x(); jac[1][i] = lin.y(); jac[2][i] = lin.z();
            jac[3][i] = ang.x(); jac[4][i] = ang.y(); jac[5][i] = ang.z();
        }
        return jac;
    }

    /** Clamps each joint into its limits (a copy). */
    public double[] clamp(double[] q) {
        double[] out = q.clone();
        for (int i = 0; i < out.length; i++) out[i] = Math.max(lower[i], Math.min(upper[i], out[i]));
        return out;
    }

    /** The rotation vector (axis × angle, radians) that turns {@code from} into {@code to}, in the root frame. */
    public static Vec3 rotationError(Quat from, Quat to) {
        Quat d = to.times(from.conjugate());
        if (d.w() < 0) d = new Quat(-d.x(), -d.y(), -d.z(), -d.w());
        double s = Math.sqrt(d.x() * d.x() + d.y() * d.y() + d.z() * d.z());
        if (s < 1e-12) return Vec3.ZERO;
        double angle = 2 * Math.atan2(s, d.w());
        return new Vec3(d.x(), d.y(), d.z()).times(angle / s);
    }

    private void check(double[] q) {
        if (q.length != dof()) throw new IllegalArgumentException("chain has " + dof() + " joints but got " + q.length + " values");
    }
}
