package dev.wmpc.launch;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** The PNG plots {@code wmpc eval --out} writes: success per planner, and best energy over planner iterations. */
final class EvalPlots {
    private static final int W = 640, H = 400, LEFT = 70, RIGHT = 20, TOP = 40, BOTTOM = 50;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    private EvalPlots() {}

    /** Bars of success rate (0..1) per planner name, in the map's order. */
    static void successBars(Path png, String title, Map<String, Double> rates) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        axes(g, "success rate", 0, 1);
        int n = Math.max(1, rates.size()), plotW = W - LEFT - RIGHT, i = 0;
        for (Map.Entry<String, Double> e : rates.entrySet()) {
            int slot = plotW / n, x = LEFT + i * slot + slot / 5, bw = slot * 3 / 5;
            int y = yPix(e.getValue(), 0, 1);
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(x, y, bw, H - BOTTOM - y);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), x, H - BOTTOM + 18);
            g.drawString(String.format("%.0f%%", 100 * e.getValue()), x, y - 4);
            i++;
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** One line per control step: best energy after each planner iteration (at most 12 steps drawn, evenly spaced). */
    static void energyCurves(Path png, String title, List<double[]> curves) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int iters = 1;
        for (double[] c : curves) {
            iters = Math.max(iters, c.length);
            for (double v : c) if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        if (!(hi > lo)) { lo = Double.isFinite(lo) ? lo - 1 : 0; hi = lo + 2; }
        axes(g, "best energy", lo, hi);
        g.drawString("planner iteration", W / 2 - 50, H - 12);
        int plotW = W - LEFT - RIGHT;
        int stride = Math.max(1, (curves.size() + 11) / 12);
        g.setStroke(new BasicStroke(2f));
        for (int k = 0, drawn = 0; k < curves.size(); k += stride, drawn++) {
            double[] c = curves.get(k);
            g.setColor(PALETTE[drawn % PALETTE.length]);
            for (int t = 1; t < c.length; t++) {
                int x0 = LEFT + (int) ((t - 1) * (double) plotW / Math.max(1, iters - 1));
                int x1 = LEFT + (int) (t * (double) plotW / Math.max(1, iters - 1));
                g.drawLine(x0, yPix(c[t - 1], lo, hi), x1, yPix(c[t], lo, hi));
            }
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static Graphics2D canvas(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return g;
    }

    private static void axes(Graphics2D g, String yLabel, double lo, double hi) {
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
        g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            int y = yPix(v, lo, hi);
            g.drawLine(LEFT - 4, y, LEFT, y);
            g.drawString(String.format("%.3g", v), 4, y + 4);
        }
        g.drawString(yLabel, 4, TOP - 8);
    }

    private static int yPix(double v, double lo, double hi) {
        double f = (v - lo) / (hi - lo);
        return H - BOTTOM - (int) Math.round(Math.max(0, Math.min(1, f)) * (H - TOP - BOTTOM));
    }
}
