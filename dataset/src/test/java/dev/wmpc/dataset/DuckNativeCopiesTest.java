package dev.wmpc.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckNativeCopiesTest {
    @TempDir Path dir;

    @Test void findsTheMappedCopyInTheTempFolderOnly() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp")).toRealPath();
        Path other = Files.createDirectories(dir.resolve("lib")).toRealPath();
        Path copy = tmp.resolve("libduckdb_java123.so");
        Path maps = dir.resolve("maps");
        Files.write(maps, List.of(
                "7f00-7f10 r--p 00000000 fd:01 11 " + copy,
                "7f10-7f20 r-xp 00010000 fd:01 11 " + copy,
                "7f20-7f30 r-xp 00000000 fd:01 12 " + other.resolve("libduckdb_java9.so"),
                "7f30-7f40 r-xp 00000000 fd:01 13 " + tmp.resolve("libtorch.so"),
                "7f40-7f50 r-xp 00000000 fd:01 14 " + tmp.resolve("libduckdb_java77.so") + " (deleted)",
                "7ffd-7ffe rw-p 00000000 00:00 0 [stack]"));
        assertThat(DuckNativeCopies.loadedCopies(maps, tmp)).containsExactly(copy);
        assertThat(DuckNativeCopies.loadedCopies(dir.resolve("absent"), tmp)).isEmpty();
    }

    @Test void staleCopiesAreOlderLibraryCopiesOnly() throws Exception {
        Instant now = Instant.now();
        Path old = Files.writeString(dir.resolve("libduckdb_java1.so"), "x");
        Path fresh = Files.writeString(dir.resolve("libduckdb_java2.so"), "x");
        Path unrelated = Files.writeString(dir.resolve("libtorch.so"), "x");
        Files.setLastModifiedTime(old, FileTime.from(now.minus(DuckNativeCopies.STALE.multipliedBy(2))));
        Files.setLastModifiedTime(unrelated, FileTime.from(now.minus(DuckNativeCopies.STALE.multipliedBy(2))));
        assertThat(DuckNativeCopies.staleCopies(dir, now.minus(DuckNativeCopies.STALE))).containsExactly(old);
        assertThat(fresh).exists();
    }

    @Test void thisProcessKeepsNoCopyOnceDuckDbIsOpen() throws Exception {
        try (var c = Duck.open(); var s = c.createStatement(); var r = s.executeQuery("SELECT 41 + 1")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(42);
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            // DuckDB still works from the mapping; the file it loaded from is gone.
            assertThat(DuckNativeCopies.loadedCopies(Path.of("/proc/self/maps"), tmp)).isEmpty();
            assertThat(Files.readAllLines(Path.of("/proc/self/maps")))
                    .anyMatch(l -> l.contains("/" + DuckNativeCopies.PREFIX) && l.endsWith(" (deleted)"));
        }
    }
}
