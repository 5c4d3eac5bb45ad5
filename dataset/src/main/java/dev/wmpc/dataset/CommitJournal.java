package dev.wmpc.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a multi-file update of the dataset atomic. The writer first writes every new file under a temporary name,
 * then writes this journal (atomically: it is the commit point), then renames the files into place, info.json last,
 * and deletes the journal. Whoever opens the dataset next completes a journal left behind by a killed process, so
 * the dataset is always either before or after the whole update.
 */
final class CommitJournal {
    private CommitJournal() {}

    static Path path(Path root) { return root.resolve("meta").resolve(".wmpc-commit.json"); }

    /** One rename, paths relative to the dataset root. */
    record Rename(String from, String to) {}

    static void commit(Path root, List<Rename> renames, List<String> delete) throws IOException {
        ObjectNode j = DatasetInfo.JSON.createObjectNode();
        ArrayNode r = j.putArray("renames");
        for (Rename x : renames) r.addObject().put("from", x.from()).put("to", x.to());
        ArrayNode d = j.putArray("delete");
        delete.forEach(d::add);
        Durable.writeAtomically(path(root), DatasetInfo.JSON.writeValueAsString(j));
        apply(root, j);
    }

    /** Completes an interrupted commit, if there is one. */
    static void rollForward(Path root) {
        Path p = path(root);
        if (!Files.isRegularFile(p)) return;
        try {
            apply(root, DatasetInfo.JSON.readTree(p.toFile()));
        } catch (IOException e) {
            throw new WmpcException("cannot complete the interrupted update recorded in " + p + ": " + e.getMessage()
                    + " (the dataset directory must be writable)", e);
        }
    }

    private static void apply(Path root, JsonNode j) throws IOException {
        for (JsonNode r : j.path("renames")) {
            Path from = root.resolve(r.get("from").asText()), to = root.resolve(r.get("to").asText());
            if (Files.exists(from)) Durable.move(from, to);
            else if (!Files.exists(to)) throw new IOException("neither " + from + " nor " + to + " exists");
        }
        for (JsonNode d : j.path("delete")) Files.deleteIfExists(root.resolve(d.asText()));
        Files.deleteIfExists(path(root));
        Durable.fsyncDir(root.resolve("meta"));
    }

    /** Deletes the temporary files of an update that never reached its commit point. */
    static void deleteTemporaries(Path root) throws IOException {
        for (String sub : List.of("data", "videos", "meta", ".wmpc-staging")) {
            Path dir = root.resolve(sub);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(Durable.TMP)).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
