package dev.wmpc.bridge.safety;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs a warning per kind at most once per interval, with how many were suppressed in between. */
public final class RateLimitedWarning {
    private final Logger log;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, long[]> state = new ConcurrentHashMap<>(); // [last time, suppressed]
    private final AtomicLong total = new AtomicLong();

    public RateLimitedWarning(Logger log, double intervalSeconds) {
        this.log = log;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    public void warn(String kind, String message) {
        total.incrementAndGet();
        long now = System.nanoTime();
        long[] s = state.computeIfAbsent(kind, k -> new long[] {now - intervalNanos - 1, 0});
        synchronized (s) {
            if (now - s[0] > intervalNanos) {
                log.warn("{}{}", message, s[1] > 0 ? " (" + s[1] + " more like it suppressed)" : "");
                s[0] = now;
                s[1] = 0;
            } else {
                s[1]++;
            }
        }
    }

    /** Warnings asked for so far, logged or not. */
    public long count() { return total.get(); }
}
