package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;

/** std_msgs/Bool. */
public record Bool(boolean data) {
    public static final MessageType<Bool> TYPE = new MessageType<>() {
        @Override public String rosName() { return "std_msgs/msg/Bool"; }
        @Override public int maxSerializedSize() { return 64; }
        @Override public void write(Bool m, CdrWriter w) { w.writeBool(m.data); }
        @Override public Bool read(CdrReader r) { return new Bool(r.readBool()); }
    };
}
