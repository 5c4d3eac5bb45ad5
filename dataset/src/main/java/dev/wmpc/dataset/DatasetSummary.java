package dev.wmpc.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What {@code wmpc dataset info} shows: totals, features, tasks, success rate (where recorded), size on disk. */
public record DatasetSummary(String path, String codebaseVersion, String robotType, int episodes, long frames, int fps,
                             List<String> tasks, List<String> cameras, Map<String, String> features, Double successRate,
                             int episodesWithOutcome, long sizeBytes, int stagedEpisodes, double meanEpisodeLength) {

    public static DatasetSummary of(Path root) {
        DatasetMeta meta = DatasetMeta.load(root);
        Map<String, String> feats = new LinkedHashMap<>();
        meta.info().features().forEach((k, f) -> feats.put(k, f.dtype() + " " + f.shape()));
        int known = 0, succ = 0;
        for (EpisodeMeta e : meta.episodes()) if (e.success() != null) { known++; if (e.success()) succ++; }
        int staged = 0;
        Path sd = StagedEpisode.dir(root);
        long size;
        try (Stream<Path> s = Files.walk(root)) {
            size = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            size = -1;
        }
        if (Files.isDirectory(sd)) try (Stream<Path> s = Files.list(sd)) {
            staged = (int) s.filter(p -> p.getFileName().toString().endsWith(".bin")).count();
        } catch (IOException ignored) { /* reported as 0 */ }
        int n = meta.episodes().size();
        return new DatasetSummary(root.toString(), meta.info().codebaseVersion(), meta.info().robotType(), n, meta.totalFrames(),
                meta.info().fps(), meta.tasks(), meta.info().videoKeys(), feats, known == 0 ? null : (double) succ / known, known, size,
                staged, n == 0 ? 0 : (double) meta.totalFrames() / n);
    }
}
