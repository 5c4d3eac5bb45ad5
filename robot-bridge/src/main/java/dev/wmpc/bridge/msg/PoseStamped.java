package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;

/** geometry_msgs/PoseStamped: a position (geometry_msgs/Point) and orientation (geometry_msgs/Quaternion) in a frame. */
public record PoseStamped(Header header, Vec3 position, Quat orientation) {
    /** Fewest bytes one takes in CDR: stamp, an empty frame id, seven doubles. */
    static final int MIN_BYTES = 8 + 4 + 7 * 8;

    public static final MessageType<PoseStamped> TYPE = new MessageType<>() {
        @Override public String rosName() { return "geometry_msgs/msg/PoseStamped"; }
        @Override public int maxSerializedSize() { return 4096; }
        @Override public void write(PoseStamped m, CdrWriter w) { m.write(w); }
        @Override public PoseStamped read(CdrReader r) { return PoseStamped.read(r); }
    };

    void write(CdrWriter w) {
        header.write(w);
        Vector3.write(position, w); // geometry_msgs/Point has Vector3's layout
        w.writeFloat64(orientation.x());
        w.writeFloat64(orientation.y());
        w.writeFloat64(orientation.z());
        w.writeFloat64(orientation.w());
    }

    static PoseStamped read(CdrReader r) {
        return new PoseStamped(Header.read(r), Vector3.read(r), new Quat(r.readFloat64(), r.readFloat64(), r.readFloat64(), r.readFloat64()));
    }
}
