package dev.wmpc.bridge.cdr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads plain CDR (XCDR1, or XCDR2's plain form where 8-byte values align to 4) with bounds checks: a truncated
 * buffer or an impossible sequence length throws {@link MalformedMessageException}, never an unchecked buffer error.
 */
public final class CdrReader {
    private final ByteBuffer buf;
    private final int origin;
    private final int maxAlign;

    public CdrReader(ByteBuffer buf, ByteOrder order, int maxAlign) {
        this.buf = buf.order(order);
        this.origin = buf.position();
        this.maxAlign = maxAlign;
    }

    public int remaining() { return buf.remaining(); }

    private void align(int n) {
        n = Math.min(n, maxAlign);
        int pad = (n - ((buf.position() - origin) % n)) % n;
        need(pad);
        buf.position(buf.position() + pad);
    }

    private void need(long bytes) {
        if (bytes > buf.remaining())
            throw new MalformedMessageException("message is truncated: needs " + bytes + " more bytes, has " + buf.remaining());
    }

    /**
     * A sequence of structs, each read by {@code element}; its length is checked against what is left, each element
     * taking at least {@code minBytesEach} bytes.
     */
    public <T> List<T> readSequence(int minBytesEach, java.util.function.Function<CdrReader, T> element) {
        int n = length(minBytesEach);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(element.apply(this));
        return out;
    }

    private int length(int elementSize) {
        int n = readInt32();
        if (n < 0 || (long) n * elementSize > buf.remaining())
            throw new MalformedMessageException("sequence length " + Integer.toUnsignedString(n) + " exceeds the "
                    + buf.remaining() + " bytes left in the message");
        return n;
    }

    public boolean readBool() { need(1); return buf.get() != 0; }
    public byte readOctet() { need(1); return buf.get(); }
    public short readInt16() { align(2); need(2); return buf.getShort(); }
    public int readInt32() { align(4); need(4); return buf.getInt(); }
    public long readUInt32() { return Integer.toUnsignedLong(readInt32()); }
    public long readInt64() { align(8); need(8); return buf.getLong(); }
    public float readFloat32() { align(4); need(4); return buf.getFloat(); }
    public double readFloat64() { align(8); need(8); return buf.getDouble(); }

    public String readString() {
        int n = length(1);
        if (n == 0) return "";
        byte[] b = new byte[n];
        buf.get(b);
        int len = b[n - 1] == 0 ? n - 1 : n;
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    public byte[] readOctets() {
        int n = length(1);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    public double[] readFloat64s() {
        int n = readInt32();
        if (n == 0) return new double[0];
        align(8);
        if (n < 0 || (long) n * 8 > buf.remaining())
            throw new MalformedMessageException("sequence length " + Integer.toUnsignedString(n) + " exceeds the message");
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = buf.getDouble();
        return v;
    }

    public float[] readFloat32s() {
        int n = length(4);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = buf.getFloat();
        return v;
    }

    public int[] readInt32s() {
        int n = length(4);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = buf.getInt();
        return v;
    }

    public List<String> readStrings() {
        int n = length(4); // each string takes at least its 4-byte length
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(readString());
        return out;
    }
}
