package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;

/** sensor_msgs/Joy: gamepad axes and buttons (teleoperation input). */
public record Joy(Header header, float[] axes, int[] buttons) {
    public static final MessageType<Joy> TYPE = new MessageType<>() {
        @Override public String rosName() { return "sensor_msgs/msg/Joy"; }
        @Override public int maxSerializedSize() { return 16 * 1024; }
        @Override public void write(Joy m, CdrWriter w) {
            m.header.write(w);
            w.writeFloat32s(m.axes);
            w.writeInt32s(m.buttons);
        }
        @Override public Joy read(CdrReader r) { return new Joy(Header.read(r), r.readFloat32s(), r.readInt32s()); }
    };
}
