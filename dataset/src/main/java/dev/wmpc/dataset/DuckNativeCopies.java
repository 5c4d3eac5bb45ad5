package dev.wmpc.dataset;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * DuckDB's JDBC driver copies its native library (about 60 MB) to a new file in {@code java.io.tmpdir} at every JVM
 * start, loads it, and deletes it only at a normal exit: every JVM killed outright (SIGKILL, a crash, a test fork
 * killed on timeout) leaves one copy behind. On Linux a loaded library needs no file (the mapping keeps the inode
 * alive), so once DuckDB is loaded this removes this process's copy at once, and copies that earlier processes left
 * more than {@link #STALE} ago (a live process that loaded one that long ago no longer needs its file either).
 */
final class DuckNativeCopies {
    static final String PREFIX = "libduckdb_java";
    static final Duration STALE = Duration.ofMinutes(10);

    private static volatile boolean done;

    private DuckNativeCopies() {}

    /** Once per JVM, after the first DuckDB connection opened (the library is loaded by then). */
    static void removeOnce() {
        if (done) return;
        synchronized (DuckNativeCopies.class) {
            if (done) return;
            done = true;
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        remove(loadedCopies(Path.of("/proc/self/maps"), tmp));
        remove(staleCopies(tmp, Instant.now().minus(STALE)));
    }

    /** Files in {@code tmp} named like DuckDB's copy that this process has mapped (none where /proc is absent). */
    static List<Path> loadedCopies(Path maps, Path tmp) {
        List<Path> found = new ArrayList<>();
        if (!Files.isReadable(maps)) return found;
        try {
            Path dir = tmp.toRealPath();
            for (String line : Files.readAllLines(maps)) {
                int slash = line.indexOf('/');
                if (slash < 0 || line.endsWith(" (deleted)")) continue;
                Path p = Path.of(line.substring(slash));
                if (isCopyName(p) && dir.equals(p.getParent()) && !found.contains(p)) found.add(p);
            }
        } catch (IOException | RuntimeException e) {
            return found; // best effort: leaving the copy is what DuckDB does anyway
        }
        return found;
    }

    /** DuckDB library copies in {@code tmp} last modified before {@code before}. */
    static List<Path> staleCopies(Path tmp, Instant before) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, PREFIX + "*.so")) {
            for (Path p : files) {
                FileTime t = Files.getLastModifiedTime(p);
                if (Files.isRegularFile(p) && t.toInstant().isBefore(before)) found.add(p);
            }
        } catch (IOException | RuntimeException e) {
            return found;
        }
        return found;
    }

    static boolean isCopyName(Path p) {
        Path name = p.getFileName();
        if (name == null) return false;
        String n = name.toString();
        return n.startsWith(PREFIX) && n.endsWith(".so");
    }

    private static void remove(List<Path> files) {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException e) {
                // another user's copy, or gone already: not ours to insist on
            }
        }
    }
}
