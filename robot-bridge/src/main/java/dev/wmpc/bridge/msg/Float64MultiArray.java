package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.bridge.cdr.MalformedMessageException;
import java.util.ArrayList;
import java.util.List;

/** std_msgs/Float64MultiArray (ros2_control's forward command controllers, e.g. the gripper). */
public record Float64MultiArray(List<Dimension> dims, int dataOffset, double[] data) {
    public Float64MultiArray { dims = List.copyOf(dims); }

    /** std_msgs/MultiArrayDimension. */
    public record Dimension(String label, int size, int stride) {}

    public static Float64MultiArray of(double... data) { return new Float64MultiArray(List.of(), 0, data); }

    public static final MessageType<Float64MultiArray> TYPE = new MessageType<>() {
        @Override public String rosName() { return "std_msgs/msg/Float64MultiArray"; }
        @Override public int maxSerializedSize() { return 256 * 1024; }
        @Override public void write(Float64MultiArray m, CdrWriter w) {
            w.writeInt32(m.dims.size());
            for (Dimension d : m.dims) { w.writeString(d.label); w.writeInt32(d.size); w.writeInt32(d.stride); }
            w.writeInt32(m.dataOffset);
            w.writeFloat64s(m.data);
        }
        @Override public Float64MultiArray read(CdrReader r) {
            int n = r.readInt32();
            if (n < 0 || (long) n * 12 > r.remaining()) throw new MalformedMessageException("multi-array claims " + n + " dimensions, more than the message holds");
            List<Dimension> dims = new ArrayList<>(n);
            for (int i = 0; i < n; i++) dims.add(new Dimension(r.readString(), r.readInt32(), r.readInt32()));
            return new Float64MultiArray(dims, r.readInt32(), r.readFloat64s());
        }
    };
}
