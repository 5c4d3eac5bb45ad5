package dev.wmpc.sim.render;

import static org.lwjgl.opengl.GL33C.*;

import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.PixelEncoding;
import java.nio.ByteBuffer;
import org.lwjgl.system.MemoryUtil;

/**
 * Headless {@link SceneRenderer}: OpenGL 3.3 core over EGL without a window (Mesa llvmpipe on CPU machines), drawing
 * into a framebuffer object sized per camera and reading it back as RGB8, top row first. Create it, render and
 * close it on one thread. Fails with a {@link dev.wmpc.core.WmpcException} naming the packages to install when EGL
 * cannot give a context.
 */
public final class EglSceneRenderer implements SceneRenderer {
    private final EglContext context;
    private final SceneDrawer drawer;
    private final Thread owner;
    private Framebuffer framebuffer;
    private ByteBuffer readback;
    private boolean closed;

    public EglSceneRenderer() {
        context = EglContext.create();
        owner = Thread.currentThread();
        try {
            drawer = new SceneDrawer();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Where frames are drawn, e.g. "EGL surfaceless, llvmpipe (LLVM 15.0.6, 256 bits)". */
    public String description() { return context.description(); }

    @Override public CameraFrame render(Scene scene, CameraSpec camera, double timestamp) {
        if (closed) throw new IllegalStateException("renderer is closed");
        if (Thread.currentThread() != owner)
            throw new IllegalStateException("renderer used from thread " + Thread.currentThread().getName()
                    + " but created on " + owner.getName() + ": an EGL context belongs to one thread");
        context.makeCurrent();
        int w = camera.width(), h = camera.height();
        if (framebuffer == null || framebuffer.width() != w || framebuffer.height() != h) {
            if (framebuffer != null) framebuffer.delete();
            framebuffer = Framebuffer.create(w, h);
        }
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer.id());
        drawer.draw(scene, camera, w, h);

        int rowBytes = w * 3;
        int bytes = rowBytes * h;
        if (readback == null || readback.capacity() < bytes) {
            if (readback != null) MemoryUtil.memFree(readback);
            readback = MemoryUtil.memAlloc(bytes);
        }
        readback.clear();
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, readback);
        int error = glGetError();
        if (error != GL_NO_ERROR) throw new IllegalStateException(String.format("OpenGL error 0x%04X while rendering camera '%s'", error, camera.name()));
        // OpenGL's first row is the bottom one; frames are top row first.
        byte[] data = new byte[bytes];
        for (int y = 0; y < h; y++) readback.get((h - 1 - y) * rowBytes, data, y * rowBytes, rowBytes);
        return new CameraFrame(camera.name(), w, h, PixelEncoding.RGB8, data, timestamp);
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        try {
            context.makeCurrent();
            if (framebuffer != null) framebuffer.delete();
            drawer.close();
        } catch (RuntimeException ignored) {
            // The context could not be made current (other thread): destroying it below frees its objects anyway.
        } finally {
            if (readback != null) MemoryUtil.memFree(readback);
            readback = null;
            context.close();
        }
    }

    /** An off-screen target: RGBA8 colour and 24-bit depth renderbuffers. */
    private record Framebuffer(int id, int color, int depth, int width, int height) {
        static Framebuffer create(int w, int h) {
            int color = glGenRenderbuffers();
            glBindRenderbuffer(GL_RENDERBUFFER, color);
            glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
            int depth = glGenRenderbuffers();
            glBindRenderbuffer(GL_RENDERBUFFER, depth);
            glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
            int fbo = glGenFramebuffers();
            glBindFramebuffer(GL_FRAMEBUFFER, fbo);
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, color);
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth);
            int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
            if (status != GL_FRAMEBUFFER_COMPLETE)
                throw new IllegalStateException(String.format("framebuffer %dx%d incomplete (0x%04X)", w, h, status));
            return new Framebuffer(fbo, color, depth, w, h);
        }

        void delete() {
            glDeleteFramebuffers(id);
            glDeleteRenderbuffers(new int[] {color, depth});
        }
    }
}
