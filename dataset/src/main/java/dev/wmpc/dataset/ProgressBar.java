package dev.wmpc.dataset;

import java.io.PrintStream;

/** One self-overwriting status line on stderr: done/total, frames per second, ETA. Throttled to a few updates a second. */
public final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final int total;
    private final long startNanos = System.nanoTime();
    private long lastPrint;

    public ProgressBar(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    public void update(int done, long frames) {
        if (out == null) return;
        long now = System.nanoTime();
        if (done < total && now - lastPrint < 250_000_000L) return;
        lastPrint = now;
        double s = Math.max(1e-9, (now - startNanos) / 1e9);
        int width = 24, filled = total == 0 ? width : (int) ((long) width * done / total);
        String eta = done == 0 ? "--:--" : clock(s / done * (total - done));
        out.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total
                + " episodes  " + String.format("%.0f", frames / s) + " frames/s  ETA " + eta + "   ");
        out.flush();
    }

    public void finish() {
        if (out != null) { out.println(); out.flush(); }
    }

    static String clock(double seconds) {
        long t = Math.round(seconds);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
    }
}
