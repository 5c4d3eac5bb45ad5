package dev.wmpc.sim;

import dev.wmpc.core.CameraFrame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Writes camera frames as one PNG: a grid, left to right then top to bottom, {@code columns} frames a row. */
public final class FrameStrip {
    private FrameStrip() {}

    public static void write(List<CameraFrame> frames, int columns, Path file) throws IOException {
        if (frames.isEmpty()) throw new IllegalArgumentException("no frames to write to " + file);
        int w = frames.get(0).width(), h = frames.get(0).height();
        int cols = Math.min(columns, frames.size());
        int rows = (frames.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < frames.size(); i++) {
            CameraFrame f = frames.get(i);
            if (f.width() != w || f.height() != h) throw new IllegalArgumentException("frames differ in size: " + f.width() + "x" + f.height() + " vs " + w + "x" + h);
            int ox = (i % cols) * w, oy = (i / cols) * h;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int[] p = f.rgbAt(x, y);
                    img.setRGB(ox + x, oy + y, (p[0] << 16) | (p[1] << 8) | p[2]);
                }
        }
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer available for " + file);
    }
}
