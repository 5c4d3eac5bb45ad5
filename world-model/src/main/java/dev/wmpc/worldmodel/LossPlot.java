package dev.wmpc.worldmodel;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A small PNG of the training losses (total, teacher forcing, rollout; log scale, smoothed). */
final class LossPlot {
    private static final int W = 800, H = 450, PAD = 60;

    private LossPlot() {}

    static void write(List<float[]> losses, Path file) throws IOException {
        write(losses, file, "predictor training loss (L1, log scale)", new String[] {"total", "teacher forcing", "rollout"});
    }

    /** The first three columns of {@code losses}, named {@code names}, under {@code title}. */
    static void write(List<float[]> losses, Path file, String title, String[] names) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(title, PAD, 25);
        g.drawRect(PAD, PAD, W - 2 * PAD, H - 2 * PAD);
        if (!losses.isEmpty()) {
            double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
            int window = Math.max(1, losses.size() / 100);
            double[][] smooth = new double[3][losses.size()];
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < losses.size(); i++) {
                    double sum = 0;
                    int c = 0;
                    for (int k = Math.max(0, i - window + 1); k <= i; k++, c++) sum += losses.get(k)[j];
                    double v = Math.log10(Math.max(sum / c, 1e-6));
                    smooth[j][i] = v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            if (hi - lo < 1e-3) hi = lo + 1e-3;
            Color[] colors = {Color.BLACK, new Color(0x1f77b4), new Color(0xd62728)};
            for (int j = 0; j < 3; j++) {
                g.setColor(colors[j]);
                g.setStroke(new BasicStroke(j == 0 ? 2f : 1.2f));
                int px = -1, py = -1;
                for (int i = 0; i < losses.size(); i++) {
                    int x = PAD + (int) ((W - 2 * PAD) * (losses.size() == 1 ? 0 : i / (double) (losses.size() - 1)));
                    int y = H - PAD - (int) ((H - 2 * PAD) * (smooth[j][i] - lo) / (hi - lo));
                    if (px >= 0) g.drawLine(px, py, x, y);
                    px = x;
                    py = y;
                }
                g.drawString(names[j], W - PAD - 130, PAD + 20 + 16 * j);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3g", Math.pow(10, hi)), 5, PAD + 5);
            g.drawString(String.format(Locale.ROOT, "%.3g", Math.pow(10, lo)), 5, H - PAD);
            g.drawString("step " + losses.size(), W - PAD - 60, H - PAD + 20);
            g.drawString("0", PAD, H - PAD + 20);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
