package dev.wmpc.bridge.safety;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Notices when the arm's inputs go stale: no fresh camera frame or joint state within {@code timeout} seconds
 * (default two control periods). Stale means the controller must hold.
 */
public final class Watchdog {
    private final long timeoutNanos;
    private final LongSupplier clock;
    private volatile long lastImage = Long.MIN_VALUE, lastJointState = Long.MIN_VALUE;

    public Watchdog(double timeoutSeconds, LongSupplier nanoClock) {
        if (!(timeoutSeconds > 0)) throw new IllegalArgumentException("watchdog timeout must be positive, got " + timeoutSeconds);
        this.timeoutNanos = (long) (timeoutSeconds * 1e9);
        this.clock = nanoClock;
    }

    public Watchdog(double timeoutSeconds) { this(timeoutSeconds, System::nanoTime); }

    public void imageArrived() { lastImage = clock.getAsLong(); }

    public void jointStateArrived() { lastJointState = clock.getAsLong(); }

    public double timeoutSeconds() { return timeoutNanos / 1e9; }

    /** Why inputs are stale right now, or empty when both are fresh. */
    public Optional<String> staleness() {
        long now = clock.getAsLong();
        if (lastImage == Long.MIN_VALUE) return Optional.of("no camera frame received yet");
        if (lastJointState == Long.MIN_VALUE) return Optional.of("no joint state received yet");
        if (now - lastImage > timeoutNanos)
            return Optional.of(String.format("no fresh camera frame for %.3f s (timeout %.3f s)", (now - lastImage) / 1e9, timeoutSeconds()));
        if (now - lastJointState > timeoutNanos)
            return Optional.of(String.format("no fresh joint state for %.3f s (timeout %.3f s)", (now - lastJointState) / 1e9, timeoutSeconds()));
        return Optional.empty();
    }
}
