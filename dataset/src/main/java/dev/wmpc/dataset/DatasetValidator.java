package dev.wmpc.dataset;

import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * Checks a LeRobot v3 dataset end to end: info.json totals, contiguous episode and frame indices, data rows per
 * episode, video frames per episode (from the mp4 packets), tasks and stats. Every problem names its file.
 */
public final class DatasetValidator {
    private DatasetValidator() {}

    /** One problem: the file it is in and what is wrong. */
    public record Problem(String file, String message) {
        @Override public String toString() { return file + ": " + message; }
    }

    /** The outcome: totals, problems (empty when valid), staged episodes waiting to be folded in by a resume. */
    public record Report(Path root, int episodes, long frames, List<Problem> problems, int stagedEpisodes) {
        public boolean ok() { return problems.isEmpty(); }
    }

    public static Report validate(Path root) {
        List<Problem> problems = new ArrayList<>();
        DatasetMeta meta;
        try {
            meta = DatasetMeta.load(root);
        } catch (WmpcException e) {
            problems.add(new Problem(root.resolve("meta").toString(), e.getMessage()));
            return new Report(root, 0, 0, problems, staged(root));
        }
        DatasetInfo info = meta.info();
        String infoFile = DatasetInfo.path(root).toString();
        String episodesDir = root.resolve("meta/episodes").toString();
        if (!DatasetInfo.VERSION.equals(info.codebaseVersion()))
            problems.add(new Problem(infoFile, "codebase_version is '" + info.codebaseVersion() + "', expected 'v3.0'"));
        if (info.fps() <= 0) problems.add(new Problem(infoFile, "fps must be positive, is " + info.fps()));
        List<EpisodeMeta> eps = meta.episodes();
        if (eps.size() != info.totalEpisodes())
            problems.add(new Problem(infoFile, "total_episodes is " + info.totalEpisodes() + " but meta/episodes has " + eps.size() + " rows"));
        if (meta.totalFrames() != info.totalFrames())
            problems.add(new Problem(infoFile, "total_frames is " + info.totalFrames() + " but the episode lengths sum to " + meta.totalFrames()));
        if (meta.tasks().size() != info.totalTasks())
            problems.add(new Problem(infoFile, "total_tasks is " + info.totalTasks() + " but meta/tasks.parquet has " + meta.tasks().size()));
        long expectFrom = 0;
        for (int i = 0; i < eps.size(); i++) {
            EpisodeMeta e = eps.get(i);
            if (e.episodeIndex() != i) { problems.add(new Problem(episodesDir, "episode_index " + e.episodeIndex() + " at row " + i + ": indices must be 0.." + (eps.size() - 1))); break; }
            if (e.fromIndex() != expectFrom)
                problems.add(new Problem(episodesDir, "episode " + i + " dataset_from_index is " + e.fromIndex() + ", expected " + expectFrom));
            if (e.toIndex() - e.fromIndex() != e.length())
                problems.add(new Problem(episodesDir, "episode " + i + " length " + e.length() + " != dataset_to_index - dataset_from_index"));
            for (String t : e.tasks()) if (!meta.tasks().contains(t)) problems.add(new Problem(episodesDir, "episode " + i + " task '" + t + "' is not in meta/tasks.parquet"));
            expectFrom = e.toIndex();
        }
        if (problems.isEmpty()) {
            checkData(root, meta, problems);
            checkVideos(root, meta, problems);
        }
        checkStats(root, meta, problems);
        return new Report(root, eps.size(), meta.totalFrames(), problems, staged(root));
    }

    private static int staged(Path root) {
        Path d = StagedEpisode.dir(root);
        if (!Files.isDirectory(d)) return 0;
        try (Stream<Path> s = Files.list(d)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".bin")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void checkData(Path root, DatasetMeta meta, List<Problem> problems) {
        List<Path> files = DatasetMeta.parquetFiles(root.resolve("data"));
        Map<String, List<EpisodeMeta>> byFile = new LinkedHashMap<>();
        for (EpisodeMeta e : meta.episodes()) byFile.computeIfAbsent(meta.info().dataFile(e.dataChunk(), e.dataFile()), k -> new ArrayList<>()).add(e);
        for (String f : byFile.keySet())
            if (!Files.isRegularFile(root.resolve(f))) problems.add(new Problem(root.resolve(f).toString(), "data file is missing"));
        List<String> required = new ArrayList<>();
        meta.info().features().forEach((k, v) -> { if (!v.isVisual()) required.add(k); });
        long rows = 0;
        try (DuckDBConnection c = Duck.open(); Statement s = c.createStatement()) {
            for (Path file : files) {
                String rel = root.relativize(file).toString();
                String src = "read_parquet(" + Duck.path(file) + ")";
                List<String> cols;
                try {
                    cols = DatasetMeta.columns(s, src);
                } catch (SQLException e) {
                    problems.add(new Problem(file.toString(), "unreadable parquet: " + e.getMessage()));
                    continue;
                }
                for (String r : required) if (!cols.contains(r)) problems.add(new Problem(file.toString(), "column '" + r + "' is missing"));
                if (!cols.containsAll(List.of("episode_index", "index", "frame_index"))) continue;
                List<EpisodeMeta> expected = byFile.getOrDefault(rel, List.of());
                Map<Long, EpisodeMeta> want = new HashMap<>();
                for (EpisodeMeta e : expected) want.put((long) e.episodeIndex(), e);
                boolean hasTs = cols.contains("timestamp"), hasTask = cols.contains("task_index");
                double fps = meta.info().fps();
                // timestamps: on the 1/fps grid, 0 first, increasing with frame_index (holes allowed: frames not evenly spaced)
                String table = hasTs ? "(SELECT *, timestamp - lag(timestamp) OVER (PARTITION BY episode_index ORDER BY frame_index) AS wmpc_step FROM "
                        + src + ")" : src;
                try (ResultSet rs = s.executeQuery("SELECT episode_index, count(*), min(index), max(index), min(frame_index), max(frame_index), "
                        + "count(DISTINCT index), count(DISTINCT frame_index), "
                        + (hasTs ? "max(abs(timestamp - round(timestamp * " + fps + ") / " + fps + ")), min(timestamp), "
                        + "count(*) FILTER (WHERE wmpc_step < " + 0.5 / fps + ")" : "0.0, 0.0, 0") + ", "
                        + (hasTask ? "min(task_index), max(task_index)" : "0, 0")
                        + " FROM " + table + " GROUP BY episode_index ORDER BY episode_index")) {
                    while (rs.next()) {
                        long ep = rs.getLong(1), n = rs.getLong(2);
                        rows += n;
                        EpisodeMeta e = want.remove(ep);
                        if (e == null) { problems.add(new Problem(file.toString(), n + " rows of episode " + ep + " that meta/episodes does not place in this file")); continue; }
                        if (n != e.length()) problems.add(new Problem(file.toString(), "episode " + ep + " has " + n + " rows but its length is " + e.length()));
                        if (rs.getLong(3) != e.fromIndex() || rs.getLong(4) != e.toIndex() - 1 || rs.getLong(7) != n)
                            problems.add(new Problem(file.toString(), "episode " + ep + " index column is not contiguous " + e.fromIndex() + ".." + (e.toIndex() - 1)));
                        if (rs.getLong(5) != 0 || rs.getLong(6) != n - 1 || rs.getLong(8) != n)
                            problems.add(new Problem(file.toString(), "episode " + ep + " frame_index is not contiguous 0.." + (n - 1)));
                        if (rs.getDouble(9) > 1e-4)
                            problems.add(new Problem(file.toString(), "episode " + ep + " timestamps are off the 1/fps frame grid by up to "
                                    + rs.getDouble(9) + " s (LeRobot allows 1e-4)"));
                        if (Math.abs(rs.getDouble(10)) > 1e-4)
                            problems.add(new Problem(file.toString(), "episode " + ep + " starts at timestamp " + rs.getDouble(10) + " s, not 0"));
                        if (rs.getLong(11) > 0)
                            problems.add(new Problem(file.toString(), "episode " + ep + " timestamps do not increase with frame_index at "
                                    + rs.getLong(11) + " rows"));
                        if (rs.getLong(12) < 0 || rs.getLong(13) >= Math.max(1, meta.tasks().size()))
                            problems.add(new Problem(file.toString(), "episode " + ep + " task_index " + rs.getLong(12) + ".." + rs.getLong(13)
                                    + " outside the " + meta.tasks().size() + " tasks of meta/tasks.parquet"));
                    }
                }
                for (EpisodeMeta e : want.values())
                    problems.add(new Problem(file.toString(), "episode " + e.episodeIndex() + " has no rows here but meta/episodes says it does"));
            }
        } catch (SQLException e) {
            problems.add(new Problem(root.resolve("data").toString(), "cannot read: " + e.getMessage()));
            return;
        }
        if (rows != meta.info().totalFrames())
            problems.add(new Problem(root.resolve("data").toString(), "data files hold " + rows + " rows but total_frames is " + meta.info().totalFrames()));
    }

    private static void checkVideos(Path root, DatasetMeta meta, List<Problem> problems) {
        double frame = 1.0 / meta.info().fps(), tol = frame / 2;
        for (String key : meta.info().videoKeys()) {
            Map<String, List<EpisodeMeta>> byFile = new LinkedHashMap<>();
            for (EpisodeMeta e : meta.episodes()) {
                var seg = e.videos().get(key);
                byFile.computeIfAbsent(meta.info().videoFile(key, seg.chunk(), seg.file()), k -> new ArrayList<>()).add(e);
            }
            for (var f : byFile.entrySet()) {
                Path file = root.resolve(f.getKey());
                if (!Files.isRegularFile(file)) { problems.add(new Problem(file.toString(), "video file is missing")); continue; }
                double[] times;
                try (VideoReader r = new VideoReader(file)) {
                    times = r.packetTimes();
                } catch (IOException | RuntimeException e) {
                    problems.add(new Problem(file.toString(), "unreadable video: " + e.getMessage()));
                    continue;
                }
                for (EpisodeMeta e : f.getValue()) {
                    var seg = e.videos().get(key);
                    int n = 0;
                    for (double t : times) if (t >= seg.fromTimestamp() - tol && t < seg.toTimestamp() - tol) n++;
                    if (n != e.length())
                        problems.add(new Problem(file.toString(), "episode " + e.episodeIndex() + " has " + n + " video frames in ["
                                + seg.fromTimestamp() + ", " + seg.toTimestamp() + ") s but " + e.length() + " data rows"));
                }
            }
        }
    }

    private static void checkStats(Path root, DatasetMeta meta, List<Problem> problems) {
        Path p = root.resolve("meta").resolve("stats.json");
        if (meta.episodes().isEmpty()) return;
        if (!Files.isRegularFile(p)) { problems.add(new Problem(p.toString(), "stats.json is missing")); return; }
        try {
            var n = DatasetInfo.JSON.readTree(p.toFile());
            for (var f : meta.info().features().entrySet()) {
                if (f.getValue().dtype().equals("string")) continue;
                var s = n.get(f.getKey());
                if (s == null) { problems.add(new Problem(p.toString(), "no stats for feature '" + f.getKey() + "'")); continue; }
                for (String k : List.of("min", "max", "mean", "std"))
                    if (!s.has(k)) problems.add(new Problem(p.toString(), "feature '" + f.getKey() + "' lacks the stat '" + k + "'"));
            }
        } catch (IOException e) {
            problems.add(new Problem(p.toString(), "not valid JSON: " + e.getMessage()));
        }
    }
}
