package dev.wmpc.sim.render;

import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Vec3;

/**
 * The pinhole camera as OpenGL matrices (column-major float[16]): a right-handed look-at view and a perspective
 * projection. Computed in double and rounded once, so the same camera always gives the same bits.
 */
final class CameraMatrices {
    /** Near and far clip planes in metres: a tabletop scene seen from at most a few metres away. */
    static final double NEAR = 0.02;
    static final double FAR = 50.0;

    private CameraMatrices() {}

    /** projection × view for {@code camera} drawn into a viewport of {@code width × height} pixels. */
    static float[] viewProjection(CameraSpec camera, int width, int height) {
        double[] p = perspective(camera.fovYDegrees(), (double) width / height);
        double[] v = lookAt(camera.eye(), camera.target(), camera.up());
        double[] m = multiply(p, v);
        float[] out = new float[16];
        for (int i = 0; i < 16; i++) out[i] = (float) m[i];
        return out;
    }

    static double[] perspective(double fovYDegrees, double aspect) {
        double f = 1.0 / Math.tan(Math.toRadians(fovYDegrees) / 2);
        double[] m = new double[16];
        m[0] = f / aspect;
        m[5] = f;
        m[10] = (FAR + NEAR) / (NEAR - FAR);
        m[11] = -1;
        m[14] = 2 * FAR * NEAR / (NEAR - FAR);
        return m;
    }

    /** World → camera: the camera looks down its -z axis; {@code up} need not be orthogonal to the view line. */
    static double[] lookAt(Vec3 eye, Vec3 target, Vec3 up) {
        Vec3 f = target.minus(eye).normalized();
        Vec3 s = f.cross(up);
        if (s.norm() < 1e-9) {
            // up is parallel to the view line (e.g. looking straight down with up = z): pick any perpendicular.
            s = f.cross(Math.abs(f.x()) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0));
        }
        s = s.normalized();
        Vec3 u = s.cross(f);
        double[] m = new double[16];
        m[0] = s.x(); m[4] = s.y(); m[8] = s.z();
        m[1] = u.x(); m[5] = u.y(); m[9] = u.z();
        m[2] = -f.x(); m[6] = -f.y(); m[10] = -f.z();
        m[12] = -s.dot(eye);
        m[13] = -u.dot(eye);
        m[14] = f.dot(eye);
        m[15] = 1;
        return m;
    }

    static double[] multiply(double[] a, double[] b) {
        double[] r = new double[16];
        for (int col = 0; col < 4; col++)
            for (int row = 0; row < 4; row++) {
                double sum = 0;
                for (int k = 0; k < 4; k++) sum += a[k * 4 + row] * b[col * 4 + k];
                r[col * 4 + row] = sum;
            }
        return r;
    }
}
