package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import java.util.List;

/**
 * nav_msgs/Path: poses in order (rviz2's Path display draws the line through them). Named apart from
 * {@code java.nio.file.Path}.
 */
public record NavPath(Header header, List<PoseStamped> poses) {
    public NavPath { poses = List.copyOf(poses); }

    public static final MessageType<NavPath> TYPE = new MessageType<>() {
        @Override public String rosName() { return "nav_msgs/msg/Path"; }
        @Override public int maxSerializedSize() { return 1024 * 1024; }
        @Override public void write(NavPath m, CdrWriter w) {
            m.header.write(w);
            w.writeSequence(m.poses, PoseStamped::write);
        }
        @Override public NavPath read(CdrReader r) {
            return new NavPath(Header.read(r), r.readSequence(PoseStamped.MIN_BYTES, PoseStamped::read));
        }
    };
}
