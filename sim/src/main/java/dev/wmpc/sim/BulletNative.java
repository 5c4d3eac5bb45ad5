package dev.wmpc.sim;

import com.jme3.bullet.util.NativeLibrary;
import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads Libbulletjme's native library once per JVM: it ships inside the {@code SpRelease} jar as
 * {@code native/linux/x86_64/libbulletjme.so}; we copy it to a temporary file and {@link System#load} it.
 */
final class BulletNative {
    private static final String RESOURCE = "/native/linux/x86_64/libbulletjme.so";

    /** Libbulletjme logs every native object it creates at INFO through java.util.logging; keep that quiet. */
    private static final java.util.logging.Logger JME_LOG = java.util.logging.Logger.getLogger("com.jme3");
    private static final java.util.logging.Logger UTIL_LOG = java.util.logging.Logger.getLogger("jme3utilities");

    private BulletNative() {}

    /** Idempotent and thread-safe (class initialisation runs once). */
    static void load() {
        Holder.LOADED.hashCode();
    }

    private static final class Holder {
        static final Boolean LOADED = doLoad();
    }

    private static Boolean doLoad() {
        JME_LOG.setLevel(java.util.logging.Level.WARNING);
        UTIL_LOG.setLevel(java.util.logging.Level.WARNING);
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64")))
            throw new WmpcException("the simulator's physics (Bullet via Libbulletjme) is packaged for Linux x86-64 only; this is "
                    + os + " " + arch);
        try (InputStream in = BulletNative.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new WmpcException("Bullet native library " + RESOURCE + " is not on the classpath: add "
                        + "com.github.stephengold:Libbulletjme-Linux64 with classifier SpRelease");
            Path tmp = Files.createTempFile("libbulletjme", ".so");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            tmp.toFile().deleteOnExit();
            System.load(tmp.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new WmpcException("cannot unpack the Bullet native library to the temporary directory: " + e.getMessage(), e);
        }
        NativeLibrary.setStartupMessageEnabled(false);
        // Libbulletjme frees a native object after its Java object becomes unreachable, when someone calls
        // freeUnusedObjects(); that call blocks on a reference queue, so it gets its own daemon thread.
        Thread cleaner = new Thread(() -> {
            while (true) com.jme3.bullet.NativePhysicsObject.freeUnusedObjects();
        }, "bullet-native-cleaner");
        cleaner.setDaemon(true);
        cleaner.start();
        return Boolean.TRUE;
    }
}
