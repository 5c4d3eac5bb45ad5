package dev.wmpc.launch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C for a long-running node: the JVM's shutdown hook asks the node to stop, then waits (up to a grace period)
 * until the node has finished its last act (a final hold, a saved episode) and closed its resources. Open it first in
 * the try-with-resources, so it is closed last.
 */
final class CtrlC implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    CtrlC(String threadName, long graceSeconds) {
        hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threadName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once Ctrl-C (or any JVM shutdown) asked the node to stop. */
    boolean stopRequested() { return stop.get(); }

    @Override public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook is running and now returns
        }
    }
}
