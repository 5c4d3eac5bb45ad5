package dev.wmpc.sim.render;

import static org.lwjgl.egl.EGL10.*;
import static org.lwjgl.egl.EGL12.EGL_RENDERABLE_TYPE;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_API;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_BIT;
import static org.lwjgl.egl.EGL14.eglBindAPI;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MAJOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MINOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_PROFILE_MASK;
import static org.lwjgl.system.MemoryUtil.memASCIISafe;
import static org.lwjgl.system.MemoryUtil.memAddress;

import dev.wmpc.core.WmpcException;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GL11C;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.FunctionProvider;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;

/**
 * A headless OpenGL 3.3 core context over EGL with no surface (render into framebuffer objects). Not thread-safe:
 * use it from one thread at a time.
 */
final class EglContext implements AutoCloseable {
    static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;
    static final int EGL_PLATFORM_DEVICE_EXT = 0x313F;
    static final String PLATFORM_ENV = "WMPC_EGL_PLATFORM";
    static final String PACKAGES = "libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1";

    private final long display;
    private final long context;
    private final GLCapabilities capabilities;
    private final String description;
    private boolean closed;

    private EglContext(long display, long context, GLCapabilities capabilities, String description) {
        this.display = display;
        this.context = context;
        this.capabilities = capabilities;
        this.description = description;
    }

    /**
     * Opens a context and makes it current on this thread; fails with the packages to install. Display order: a
     * hardware EGL device (NVIDIA's EGL or a Mesa GPU driver, through EGL_EXT_platform_device), then Mesa's
     * surfaceless platform (llvmpipe on CPU machines), then the default display. The environment variable
     * {@value #PLATFORM_ENV} = {@code device}, {@code surfaceless} or {@code default} picks one platform only
     * (e.g. {@code surfaceless} for CPU frames identical to CI's on a GPU machine).
     */
    static EglContext create() {
        return create(System.getenv(PLATFORM_ENV));
    }

    static EglContext create(String only) {
        if (only != null && !only.isBlank() && !List.of("device", "surfaceless", "default").contains(only))
            throw new WmpcException(PLATFORM_ENV + "=" + only + " is not a known EGL platform: use device, surfaceless or default");
        boolean any = only == null || only.isBlank();
        String clientExtensions;
        try {
            EGL.getCapabilities();
            clientExtensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
        } catch (Throwable e) {
            throw unavailable("cannot load libEGL.so.1 (" + e + ")", e);
        }
        String ext = clientExtensions == null ? "" : " " + clientExtensions + " ";
        List<String> failures = new ArrayList<>();
        if (any || only.equals("device")) {
            if (ext.contains(" EGL_EXT_platform_device ") && ext.contains(" EGL_EXT_device_enumeration ")) {
                for (long device : hardwareDevices(ext.contains(" EGL_EXT_device_query "))) {
                    EglContext c = tryDisplay(platformDisplay(EGL_PLATFORM_DEVICE_EXT, device), "EGL device", failures);
                    if (c != null) return c;
                }
                if (!any && failures.isEmpty()) failures.add("EGL device: no hardware EGL device found");
            } else if (!any) {
                failures.add("EGL device: EGL_EXT_platform_device is not offered");
            }
        }
        if (any || only.equals("surfaceless")) {
            if (ext.contains(" EGL_MESA_platform_surfaceless ")) {
                EglContext c = tryDisplay(platformDisplay(EGL_PLATFORM_SURFACELESS_MESA, 0L), "EGL surfaceless", failures);
                if (c != null) return c;
            } else {
                failures.add("EGL surfaceless: EGL_MESA_platform_surfaceless is not offered");
            }
        }
        if (any || only.equals("default")) {
            EglContext c = tryDisplay(eglGetDisplay(0L) /* EGL_DEFAULT_DISPLAY */, "EGL default display", failures);
            if (c != null) return c;
        }
        throw unavailable(String.join("; ", failures), null);
    }

    /** EGL devices that are not software renderers (Mesa lists llvmpipe as a device with EGL_MESA_device_software). */
    private static List<Long> hardwareDevices(boolean canQuery) {
        FunctionProvider functions = EGL.getFunctionProvider();
        long queryDevices = functions.getFunctionAddress("eglQueryDevicesEXT");
        long queryString = canQuery ? functions.getFunctionAddress("eglQueryDeviceStringEXT") : 0L;
        if (queryDevices == 0L) return List.of();
        List<Long> out = new ArrayList<>();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer devices = stack.mallocPointer(16);
            IntBuffer count = stack.mallocInt(1);
            if (JNI.callPPI(devices.capacity(), memAddress(devices), memAddress(count), queryDevices) == 0) return List.of();
            for (int i = 0; i < count.get(0); i++) {
                long device = devices.get(i);
                String extensions = queryString == 0L ? null : memASCIISafe(JNI.callPP(device, EGL_EXTENSIONS, queryString));
                if (extensions != null && extensions.contains("EGL_MESA_device_software")) continue;
                out.add(device);
            }
        }
        return out;
    }

    /**
     * eglGetPlatformDisplay (EGL 1.5) or eglGetPlatformDisplayEXT, whichever the library has. LWJGL's client
     * capabilities do not load these entry points, so they are looked up by name.
     */
    private static long platformDisplay(int platform, long nativeDisplay) {
        FunctionProvider functions = EGL.getFunctionProvider();
        long fn = functions.getFunctionAddress("eglGetPlatformDisplay");
        if (fn == 0L) fn = functions.getFunctionAddress("eglGetPlatformDisplayEXT");
        if (fn == 0L) return EGL_NO_DISPLAY;
        // EGL 1.5 takes EGLAttrib (pointer-sized) attributes and the EXT form EGLint ones; null means none for both.
        return JNI.callPPP(platform, nativeDisplay, 0L, fn);
    }

    private static EglContext tryDisplay(long dpy, String name, List<String> failures) {
        if (dpy == EGL_NO_DISPLAY) {
            failures.add(name + ": no display (" + errorName(eglGetError()) + ")");
            return null;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            if (!eglInitialize(dpy, stack.mallocInt(1), stack.mallocInt(1))) {
                failures.add(name + ": eglInitialize failed (" + errorName(eglGetError()) + ")");
                return null;
            }
            if (!eglBindAPI(EGL_OPENGL_API)) {
                failures.add(name + ": desktop OpenGL API not available (" + errorName(eglGetError()) + ")");
                return null;
            }
            PointerBuffer configs = stack.mallocPointer(1);
            var count = stack.mallocInt(1);
            int[] configAttribs = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE, 0, EGL_NONE};
            if (!eglChooseConfig(dpy, stack.ints(configAttribs), configs, count) || count.get(0) == 0) {
                failures.add(name + ": no OpenGL config (" + errorName(eglGetError()) + ")");
                return null;
            }
            int[] contextAttribs = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                    EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
            long ctx = eglCreateContext(dpy, configs.get(0), EGL_NO_CONTEXT, stack.ints(contextAttribs));
            if (ctx == EGL_NO_CONTEXT) {
                failures.add(name + ": cannot create an OpenGL 3.3 core context (" + errorName(eglGetError()) + ")");
                return null;
            }
            if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
                failures.add(name + ": cannot make the context current without a surface (" + errorName(eglGetError()) + ")");
                eglDestroyContext(dpy, ctx);
                return null;
            }
            GLCapabilities caps;
            try {
                caps = SceneDrawer.loadFunctions();
            } catch (RuntimeException | LinkageError e) {
                failures.add(name + ": cannot load OpenGL functions (" + e.getMessage() + ")");
                eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
                eglDestroyContext(dpy, ctx);
                return null;
            }
            String renderer = GL11C.glGetString(GL11C.GL_RENDERER);
            return new EglContext(dpy, ctx, caps, name + ", " + renderer);
        }
    }

    /** Makes this context current on the calling thread and points LWJGL's GL calls at it. */
    void makeCurrent() {
        if (closed) throw new IllegalStateException("EGL context is closed");
        if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context))
            throw new IllegalStateException("cannot make the EGL context current on thread " + Thread.currentThread().getName()
                    + " (" + errorName(eglGetError()) + "): use a renderer from the thread that created it");
        GL.setCapabilities(capabilities);
    }

    /** The platform and the OpenGL renderer string, e.g. "EGL surfaceless, llvmpipe (LLVM 15.0.6, 256 bits)". */
    String description() { return description; }

    /**
     * Releases and destroys the context. The display stays initialised: EGL displays are shared process-wide, and
     * terminating one would break other renderers still using it.
     */
    @Override public void close() {
        if (closed) return;
        closed = true;
        GL.setCapabilities(null);
        eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(display, context);
    }

    private static WmpcException unavailable(String cause, Throwable e) {
        return new WmpcException("EGL rendering is not available: " + cause
                + ". Install the Mesa EGL packages (Debian/Ubuntu: sudo apt-get install " + PACKAGES + ")", e);
    }

    static String errorName(int code) {
        return switch (code) {
            case EGL_SUCCESS -> "EGL_SUCCESS";
            case EGL_NOT_INITIALIZED -> "EGL_NOT_INITIALIZED";
            case EGL_BAD_ACCESS -> "EGL_BAD_ACCESS";
            case EGL_BAD_ALLOC -> "EGL_BAD_ALLOC";
            case EGL_BAD_ATTRIBUTE -> "EGL_BAD_ATTRIBUTE";
            case EGL_BAD_CONFIG -> "EGL_BAD_CONFIG";
            case EGL_BAD_CONTEXT -> "EGL_BAD_CONTEXT";
            case EGL_BAD_DISPLAY -> "EGL_BAD_DISPLAY";
            case EGL_BAD_MATCH -> "EGL_BAD_MATCH";
            case EGL_BAD_PARAMETER -> "EGL_BAD_PARAMETER";
            case EGL_BAD_SURFACE -> "EGL_BAD_SURFACE";
            default -> String.format("EGL error 0x%04X", code);
        };
    }
}
