package dev.wmpc.launch;

import java.nio.file.Path;

/** Process-wide PyTorch settings a command fixes before the engine starts, and wmpc's cache folder. */
final class Torch {
    private Torch() {}

    /**
     * PyTorch intra- and inter-op threads. Must run before the first NDArray is made. On a 2-core or busy machine one
     * thread is several times faster than the default for wmpc's small models (threads otherwise fight for cores).
     */
    static void threads(int n) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(n));
    }

    /** $XDG_CACHE_HOME/wmpc, else ~/.cache/wmpc. */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("wmpc");
    }
}
