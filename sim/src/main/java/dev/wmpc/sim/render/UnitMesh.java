package dev.wmpc.sim.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A unit solid as triangles: interleaved position + normal (6 floats a vertex) and counter-clockwise indices seen
 * from outside. Scaling by a {@link Shape}'s size gives the shape: the box spans ±0.5 (so its scale is the full
 * extents), the cylinder has radius 1 and spans z ∈ ±0.5, the sphere has radius 1.
 */
record UnitMesh(float[] vertices, int[] indices) {
    static final int FLOATS_PER_VERTEX = 6;

    static UnitMesh of(Shape.Kind kind) {
        return switch (kind) {
            case BOX -> box();
            case CYLINDER -> cylinder(32);
            case SPHERE -> sphere(32, 16);
        };
    }

    static UnitMesh box() {
        Builder b = new Builder();
        // For each face: its normal and two in-plane axes (u × v = normal), so corners run counter-clockwise.
        double[][][] faces = {
                {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {{-1, 0, 0}, {0, 0, 1}, {0, 1, 0}},
                {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}}, {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}},
                {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}, {{0, 0, -1}, {0, 1, 0}, {1, 0, 0}}};
        for (double[][] f : faces) {
            double[] n = f[0], u = f[1], v = f[2];
            int base = b.vertexCount();
            double[][] corners = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
            for (double[] c : corners)
                b.vertex(0.5 * (n[0] + c[0] * u[0] + c[1] * v[0]), 0.5 * (n[1] + c[0] * u[1] + c[1] * v[1]),
                        0.5 * (n[2] + c[0] * u[2] + c[1] * v[2]), n[0], n[1], n[2]);
            b.quad(base, base + 1, base + 2, base + 3);
        }
        return b.build();
    }

    static UnitMesh cylinder(int segments) {
        Builder b = new Builder();
        // Side: a ring of vertices at the bottom and top with radial normals.
        int side = b.vertexCount();
        for (int i = 0; i <= segments; i++) {
            double a = 2 * Math.PI * i / segments, c = Math.cos(a), s = Math.sin(a);
            b.vertex(c, s, -0.5, c, s, 0);
            b.vertex(c, s, 0.5, c, s, 0);
        }
        for (int i = 0; i < segments; i++) {
            int k = side + 2 * i;
            b.quad(k, k + 2, k + 3, k + 1);
        }
        // Caps: a fan around a centre vertex, flat normals.
        for (int sign : new int[] {1, -1}) {
            int centre = b.vertexCount();
            b.vertex(0, 0, 0.5 * sign, 0, 0, sign);
            for (int i = 0; i <= segments; i++) {
                double a = 2 * Math.PI * i / segments;
                b.vertex(Math.cos(a), Math.sin(a), 0.5 * sign, 0, 0, sign);
            }
            for (int i = 0; i < segments; i++) {
                if (sign > 0) b.triangle(centre, centre + 1 + i, centre + 2 + i);
                else b.triangle(centre, centre + 2 + i, centre + 1 + i);
            }
        }
        return b.build();
    }

    static UnitMesh sphere(int slices, int stacks) {
        Builder b = new Builder();
        for (int j = 0; j <= stacks; j++) {
            double polar = Math.PI * j / stacks, z = Math.cos(polar), r = Math.sin(polar);
            for (int i = 0; i <= slices; i++) {
                double a = 2 * Math.PI * i / slices, x = r * Math.cos(a), y = r * Math.sin(a);
                b.vertex(x, y, z, x, y, z);
            }
        }
        int row = slices + 1;
        for (int j = 0; j < stacks; j++)
            for (int i = 0; i < slices; i++) {
                int k = j * row + i;
                // Row j is above row j + 1 (z falls with j); counter-clockwise seen from outside.
                b.quad(k + row, k + row + 1, k + 1, k);
            }
        return b.build();
    }

    int vertexCount() { return vertices.length / FLOATS_PER_VERTEX; }

    private static final class Builder {
        private final List<float[]> vertices = new ArrayList<>();
        private final List<Integer> indices = new ArrayList<>();

        int vertexCount() { return vertices.size(); }

        void vertex(double x, double y, double z, double nx, double ny, double nz) {
            vertices.add(new float[] {(float) x, (float) y, (float) z, (float) nx, (float) ny, (float) nz});
        }

        void triangle(int a, int b, int c) { indices.add(a); indices.add(b); indices.add(c); }

        void quad(int a, int b, int c, int d) { triangle(a, b, c); triangle(a, c, d); }

        UnitMesh build() {
            float[] v = new float[vertices.size() * FLOATS_PER_VERTEX];
            for (int i = 0; i < vertices.size(); i++) System.arraycopy(vertices.get(i), 0, v, i * FLOATS_PER_VERTEX, FLOATS_PER_VERTEX);
            return new UnitMesh(v, indices.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
