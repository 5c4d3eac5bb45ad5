package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import java.util.List;

/** sensor_msgs/JointState. */
public record JointState(Header header, List<String> names, double[] position, double[] velocity, double[] effort) {
    public JointState { names = List.copyOf(names); }

    public static final MessageType<JointState> TYPE = new MessageType<>() {
        @Override public String rosName() { return "sensor_msgs/msg/JointState"; }
        @Override public int maxSerializedSize() { return 256 * 1024; }
        @Override public void write(JointState m, CdrWriter w) {
            m.header.write(w);
            w.writeStrings(m.names);
            w.writeFloat64s(m.position);
            w.writeFloat64s(m.velocity);
            w.writeFloat64s(m.effort);
        }
        @Override public JointState read(CdrReader r) {
            return new JointState(Header.read(r), r.readStrings(), r.readFloat64s(), r.readFloat64s(), r.readFloat64s());
        }
    };
}
