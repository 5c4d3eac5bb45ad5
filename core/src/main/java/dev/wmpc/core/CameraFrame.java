package dev.wmpc.core;

/**
 * One camera image: row-major, top row first, {@code encoding.channels()} bytes per pixel, no padding.
 * The constructor checks that the buffer fits width × height × channels, so a frame that exists is well formed.
 */
public record CameraFrame(String camera, int width, int height, PixelEncoding encoding, byte[] data, double timestamp) {
    public CameraFrame {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("camera frame '" + camera + "' has size " + width + "x" + height + ": width and height must be positive");
        long expected = (long) width * height * encoding.channels();
        if (data == null || data.length != expected)
            throw new IllegalArgumentException("camera frame '" + camera + "' has " + (data == null ? 0 : data.length) + " bytes but "
                    + width + "x" + height + " " + encoding.rosName() + " needs " + expected);
    }

    /** RGB of pixel (x, y), each 0..255, converting from this frame's encoding. */
    public int[] rgbAt(int x, int y) {
        int c = encoding.channels();
        int i = (y * width + x) * c;
        int a = data[i] & 0xff;
        return switch (encoding) {
            case RGB8, RGBA8 -> new int[] {a, data[i + 1] & 0xff, data[i + 2] & 0xff};
            case BGR8, BGRA8 -> new int[] {data[i + 2] & 0xff, data[i + 1] & 0xff, a};
            case MONO8 -> new int[] {a, a, a};
        };
    }

    /** This frame as tightly packed RGB8 (a copy unless it already is RGB8). */
    public CameraFrame toRgb8() {
        if (encoding == PixelEncoding.RGB8) return this;
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                int[] p = rgbAt(x, y);
                int o = (y * width + x) * 3;
                out[o] = (byte) p[0]; out[o + 1] = (byte) p[1]; out[o + 2] = (byte) p[2];
            }
        return new CameraFrame(camera, width, height, PixelEncoding.RGB8, out, timestamp);
    }
}
