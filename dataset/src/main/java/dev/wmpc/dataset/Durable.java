package dev.wmpc.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable file operations: write-to-temporary, fsync, atomic rename, fsync of the directory. */
final class Durable {
    /** Suffix of files being written; readers and LeRobot's globs never match it. */
    static final String TMP = ".wmpc-tmp";

    private Durable() {}

    static Path tmpFor(Path p) { return p.resolveSibling(p.getFileName() + TMP); }

    static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot fsync directories; the rename is still atomic there.
        }
    }

    static void move(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDir(to.getParent());
    }

    /** Writes bytes to {@code p} atomically: temporary file, fsync, rename. */
    static void writeAtomically(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.getParent());
        Path tmp = tmpFor(p);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        move(tmp, p);
    }

    static void writeAtomically(Path p, String text) throws IOException {
        writeAtomically(p, text.getBytes(StandardCharsets.UTF_8));
    }
}
