package dev.wmpc.worldmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory outside the Java heap (Linux /proc), for checking that native tensors do not accumulate. */
public final class NativeMemory {
    private NativeMemory() {}

    /** Resident set size minus the committed Java heap, in MiB, after a GC; NaN where /proc is missing. */
    public static double residentOutsideHeapMb() {
        System.gc();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb - Runtime.getRuntime().totalMemory() / 1024) / 1024.0;
                }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
