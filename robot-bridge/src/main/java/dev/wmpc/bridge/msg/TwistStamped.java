package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.core.Vec3;

/** geometry_msgs/TwistStamped: linear (m/s) and angular (rad/s) velocity, MoveIt Servo's command. */
public record TwistStamped(Header header, Vec3 linear, Vec3 angular) {
    public static final MessageType<TwistStamped> TYPE = new MessageType<>() {
        @Override public String rosName() { return "geometry_msgs/msg/TwistStamped"; }
        @Override public int maxSerializedSize() { return 4096; }
        @Override public void write(TwistStamped m, CdrWriter w) {
            m.header.write(w);
            Vector3.write(m.linear, w);
            Vector3.write(m.angular, w);
        }
        @Override public TwistStamped read(CdrReader r) {
            return new TwistStamped(Header.read(r), Vector3.read(r), Vector3.read(r));
        }
    };
}
