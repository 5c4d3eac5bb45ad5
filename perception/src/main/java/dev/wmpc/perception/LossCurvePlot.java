package dev.wmpc.perception;

import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Durable;
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

/**
 * Draws training loss curves as a PNG (log-scale y): one series alone as its per-step values (light) and their moving
 * average (dark); several named series (e.g. total, prediction, SIGReg) each as its moving average, with a legend.
 * The one plot helper of every trainer (encoder, predictor, world model).
 */
public final class LossCurvePlot {
    private LossCurvePlot() {}

    private static final Color[] COLORS = {new Color(20, 20, 20), new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x27, 0x28),
            new Color(0x2c, 0xa0, 0x2c)};

    /** One loss per step. */
    public static void write(Path png, List<Double> losses, String title) {
        double[] v = losses.stream().mapToDouble(Double::doubleValue).toArray();
        draw(png, title, "loss (log scale); light: per step, dark: moving average", List.of("loss"), List.of(v), true);
    }

    /** Rows of losses per step; column j is the series {@code names.get(j)} (columns past the names are ignored). */
    public static void write(Path png, String title, List<String> names, List<float[]> rows) {
        List<double[]> series = new java.util.ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            double[] v = new double[rows.size()];
            for (int i = 0; i < v.length; i++) v[i] = j < rows.get(i).length ? rows.get(i)[j] : Double.NaN;
            series.add(v);
        }
        draw(png, title, "moving averages (log scale)", names, series, false);
    }

    private static void draw(Path png, String title, String subtitle, List<String> names, List<double[]> series, boolean raw) {
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
            int n = series.get(0).length;
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double[] s : series) for (double v : s) if (v > 0 && Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
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
            g.drawString(subtitle, left, top - 8);
            int window = Math.max(1, n / 50);
            for (int j = 0; j < series.size(); j++) {
                double[] v = series.get(j), avg = new double[n];
                double sum = 0;
                int count = 0;
                for (int i = 0; i < n; i++) {
                    if (Double.isFinite(v[i])) { sum += v[i]; count++; }
                    if (i >= window && Double.isFinite(v[i - window])) { sum -= v[i - window]; count--; }
                    avg[i] = count > 0 ? sum / count : Double.NaN;
                }
                if (raw) drawSeries(g, v, new Color(150, 180, 230), 1f, left, top, pw, ph, llo, lhi);
                Color c = raw ? new Color(20, 60, 160) : COLORS[j % COLORS.length];
                drawSeries(g, avg, c, 2f, left, top, pw, ph, llo, lhi);
                if (!raw) {
                    g.setColor(c);
                    g.drawString(names.get(j), left + pw - 160, top + 18 + 16 * j);
                }
            }
        } finally {
            g.dispose();
        }
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
            ImageIO.write(img, "png", tmp.toFile());
            Durable.move(tmp, png);
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
