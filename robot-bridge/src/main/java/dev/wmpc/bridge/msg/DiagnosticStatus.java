package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.bridge.cdr.MalformedMessageException;
import java.util.List;

/**
 * diagnostic_msgs/DiagnosticStatus: one component's state (level, name, message, hardware id) and its named values,
 * the entries of a {@link DiagnosticArray} on {@code /diagnostics}.
 */
public record DiagnosticStatus(Level level, String name, String message, String hardwareId, List<KeyValue> values) {
    public DiagnosticStatus { values = List.copyOf(values); }

    /** The status levels ROS defines (the message's byte constants OK = 0, WARN = 1, ERROR = 2, STALE = 3). */
    public enum Level {
        OK, WARN, ERROR, STALE;

        static Level of(byte b) {
            if (b < 0 || b >= values().length)
                throw new MalformedMessageException("diagnostic level " + b + " is not one of OK 0, WARN 1, ERROR 2, STALE 3");
            return values()[b];
        }
    }

    /** diagnostic_msgs/KeyValue. */
    public record KeyValue(String key, String value) {}

    /** Fewest bytes one takes in CDR: the level, three empty strings and an empty sequence (no padding). */
    static final int MIN_BYTES = 1 + 4 * 4;

    void write(CdrWriter w) {
        w.writeOctet((byte) level.ordinal());
        w.writeString(name);
        w.writeString(message);
        w.writeString(hardwareId);
        w.writeSequence(values, (kv, out) -> {
            out.writeString(kv.key);
            out.writeString(kv.value);
        });
    }

    static DiagnosticStatus read(CdrReader r) {
        Level level = Level.of(r.readOctet());
        String name = r.readString(), message = r.readString(), hardwareId = r.readString();
        // a key/value is two strings, each at least its 4-byte length
        return new DiagnosticStatus(level, name, message, hardwareId, r.readSequence(8, in -> new KeyValue(in.readString(), in.readString())));
    }
}
