package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;

/** builtin_interfaces/Time (and Duration, which has the same layout): seconds + nanoseconds. */
public record Time(int sec, int nanosec) {
    public static final Time ZERO = new Time(0, 0);

    public static Time ofSeconds(double seconds) {
        if (!Double.isFinite(seconds)) return ZERO;
        long ns = Math.round(seconds * 1e9);
        return new Time((int) Math.floorDiv(ns, 1_000_000_000L), (int) Math.floorMod(ns, 1_000_000_000L));
    }

    public double seconds() { return sec + Integer.toUnsignedLong(nanosec) * 1e-9; }

    void write(CdrWriter w) { w.writeInt32(sec); w.writeInt32(nanosec); }

    static Time read(CdrReader r) { return new Time(r.readInt32(), r.readInt32()); }
}
