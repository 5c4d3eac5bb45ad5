package dev.wmpc.sim.view;

import static org.lwjgl.glfw.GLFW.*;
import static org.lwjgl.opengl.GL33C.GL_FRAMEBUFFER;
import static org.lwjgl.opengl.GL33C.glBindFramebuffer;

import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Teleoperator;
import dev.wmpc.core.WmpcException;
import dev.wmpc.sim.render.Scene;
import dev.wmpc.sim.render.SceneDrawer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.lwjgl.glfw.GLFWErrorCallback;
import org.lwjgl.glfw.GLFWGamepadState;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.MemoryStack;

/**
 * A desktop window that shows the simulator (GLFW, OpenGL 3.3 core, drawn by the same {@link SceneDrawer} as the
 * headless frames) and reads keyboard or gamepad teleop. One viewer per process, used from the thread that opened
 * it (the main thread, as GLFW wants). Headless machines never need it: {@link #open} fails with a clear message
 * when there is no display.
 */
public final class SimViewer implements AutoCloseable {
    static final String NO_DISPLAY = "no display: --view needs a desktop session (DISPLAY); run without --view for headless";

    private final long window;
    private final GLCapabilities capabilities;
    private final SceneDrawer drawer;
    private final GLFWErrorCallback errorCallback;
    private final Queue<Integer> presses = new ArrayDeque<>();
    private boolean keyboardAttached;
    private boolean closed;

    private SimViewer(long window, GLCapabilities capabilities, SceneDrawer drawer, GLFWErrorCallback errorCallback) {
        this.window = window;
        this.capabilities = capabilities;
        this.drawer = drawer;
        this.errorCallback = errorCallback;
        glfwSetKeyCallback(window, (w, key, scancode, action, mods) -> {
            if (action != GLFW_PRESS) return;
            if (keyboardAttached) presses.add(key);
            else if (key == GLFW_KEY_ESCAPE) glfwSetWindowShouldClose(w, true);
        });
    }

    /**
     * Why a window cannot open in a process with this environment, if the environment already tells: neither
     * DISPLAY (X11) nor WAYLAND_DISPLAY is set.
     */
    static Optional<String> displayProblem(Map<String, String> env) {
        boolean x11 = !env.getOrDefault("DISPLAY", "").isBlank();
        boolean wayland = !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
        return x11 || wayland ? Optional.empty() : Optional.of(NO_DISPLAY);
    }

    /** Opens a window of {@code width × height} screen pixels; fails with a {@link WmpcException} without a display. */
    public static SimViewer open(String title, int width, int height) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("viewer size " + width + "x" + height + " must be positive");
        displayProblem(System.getenv()).ifPresent(p -> { throw new WmpcException(p); });
        StringBuilder lastError = new StringBuilder();
        GLFWErrorCallback errors = GLFWErrorCallback.create((code, description) -> {
            lastError.setLength(0);
            lastError.append(GLFWErrorCallback.getDescription(description));
        });
        glfwSetErrorCallback(errors);
        if (!glfwInit()) {
            glfwSetErrorCallback(null);
            errors.free();
            throw new WmpcException(NO_DISPLAY + " (GLFW: " + lastError + ")");
        }
        long window = 0;
        try {
            window = createWindow(title, width, height, GLFW_EGL_CONTEXT_API);
            if (window == 0) window = createWindow(title, width, height, GLFW_NATIVE_CONTEXT_API);
            if (window == 0) throw new WmpcException("cannot open an OpenGL 3.3 window: " + lastError
                    + "; check the graphics driver, or run without --view for headless");
            glfwMakeContextCurrent(window);
            glfwSwapInterval(1);
            GLCapabilities caps = SceneDrawer.loadFunctions();
            SceneDrawer drawer = new SceneDrawer();
            glfwShowWindow(window);
            return new SimViewer(window, caps, drawer, errors);
        } catch (RuntimeException e) {
            if (window != 0) glfwDestroyWindow(window);
            glfwTerminate();
            glfwSetErrorCallback(null);
            errors.free();
            throw e;
        }
    }

    private static long createWindow(String title, int width, int height, int contextApi) {
        glfwDefaultWindowHints();
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
        glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
        glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_API);
        glfwWindowHint(GLFW_CONTEXT_CREATION_API, contextApi);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
        return glfwCreateWindow(width, height, title, 0L, 0L);
    }

    /**
     * Draws the scene as {@code camera} sees it, filling the window (the camera's pixel size is ignored; the
     * window's aspect is used), shows it and handles window events. Returns false once the window was closed.
     */
    public boolean draw(Scene scene, CameraSpec camera) {
        if (closed) return false;
        if (glfwWindowShouldClose(window)) return false;
        glfwMakeContextCurrent(window);
        GL.setCapabilities(capabilities);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            var w = stack.mallocInt(1);
            var h = stack.mallocInt(1);
            glfwGetFramebufferSize(window, w, h);
            if (w.get(0) > 0 && h.get(0) > 0) {
                glBindFramebuffer(GL_FRAMEBUFFER, 0);
                drawer.draw(scene, camera, w.get(0), h.get(0));
                glfwSwapBuffers(window);
            }
        }
        glfwPollEvents();
        return !glfwWindowShouldClose(window);
    }

    /** Shows {@code title} in the window's title bar (e.g. the episode being recorded). */
    public void setTitle(String title) {
        if (!closed) glfwSetWindowTitle(window, title);
    }

    /** Handles pending window and input events without drawing. */
    public void pollEvents() {
        if (!closed) glfwPollEvents();
    }

    /** True once the person closed the window (or the viewer was closed). */
    public boolean isClosed() {
        return closed || glfwWindowShouldClose(window);
    }

    /**
     * Keyboard teleop from this window: W/S, A/D, Q/E move ±x, ±y, ±z by {@code stepMetres} per control step; space
     * toggles the gripper; Enter starts and then saves an episode, Backspace discards, R redoes, Esc quits.
     */
    public Teleoperator keyboardTeleop(double stepMetres) {
        keyboardAttached = true;
        return new KeyboardTeleop(new KeyboardTeleop.Keys() {
            @Override public boolean isDown(int key) {
                return !closed && glfwGetKey(window, key) == GLFW_PRESS;
            }

            @Override public Queue<Integer> drainPresses() {
                if (!closed) glfwPollEvents();
                Queue<Integer> out = new ArrayDeque<>(presses);
                presses.clear();
                return out;
            }
        }, stepMetres);
    }

    /**
     * Teleop from the first connected gamepad (GLFW gamepad mapping): left stick = ±x/±y, right stick vertical =
     * ±z, full deflection = {@code stepMetres} per control step; A toggles the gripper; Start starts and then saves
     * an episode, B discards, Y redoes, Back quits. Fails with a {@link WmpcException} when no gamepad is connected.
     */
    public Teleoperator gamepadTeleop(double stepMetres) {
        int jid = -1;
        for (int j = GLFW_JOYSTICK_1; j <= GLFW_JOYSTICK_LAST && jid < 0; j++)
            if (glfwJoystickIsGamepad(j)) jid = j;
        if (jid < 0) throw new WmpcException("no gamepad connected: plug one in (GLFW must recognise it as a gamepad), or use the keyboard teleop");
        int pad = jid;
        GLFWGamepadState state = GLFWGamepadState.create(); // garbage-collected buffer: nothing to free
        return new GamepadTeleop(() -> {
            float[] axes = new float[GLFW_GAMEPAD_AXIS_LAST + 1];
            boolean[] buttons = new boolean[GLFW_GAMEPAD_BUTTON_LAST + 1];
            // A pad that was unplugged reads as centred sticks and released buttons.
            if (!closed && glfwGetGamepadState(pad, state)) {
                for (int i = 0; i < axes.length; i++) axes[i] = state.axes(i);
                for (int i = 0; i < buttons.length; i++) buttons[i] = state.buttons(i) == GLFW_PRESS;
            }
            return new GamepadTeleop.PadState(axes, buttons);
        }, stepMetres);
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        glfwMakeContextCurrent(window);
        GL.setCapabilities(capabilities);
        drawer.close();
        GL.setCapabilities(null);
        glfwMakeContextCurrent(0L);
        glfwDestroyWindow(window);
        glfwTerminate();
        glfwSetErrorCallback(null);
        errorCallback.free();
    }
}
