package dev.wmpc.core.kinematics;

import dev.wmpc.core.Vec3;
import org.ejml.simple.SimpleMatrix;

/**
 * Damped-least-squares inverse kinematics over a {@link KinematicChain}, respecting joint limits: each iteration
 * solves dq = Jᵀ(JJᵀ + λ²I)⁻¹ e for the pose error e (orientation rows weighted by {@code orientationWeight}; 0 means
 * position only), adds a null-space pull towards a rest posture, freezes joints that sit at a limit and push
 * outward, and clamps into the limits. Deterministic: no randomness.
 */
public final class InverseKinematics {
    /** Tuning: damping λ, iteration cap, tolerances (metres, radians), largest joint step per iteration (radians). */
    public record Options(double damping, int maxIterations, double positionTolerance, double orientationTolerance,
                          double maxStep, double restGain) {
        public static Options defaults() { return new Options(0.02, 100, 2e-4, 2e-3, 0.3, 0.05); }
        public Options withMaxIterations(int n) { return new Options(damping, n, positionTolerance, orientationTolerance, maxStep, restGain); }
    }

    /** The solution and how far its tool pose is from the target. */
    public record Result(double[] q, double positionError, double orientationError, int iterations) {
        public boolean converged(double positionTolerance) { return positionError <= positionTolerance; }
    }

    private final KinematicChain chain;
    private final Options options;

    public InverseKinematics(KinematicChain chain, Options options) {
        this.chain = chain;
        this.options = options;
    }

    public InverseKinematics(KinematicChain chain) { this(chain, Options.defaults()); }

    public KinematicChain chain() { return chain; }

    /**
     * Solves for {@code target} starting at {@code q0}. {@code rest} (may be null) is the posture the null space is
     * pulled towards.
     */
    public Result solve(Pose target, double[] q0, double orientationWeight, double[] rest) {
        int n = chain.dof();
        double[] lo = chain.lowerLimits(), hi = chain.upperLimits();
        double[] q = chain.clamp(q0);
        boolean useOrientation = orientationWeight > 0;
        int rows = useOrientation ? 6 : 3;
        double posErr = Double.POSITIVE_INFINITY, rotErr = Double.POSITIVE_INFINITY;
        int it = 0;
        for (; it <= options.maxIterations(); it++) {
            Pose cur = chain.forward(q);
            Vec3 ep = target.position().minus(cur.position());
            Vec3 er = KinematicChain.rotationError(cur.rotation(), target.rotation());
            posErr = ep.norm();
            rotErr = er.norm();
            if (posErr <= options.positionTolerance() && (!useOrientation || rotErr <= options.orientationTolerance())) break;
            if (it == options.maxIterations()) break;
            double[][] jac = chain.jacobian(q);
            SimpleMatrix e = new SimpleMatrix(rows, 1);
            e.set(0, ep.x()); e.set(1, ep.y()); e.set(2, ep.z());
            if (useOrientation) {
                e.set(3, er.x() * orientationWeight); e.set(4, er.y() * orientationWeight); e.set(5, er.z() * orientationWeight);
            }
            boolean[] frozen = new boolean[n];
            double[] dq = null;
            for (int pass = 0; pass < 2; pass++) {
                SimpleMatrix j = new SimpleMatrix(rows, n);
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < n; c++)
                        if (!frozen[c]) j.set(r, c, jac[r][c] * (r >= 3 ? orientationWeight : 1));
                SimpleMatrix jt = j.transpose();
                SimpleMatrix inv = j.mult(jt).plus(SimpleMatrix.identity(rows).scale(options.damping() * options.damping())).invert();
                SimpleMatrix pinv = jt.mult(inv);
                SimpleMatrix step = pinv.mult(e);
                if (rest != null && options.restGain() > 0) {
                    SimpleMatrix toRest = new SimpleMatrix(n, 1);
                    for (int c = 0; c < n; c++) if (!frozen[c]) toRest.set(c, options.restGain() * (rest[c] - q[c]));
                    step = step.plus(SimpleMatrix.identity(n).minus(pinv.mult(j)).mult(toRest));
                }
                dq = new double[n];
                for (int c = 0; c < n; c++) dq[c] = frozen[c] ? 0 : step.get(c);
                boolean changed = false;
                for (int c = 0; c < n; c++) {
                    if (frozen[c]) continue;
                    if ((q[c] <= lo[c] + 1e-9 && dq[c] < 0) || (q[c] >= hi[c] - 1e-9 && dq[c] > 0)) { frozen[c] = true; changed = true; }
                }
                if (!changed) break;
            }
            double max = 0;
            for (double d : dq) max = Math.max(max, Math.abs(d));
            double scale = max > options.maxStep() ? options.maxStep() / max : 1;
            for (int c = 0; c < n; c++) q[c] = Math.max(lo[c], Math.min(hi[c], q[c] + dq[c] * scale));
        }
        return new Result(q, posErr, rotErr, it);
    }
}
