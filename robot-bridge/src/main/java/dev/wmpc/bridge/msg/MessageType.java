package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.bridge.cdr.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ROS 2 message type: its names on the wire and its CDR codec, independent of any DDS client library.
 * Serialized form = 4-byte encapsulation header (CDR little endian) + CDR body, as rmw implementations send it.
 */
public interface MessageType<T> {
    /** ROS interface name, e.g. {@code sensor_msgs/msg/Image}. */
    String rosName();

    /** Upper bound on the serialized size in bytes (header included); larger messages are refused. */
    int maxSerializedSize();

    void write(T message, CdrWriter out);

    T read(CdrReader in);

    /** The DDS type name ROS 2 uses: {@code sensor_msgs::msg::dds_::Image_}. */
    default String ddsTypeName() {
        String[] p = rosName().split("/");
        return p[0] + "::" + p[1] + "::dds_::" + p[2] + "_";
    }

    /** Writes header + body at the buffer's position (and moves it past them); returns the bytes written. */
    default int encode(T message, ByteBuffer buf) {
        if (buf.remaining() < 4) throw new IllegalArgumentException("buffer too small for a " + rosName());
        buf.put((byte) 0).put((byte) 1).put((byte) 0).put((byte) 0); // CDR_LE, no options
        CdrWriter w = new CdrWriter(buf.slice());
        write(message, w);
        buf.position(buf.position() + w.size());
        return 4 + w.size();
    }

    /** Encodes into a new array (tests, tools). */
    default byte[] encode(T message) {
        ByteBuffer buf = ByteBuffer.allocate(maxSerializedSize());
        int n = encode(message, buf);
        byte[] out = new byte[n];
        buf.flip();
        buf.get(out);
        return out;
    }

    /** Decodes header + body from the buffer's position to its limit. */
    default T decode(ByteBuffer buf) {
        if (buf.remaining() < 4) throw new MalformedMessageException(rosName() + " message of " + buf.remaining() + " bytes has no CDR header");
        int scheme = ((buf.get() & 0xff) << 8) | (buf.get() & 0xff);
        buf.get();
        buf.get();
        ByteOrder order;
        int maxAlign;
        switch (scheme) {
            case 0x0000 -> { order = ByteOrder.BIG_ENDIAN; maxAlign = 8; }
            case 0x0001 -> { order = ByteOrder.LITTLE_ENDIAN; maxAlign = 8; }
            case 0x0006 -> { order = ByteOrder.BIG_ENDIAN; maxAlign = 4; }
            case 0x0007 -> { order = ByteOrder.LITTLE_ENDIAN; maxAlign = 4; }
            default -> throw new MalformedMessageException(rosName() + " uses CDR representation 0x"
                    + Integer.toHexString(scheme) + ": only plain CDR (XCDR1/XCDR2 final types) is supported");
        }
        return read(new CdrReader(buf.slice(), order, maxAlign));
    }

    default T decode(byte[] bytes) { return decode(ByteBuffer.wrap(bytes)); }
}
