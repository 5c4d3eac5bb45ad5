package dev.wmpc.sim.render;

import static org.lwjgl.opengl.GL33C.*;

import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import java.nio.FloatBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryUtil;

/**
 * Draws a {@link Scene} into the framebuffer bound in the current OpenGL 3.3 core context: one shading program
 * (ambient + Lambert diffuse from the scene's light), the three unit meshes uploaded once, and per frame only
 * each shape's pose, size and colour (instanced, one draw call per kind of solid). Both the headless renderer and
 * the window viewer draw through this class. Create, use and close it with its context current.
 */
public final class SceneDrawer implements AutoCloseable {
    /** Share of a colour lit by the ambient term; the rest comes from the diffuse term. */
    static final float AMBIENT = 0.35f;
    /** Floats per instance: position (3), orientation quaternion (4), size (3), colour (3). */
    private static final int INSTANCE_FLOATS = 13;

    private static final String VERTEX_SHADER = """
            #version 330 core
            layout(location = 0) in vec3 aPosition;
            layout(location = 1) in vec3 aNormal;
            layout(location = 2) in vec3 iPosition;
            layout(location = 3) in vec4 iOrientation;
            layout(location = 4) in vec3 iSize;
            layout(location = 5) in vec3 iColor;
            uniform mat4 uViewProjection;
            out vec3 vNormal;
            out vec3 vColor;
            vec3 rotate(vec4 q, vec3 v) {
                vec3 t = 2.0 * cross(q.xyz, v);
                return v + q.w * t + cross(q.xyz, t);
            }
            void main() {
                vec3 world = iPosition + rotate(iOrientation, iSize * aPosition);
                vNormal = rotate(iOrientation, aNormal / iSize);
                vColor = iColor;
                gl_Position = uViewProjection * vec4(world, 1.0);
            }
            """;

    private static final String FRAGMENT_SHADER = """
            #version 330 core
            in vec3 vNormal;
            in vec3 vColor;
            uniform vec3 uToLight;
            uniform float uAmbient;
            out vec4 fragColor;
            void main() {
                float diffuse = max(dot(normalize(vNormal), uToLight), 0.0);
                fragColor = vec4(vColor * (uAmbient + (1.0 - uAmbient) * diffuse), 1.0);
            }
            """;

    private final int program;
    private final int viewProjectionLocation;
    private final int toLightLocation;
    private final int ambientLocation;
    private final Map<Shape.Kind, MeshBuffers> meshes = new EnumMap<>(Shape.Kind.class);
    private FloatBuffer instances = MemoryUtil.memAllocFloat(64 * INSTANCE_FLOATS);
    private final float[] viewProjection = new float[16];
    private boolean closed;

    /**
     * Loads the OpenGL entry points of the context current on this thread and makes them the thread's current GL
     * functions. Entry points come through eglGetProcAddress (LWJGL's EGL context API), which serves the headless
     * EGL contexts and, through libglvnd, window contexts too; the choice must be made before LWJGL's GL class
     * loads, so every context in wmpc is set up through this method.
     */
    public static GLCapabilities loadFunctions() {
        if (Configuration.OPENGL_CONTEXT_API.get() == null) Configuration.OPENGL_CONTEXT_API.set("EGL");
        return GL.createCapabilities();
    }

    /** Compiles the program and uploads the unit meshes into the current context. */
    public SceneDrawer() {
        program = link(compile(GL_VERTEX_SHADER, VERTEX_SHADER), compile(GL_FRAGMENT_SHADER, FRAGMENT_SHADER));
        viewProjectionLocation = glGetUniformLocation(program, "uViewProjection");
        toLightLocation = glGetUniformLocation(program, "uToLight");
        ambientLocation = glGetUniformLocation(program, "uAmbient");
        for (Shape.Kind kind : Shape.Kind.values()) meshes.put(kind, MeshBuffers.upload(UnitMesh.of(kind)));
    }

    /**
     * Clears the bound framebuffer to the scene's background and draws every shape as {@code camera} sees it, into
     * a viewport of {@code width × height} pixels (the camera's own size is not used, so a window can be resized).
     */
    public void draw(Scene scene, CameraSpec camera, int width, int height) {
        if (closed) throw new IllegalStateException("scene drawer is closed");
        glViewport(0, 0, width, height);
        Shape.Color bg = scene.background();
        glClearColor(bg.r(), bg.g(), bg.b(), 1f);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
        glEnable(GL_CULL_FACE);
        glCullFace(GL_BACK);
        glDisable(GL_BLEND);
        glDisable(GL_DITHER);

        glUseProgram(program);
        float[] vp = CameraMatrices.viewProjection(camera, width, height);
        System.arraycopy(vp, 0, viewProjection, 0, 16);
        glUniformMatrix4fv(viewProjectionLocation, false, viewProjection);
        Vec3 toLight = scene.lightDirection().times(-1).normalized();
        glUniform3f(toLightLocation, (float) toLight.x(), (float) toLight.y(), (float) toLight.z());
        glUniform1f(ambientLocation, AMBIENT);

        List<Shape> shapes = scene.shapes();
        for (Shape.Kind kind : Shape.Kind.values()) {
            int count = 0;
            instances.clear();
            for (Shape s : shapes) {
                if (s.kind() != kind) continue;
                if (instances.remaining() < INSTANCE_FLOATS) grow();
                putInstance(s);
                count++;
            }
            if (count == 0) continue;
            instances.flip();
            meshes.get(kind).drawInstanced(instances, count);
        }
        glBindVertexArray(0);
    }

    private void putInstance(Shape s) {
        Vec3 p = s.position();
        Quat q = s.orientation();
        double n = Math.sqrt(q.x() * q.x() + q.y() * q.y() + q.z() * q.z() + q.w() * q.w());
        if (!(n > 0) || !Double.isFinite(n)) { q = Quat.IDENTITY; n = 1; }
        Vec3 size = s.size();
        Shape.Color c = s.color();
        instances.put((float) p.x()).put((float) p.y()).put((float) p.z())
                .put((float) (q.x() / n)).put((float) (q.y() / n)).put((float) (q.z() / n)).put((float) (q.w() / n))
                .put(positive(size.x())).put(positive(size.y())).put(positive(size.z()))
                .put(c.r()).put(c.g()).put(c.b());
    }

    /** A size the shader can divide by: degenerate (zero) sizes draw as a sliver rather than NaNs. */
    private static float positive(double v) {
        double a = Math.abs(v);
        return (float) (a > 1e-6 ? a : 1e-6);
    }

    private void grow() {
        FloatBuffer bigger = MemoryUtil.memAllocFloat(instances.capacity() * 2);
        instances.flip();
        bigger.put(instances);
        MemoryUtil.memFree(instances);
        instances = bigger;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        for (MeshBuffers m : meshes.values()) m.delete();
        glDeleteProgram(program);
        MemoryUtil.memFree(instances);
        instances = null;
    }

    private static int compile(int type, String source) {
        int shader = glCreateShader(type);
        glShaderSource(shader, source);
        glCompileShader(shader);
        if (glGetShaderi(shader, GL_COMPILE_STATUS) == GL_FALSE) {
            String log = glGetShaderInfoLog(shader);
            glDeleteShader(shader);
            throw new IllegalStateException("scene shader failed to compile: " + log);
        }
        return shader;
    }

    private static int link(int vertex, int fragment) {
        int p = glCreateProgram();
        glAttachShader(p, vertex);
        glAttachShader(p, fragment);
        glLinkProgram(p);
        glDeleteShader(vertex);
        glDeleteShader(fragment);
        if (glGetProgrami(p, GL_LINK_STATUS) == GL_FALSE) {
            String log = glGetProgramInfoLog(p);
            glDeleteProgram(p);
            throw new IllegalStateException("scene shader failed to link: " + log);
        }
        return p;
    }

    /** One unit mesh on the GPU: vertex array, vertex + index buffers, and a per-instance buffer refilled per frame. */
    private record MeshBuffers(int vao, int vertexBuffer, int indexBuffer, int instanceBuffer, int indexCount) {
        static MeshBuffers upload(UnitMesh mesh) {
            int vao = glGenVertexArrays();
            glBindVertexArray(vao);
            int vbo = glGenBuffers();
            glBindBuffer(GL_ARRAY_BUFFER, vbo);
            glBufferData(GL_ARRAY_BUFFER, mesh.vertices(), GL_STATIC_DRAW);
            int stride = UnitMesh.FLOATS_PER_VERTEX * Float.BYTES;
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 3, GL_FLOAT, false, stride, 0);
            glEnableVertexAttribArray(1);
            glVertexAttribPointer(1, 3, GL_FLOAT, false, stride, 3L * Float.BYTES);
            int ibo = glGenBuffers();
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ibo);
            glBufferData(GL_ELEMENT_ARRAY_BUFFER, mesh.indices(), GL_STATIC_DRAW);

            int instanceBuffer = glGenBuffers();
            glBindBuffer(GL_ARRAY_BUFFER, instanceBuffer);
            int istride = INSTANCE_FLOATS * Float.BYTES;
            int[][] attributes = {{2, 3, 0}, {3, 4, 3}, {4, 3, 7}, {5, 3, 10}};
            for (int[] a : attributes) {
                glEnableVertexAttribArray(a[0]);
                glVertexAttribPointer(a[0], a[1], GL_FLOAT, false, istride, (long) a[2] * Float.BYTES);
                glVertexAttribDivisor(a[0], 1);
            }
            glBindVertexArray(0);
            return new MeshBuffers(vao, vbo, ibo, instanceBuffer, mesh.indices().length);
        }

        void drawInstanced(FloatBuffer data, int count) {
            glBindVertexArray(vao);
            glBindBuffer(GL_ARRAY_BUFFER, instanceBuffer);
            glBufferData(GL_ARRAY_BUFFER, data, GL_STREAM_DRAW);
            glDrawElementsInstanced(GL_TRIANGLES, indexCount, GL_UNSIGNED_INT, 0L, count);
        }

        void delete() {
            glDeleteVertexArrays(vao);
            glDeleteBuffers(new int[] {vertexBuffer, indexBuffer, instanceBuffer});
        }
    }
}
