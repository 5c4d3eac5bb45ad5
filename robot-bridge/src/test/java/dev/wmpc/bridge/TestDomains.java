package dev.wmpc.bridge;

import java.util.concurrent.atomic.AtomicInteger;

/** DDS domain ids for tests: distinct per JVM and per call, so parallel builds on one machine do not cross-talk. */
public final class TestDomains {
    private static final AtomicInteger next = new AtomicInteger((int) (ProcessHandle.current().pid() % 20) * 10 + 20);

    private TestDomains() {}

    public static int next() { return 20 + (next.getAndIncrement() - 20) % 200; }
}
