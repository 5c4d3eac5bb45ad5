package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.bridge.cdr.MalformedMessageException;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;

/** sensor_msgs/Image. Unlike the library's prebuilt type this one holds full frames (bound set by {@link #type(int)}). */
public record Image(Header header, int height, int width, String encoding, boolean bigEndian, int step, byte[] data) {
    /** Room for one 1920x1080 RGBA frame plus header. */
    public static final int DEFAULT_MAX_BYTES = 1920 * 1080 * 4 + 4096;
    public static final MessageType<Image> TYPE = type(DEFAULT_MAX_BYTES);

    /** The Image type with its own size bound (bytes of serialized message, header included). */
    public static MessageType<Image> type(int maxBytes) {
        return new MessageType<>() {
            @Override public String rosName() { return "sensor_msgs/msg/Image"; }
            @Override public int maxSerializedSize() { return maxBytes; }
            @Override public void write(Image m, CdrWriter w) {
                m.header.write(w);
                w.writeInt32(m.height);
                w.writeInt32(m.width);
                w.writeString(m.encoding);
                w.writeOctet((byte) (m.bigEndian ? 1 : 0));
                w.writeInt32(m.step);
                w.writeOctets(m.data);
            }
            @Override public Image read(CdrReader r) {
                Header h = Header.read(r);
                int height = r.readInt32(), width = r.readInt32();
                String enc = r.readString();
                boolean be = r.readOctet() != 0;
                int step = r.readInt32();
                return new Image(h, height, width, enc, be, step, r.readOctets());
            }
        };
    }

    public static Image of(CameraFrame f, Header header) {
        return new Image(header, f.height(), f.width(), f.encoding().rosName(), false, f.width() * f.encoding().channels(), f.data());
    }

    /**
     * This image as a camera frame. Checks what a careless publisher gets wrong: data length != step x height,
     * unknown encodings, rows shorter than width x channels. Row padding (step > width x channels) is removed.
     */
    public CameraFrame toFrame(String camera) {
        PixelEncoding enc;
        try {
            enc = PixelEncoding.fromRosName(encoding);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(e.getMessage());
        }
        if (width <= 0 || height <= 0) throw new MalformedMessageException("image size " + width + "x" + height + " is not positive");
        long row = (long) width * enc.channels();
        if (step < row) throw new MalformedMessageException("image step " + step + " is shorter than a row of " + row + " bytes (" + width + " x " + encoding + ")");
        if ((long) step * height != data.length)
            throw new MalformedMessageException("image data has " + data.length + " bytes but step x height = " + ((long) step * height));
        byte[] px = data;
        if (step != row) {
            px = new byte[(int) (row * height)];
            for (int y = 0; y < height; y++) System.arraycopy(data, y * step, px, (int) (y * row), (int) row);
        }
        return new CameraFrame(camera, width, height, enc, px, header.stamp().seconds());
    }
}
