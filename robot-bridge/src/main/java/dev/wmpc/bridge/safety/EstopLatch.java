package dev.wmpc.bridge.safety;

/** An emergency stop that stays tripped, whatever else arrives, until someone resets it explicitly. */
public final class EstopLatch {
    private volatile boolean tripped;

    /** A std_msgs/Bool on the e-stop topic: true trips the latch; false leaves it as it is. */
    public void signal(boolean stop) { if (stop) tripped = true; }

    public void reset() { tripped = false; }

    public boolean tripped() { return tripped; }
}
