package dev.wmpc.perception;

import dev.wmpc.core.WmpcException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws a training loss curve (raw per step, light, and a moving average, dark; log-scale y) as a PNG. */
public final class LossCurvePlot {
    private LossCurvePlot() {}

    public static void write(Path png, List<Double> losses, String title) {
        int w = 900, h = 450, left = 70, right = 20, top = 50, bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(title, 10, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int n = losses.size();
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double v : losses) if (v > 0 && Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            if (n == 0 || !(hi > 0)) { lo = 0.1; hi = 1; }
            if (hi / lo < 1.01) { hi *= 1.05; lo /= 1.05; }
            double llo = Math.log10(lo), lhi = Math.log10(hi);
            int pw = w - left - right, ph = h - top - bottom;
            g.drawRect(left, top, pw, ph);
            for (int i = 0; i <= 4; i++) {
                double lv = llo + (lhi - llo) * i / 4;
                int y = top + ph - (int) Math.round(ph * (lv - llo) / (lhi - llo));
                g.setColor(new Color(230, 230, 230));
                g.drawLine(left + 1, y, left + pw - 1, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.3g", Math.pow(10, lv)), 5, y + 4);
            }
            g.drawString("step", left + pw / 2 - 10, h - 15);
            g.drawString("0", left, top + ph + 15);
            g.drawString(Integer.toString(n), left + pw - 30, top + ph + 15);
            g.drawString("L1 loss (log scale); light: per step, dark: moving average", left, top - 8);
            int window = Math.max(1, n / 50);
            double[] avg = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += losses.get(i);
                if (i >= window) sum -= losses.get(i - window);
                avg[i] = sum / Math.min(i + 1, window);
            }
            drawSeries(g, losses.stream().mapToDouble(Double::doubleValue).toArray(), new Color(150, 180, 230), 1f, left, top, pw, ph, llo, lhi);
            drawSeries(g, avg, new Color(20, 60, 160), 2f, left, top, pw, ph, llo, lhi);
        } finally {
            g.dispose();
        }
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
            ImageIO.write(img, "png", tmp.toFile());
            AtomicFiles.move(tmp, png);
        } catch (IOException e) {
            throw new WmpcException("cannot write loss curve " + png + ": " + e.getMessage(), e);
        }
    }

    private static void drawSeries(Graphics2D g, double[] v, Color c, float width, int left, int top, int pw, int ph, double llo, double lhi) {
        g.setColor(c);
        g.setStroke(new BasicStroke(width));
        int n = v.length, px = -1, py = -1;
        for (int i = 0; i < n; i++) {
            if (!(v[i] > 0) || !Double.isFinite(v[i])) continue;
            int x = left + (n <= 1 ? 0 : (int) Math.round((double) pw * i / (n - 1)));
            double t = (Math.log10(v[i]) - llo) / (lhi - llo);
            int y = top + ph - (int) Math.round(ph * Math.max(0, Math.min(1, t)));
            if (px >= 0) g.drawLine(px, py, x, y);
            px = x;
            py = y;
        }
    }
}
