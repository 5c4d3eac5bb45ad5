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

/**
 * Durable file operations, the one place every module writes files and folders atomically: write-to-temporary, fsync,
 * atomic rename, fsync of the directory; a whole folder replaced so readers see the old one or the new one.
 */
public final class Durable {
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

    /** Renames {@code from} to {@code to} (atomically where the file system can), replacing it. */
    public static void move(Path from, Path to) throws IOException {
        Files.createDirectories(to.toAbsolutePath().getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDir(to.toAbsolutePath().getParent());
    }

    /**
     * Replaces folder {@code target} by the fully written folder {@code tmp} (on the same file system): the old folder
     * is renamed away, the new one renamed in, then the old one deleted. A crash leaves the old or the new folder
     * under {@code target}'s name (and at worst a {@code .NAME.old-*} sibling), never a half-written one.
     */
    public static void replaceDirectory(Path tmp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        move(tmp, target);
        if (old != null) deleteTree(old);
    }

    /** Deletes a file or a folder with everything in it (nothing when it does not exist). */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }

    /** Writes bytes to {@code p} atomically: temporary file, fsync, rename. */
    public static void writeAtomically(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.toAbsolutePath().getParent());
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

    public static void writeAtomically(Path p, String text) throws IOException {
        writeAtomically(p, text.getBytes(StandardCharsets.UTF_8));
    }
}
