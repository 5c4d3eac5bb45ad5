package dev.wmpc.sim.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Back faces are culled, so every triangle must wind counter-clockwise seen from outside, with outward normals. */
class UnitMeshTest {
    @Test void everyMeshIsWoundOutwardAndUnitSized() {
        for (Shape.Kind kind : Shape.Kind.values()) {
            UnitMesh m = UnitMesh.of(kind);
            float[] v = m.vertices();
            int[] idx = m.indices();
            assertThat(idx.length % 3).isZero();
            double maxX = 0, maxZ = 0;
            for (int i = 0; i < m.vertexCount(); i++) {
                maxX = Math.max(maxX, Math.abs(v[i * 6]));
                maxZ = Math.max(maxZ, Math.abs(v[i * 6 + 2]));
                double nn = Math.sqrt(v[i * 6 + 3] * v[i * 6 + 3] + v[i * 6 + 4] * v[i * 6 + 4] + v[i * 6 + 5] * v[i * 6 + 5]);
                assertThat(nn).as("%s normal length", kind).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
            // Sizes follow Shape: box spans ±0.5 (full extents), cylinder radius 1 and z ±0.5, sphere radius 1.
            double[] expected = switch (kind) { case BOX -> new double[] {0.5, 0.5}; case CYLINDER -> new double[] {1, 0.5}; case SPHERE -> new double[] {1, 1}; };
            assertThat(maxX).as("%s x extent", kind).isCloseTo(expected[0], org.assertj.core.data.Offset.offset(1e-6));
            assertThat(maxZ).as("%s z extent", kind).isCloseTo(expected[1], org.assertj.core.data.Offset.offset(1e-6));
            int checked = 0;
            for (int t = 0; t < idx.length; t += 3) {
                double[] a = p(v, idx[t]), b = p(v, idx[t + 1]), c = p(v, idx[t + 2]);
                double[] n = cross(sub(b, a), sub(c, a));
                double area = Math.sqrt(dot(n, n));
                if (area < 1e-9) continue; // degenerate sliver at a sphere pole
                double[] centre = {(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3, (a[2] + b[2] + c[2]) / 3};
                assertThat(dot(n, centre)).as("%s triangle %d faces outward", kind, t / 3).isPositive();
                double[] vn = {v[idx[t] * 6 + 3], v[idx[t] * 6 + 4], v[idx[t] * 6 + 5]};
                assertThat(dot(n, vn)).as("%s triangle %d agrees with its normals", kind, t / 3).isPositive();
                checked++;
            }
            assertThat(checked).isGreaterThanOrEqualTo(12);
        }
    }

    static double[] p(float[] v, int i) { return new double[] {v[i * 6], v[i * 6 + 1], v[i * 6 + 2]}; }
    static double[] sub(double[] a, double[] b) { return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
    static double dot(double[] a, double[] b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
