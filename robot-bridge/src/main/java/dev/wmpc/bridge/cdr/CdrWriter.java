package dev.wmpc.bridge.cdr;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes plain little-endian CDR (XCDR1, as ROS 2 uses) into a buffer. Alignment is relative to where the body
 * starts (just after the 4-byte encapsulation header). Runs past the buffer fail with {@link IllegalArgumentException}.
 */
public final class CdrWriter {
    private final ByteBuffer buf;
    private final int origin;

    public CdrWriter(ByteBuffer buf) {
        this.buf = buf.order(ByteOrder.LITTLE_ENDIAN);
        this.origin = buf.position();
    }

    /** Bytes written so far. */
    public int size() { return buf.position() - origin; }

    private void align(int n) {
        int pad = (n - (size() % n)) % n;
        ensure(pad);
        for (int i = 0; i < pad; i++) buf.put((byte) 0);
    }

    private void ensure(int bytes) {
        if (buf.remaining() < bytes)
            throw new IllegalArgumentException("message does not fit its type's maximum size of " + (buf.capacity() - origin)
                    + " bytes: needs " + (size() + bytes) + " or more");
    }

    public void writeBool(boolean v) { ensure(1); buf.put((byte) (v ? 1 : 0)); }
    public void writeOctet(byte v) { ensure(1); buf.put(v); }
    public void writeInt16(short v) { align(2); ensure(2); buf.putShort(v); }
    public void writeInt32(int v) { align(4); ensure(4); buf.putInt(v); }
    public void writeUInt32(long v) { writeInt32((int) v); }
    public void writeInt64(long v) { align(8); ensure(8); buf.putLong(v); }
    public void writeFloat32(float v) { align(4); ensure(4); buf.putFloat(v); }
    public void writeFloat64(double v) { align(8); ensure(8); buf.putDouble(v); }

    public void writeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt32(b.length + 1);
        ensure(b.length + 1);
        buf.put(b);
        buf.put((byte) 0);
    }

    public void writeOctets(byte[] data) {
        writeInt32(data.length);
        ensure(data.length);
        try {
            buf.put(data);
        } catch (BufferOverflowException e) {
            throw new IllegalArgumentException("message does not fit its type's maximum size", e);
        }
    }

    public void writeFloat64s(double[] v) {
        writeInt32(v.length);
        if (v.length == 0) return;
        align(8);
        ensure(8 * v.length);
        for (double d : v) buf.putDouble(d);
    }

    public void writeFloat32s(float[] v) {
        writeInt32(v.length);
        ensure(4 * v.length);
        for (float f : v) buf.putFloat(f);
    }

    public void writeInt32s(int[] v) {
        writeInt32(v.length);
        ensure(4 * v.length);
        for (int i : v) buf.putInt(i);
    }

    public void writeStrings(List<String> v) {
        writeInt32(v.size());
        for (String s : v) writeString(s);
    }

    /** A sequence of structs: its length, then each element as {@code element} writes it. */
    public <T> void writeSequence(List<T> v, java.util.function.BiConsumer<T, CdrWriter> element) {
        writeInt32(v.size());
        for (T t : v) element.accept(t, this);
    }
}
