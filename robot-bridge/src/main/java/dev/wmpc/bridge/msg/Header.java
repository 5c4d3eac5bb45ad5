package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;

/** std_msgs/Header. */
public record Header(Time stamp, String frameId) {
    public static Header at(double seconds, String frameId) { return new Header(Time.ofSeconds(seconds), frameId); }

    void write(CdrWriter w) { stamp.write(w); w.writeString(frameId); }

    static Header read(CdrReader r) { return new Header(Time.read(r), r.readString()); }
}
