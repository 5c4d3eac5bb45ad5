package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.core.Vec3;

/** geometry_msgs/Vector3 as a core {@link Vec3}. */
final class Vector3 {
    private Vector3() {}

    static void write(Vec3 v, CdrWriter w) { w.writeFloat64(v.x()); w.writeFloat64(v.y()); w.writeFloat64(v.z()); }

    static Vec3 read(CdrReader r) { return new Vec3(r.readFloat64(), r.readFloat64(), r.readFloat64()); }
}
