package dev.wmpc.perception;

import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.video.Yuv;

/**
 * Turns camera images of any size and encoding into the encoder's input: colour as recorded video carries it (BT.601
 * limited range, 4:2:0 chroma: {@link Yuv#roundTrip420}), a centre square crop, resized to {@code size × size} (box
 * average when shrinking, bilinear when growing), RGB, channel-first, normalised with the ImageNet mean and standard
 * deviation. Output layout: {@code [3, size, size]} floats, row-major.
 *
 * <p>The colour step makes live frames look like the dataset frames the model was trained on, which went through the
 * dataset's yuv420p video: without it the 64×64 default model read the end-effector's height 2-4 cm off on live
 * frames. Frames decoded from a dataset already have it, and go through it again unchanged (up to rounding).
 */
public final class FramePreprocessor {
    static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final int size;

    public FramePreprocessor(int size) {
        if (size <= 0) throw new IllegalArgumentException("model resolution must be positive, got " + size);
        this.size = size;
    }

    public int size() { return size; }

    /** Floats per preprocessed frame: 3 × size × size. */
    public int frameLength() { return 3 * size * size; }

    /** A camera frame (already validated by {@link CameraFrame}) into {@code out[offset .. offset + frameLength)}. */
    public void preprocess(CameraFrame frame, float[] out, int offset) {
        if (frame == null) throw new WmpcException("camera frame is null: the camera sent no image");
        if (frame.encoding() == null) throw new WmpcException("camera frame '" + frame.camera() + "' has no pixel encoding");
        convert(frame.data(), frame.width(), frame.height(), frame.encoding(), out, offset);
    }

    public float[] preprocess(CameraFrame frame) {
        float[] out = new float[frameLength()];
        preprocess(frame, out, 0);
        return out;
    }

    /**
     * A raw image as a camera driver sends it (e.g. a sensor_msgs/Image): the encoding by name, the size, the bytes
     * and the row stride in bytes ({@code step}; 0 means tightly packed). Anything malformed fails naming what arrived.
     */
    public float[] preprocessRaw(String encoding, int width, int height, int step, byte[] data) {
        PixelEncoding enc;
        try {
            enc = PixelEncoding.fromRosName(encoding == null ? "<none>" : encoding);
        } catch (IllegalArgumentException e) {
            throw new WmpcException("bad camera frame: " + e.getMessage());
        }
        if (width <= 0 || height <= 0)
            throw new WmpcException("bad camera frame: size " + width + "x" + height + " " + enc.rosName() + ", width and height must be positive");
        int rowBytes = width * enc.channels();
        int stride = step == 0 ? rowBytes : step;
        if (stride < rowBytes)
            throw new WmpcException("bad camera frame: row step " + step + " bytes is shorter than " + width + " pixels of " + enc.rosName() + " (" + rowBytes + " bytes)");
        long need = (long) stride * (height - 1) + rowBytes;
        int got = data == null ? 0 : data.length;
        if (got < need)
            throw new WmpcException("bad camera frame: " + got + " bytes but " + width + "x" + height + " " + enc.rosName()
                    + " with row step " + stride + " needs " + need);
        byte[] packed = data;
        if (stride != rowBytes) {
            packed = new byte[rowBytes * height];
            for (int y = 0; y < height; y++) System.arraycopy(data, y * stride, packed, y * rowBytes, rowBytes);
        }
        float[] out = new float[frameLength()];
        convert(packed, width, height, enc, out, 0);
        return out;
    }

    /** Tightly packed RGB8 pixels {@code [height, width, 3]} (e.g. one frame of a clip) into the output layout. */
    public void preprocessRgb(byte[] rgb, int rgbOffset, int width, int height, float[] out, int offset) {
        if (rgbOffset < 0 || rgb.length - rgbOffset < 3L * width * height)
            throw new WmpcException("bad RGB frame: " + (rgb.length - rgbOffset) + " bytes left but " + width + "x" + height + " rgb8 needs " + 3L * width * height);
        if (rgbOffset == 0 && rgb.length == 3 * width * height) {
            convert(rgb, width, height, PixelEncoding.RGB8, out, offset);
        } else {
            byte[] copy = new byte[3 * width * height];
            System.arraycopy(rgb, rgbOffset, copy, 0, copy.length);
            convert(copy, width, height, PixelEncoding.RGB8, out, offset);
        }
    }

    /** Tightly packed RGB24 from a colour encoding (the array itself when it already is RGB8). */
    private static byte[] toRgb(byte[] data, int width, int height, PixelEncoding enc) {
        if (enc == PixelEncoding.RGB8) return data;
        int c = enc.channels(), n = width * height;
        int r, b;
        switch (enc) {
            case RGBA8 -> { r = 0; b = 2; }
            case BGR8, BGRA8 -> { r = 2; b = 0; }
            default -> throw new WmpcException("unsupported pixel encoding " + enc);
        }
        byte[] rgb = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            rgb[3 * i] = data[i * c + r];
            rgb[3 * i + 1] = data[i * c + 1];
            rgb[3 * i + 2] = data[i * c + b];
        }
        return rgb;
    }

    private void convert(byte[] data, int width, int height, PixelEncoding enc, float[] out, int offset) {
        if (enc != PixelEncoding.MONO8) {
            data = Yuv.roundTrip420(toRgb(data, width, height, enc), width, height);
            enc = PixelEncoding.RGB8;
        }
        int c = enc.channels();
        int r, g, b;
        switch (enc) {
            case RGB8 -> { r = 0; g = 1; b = 2; }
            case MONO8 -> { r = 0; g = 0; b = 0; }
            default -> throw new WmpcException("unsupported pixel encoding " + enc);
        }
        int[] chan = {r, g, b};
        // Centre square crop.
        int side = Math.min(width, height);
        int x0 = (width - side) / 2, y0 = (height - side) / 2;
        int plane = size * size;
        double scale = (double) side / size;
        if (scale > 1.0) {
            // Box average over each output pixel's footprint.
            for (int oy = 0; oy < size; oy++) {
                int sy0 = y0 + (int) Math.floor(oy * scale), sy1 = Math.max(sy0 + 1, y0 + (int) Math.floor((oy + 1) * scale));
                for (int ox = 0; ox < size; ox++) {
                    int sx0 = x0 + (int) Math.floor(ox * scale), sx1 = Math.max(sx0 + 1, x0 + (int) Math.floor((ox + 1) * scale));
                    for (int k = 0; k < 3; k++) {
                        int sum = 0;
                        for (int sy = sy0; sy < sy1; sy++) {
                            int row = sy * width;
                            for (int sx = sx0; sx < sx1; sx++) sum += data[(row + sx) * c + chan[k]] & 0xff;
                        }
                        float v = sum / (255f * (sy1 - sy0) * (sx1 - sx0));
                        out[offset + k * plane + oy * size + ox] = (v - MEAN[k]) / STD[k];
                    }
                }
            }
        } else {
            // Bilinear, pixel centres aligned.
            for (int oy = 0; oy < size; oy++) {
                double fy = Math.min(Math.max((oy + 0.5) * scale - 0.5, 0), side - 1);
                int iy = (int) fy; int iy1 = Math.min(iy + 1, side - 1); double wy = fy - iy;
                for (int ox = 0; ox < size; ox++) {
                    double fx = Math.min(Math.max((ox + 0.5) * scale - 0.5, 0), side - 1);
                    int ix = (int) fx; int ix1 = Math.min(ix + 1, side - 1); double wx = fx - ix;
                    int p00 = ((y0 + iy) * width + x0 + ix) * c, p01 = ((y0 + iy) * width + x0 + ix1) * c;
                    int p10 = ((y0 + iy1) * width + x0 + ix) * c, p11 = ((y0 + iy1) * width + x0 + ix1) * c;
                    for (int k = 0; k < 3; k++) {
                        int ch = chan[k];
                        double v = (1 - wy) * ((1 - wx) * (data[p00 + ch] & 0xff) + wx * (data[p01 + ch] & 0xff))
                                + wy * ((1 - wx) * (data[p10 + ch] & 0xff) + wx * (data[p11 + ch] & 0xff));
                        out[offset + k * plane + oy * size + ox] = (float) ((v / 255.0 - MEAN[k]) / STD[k]);
                    }
                }
            }
        }
    }
}
