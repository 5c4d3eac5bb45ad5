package dev.wmpc.dataset;

import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * The metadata of a LeRobot v3 dataset on disk: info.json, the tasks and the episodes table (without the per-episode
 * stats columns). Small: it never touches frames or data rows.
 */
public record DatasetMeta(Path root, DatasetInfo info, List<String> tasks, List<EpisodeMeta> episodes) {
    public DatasetMeta {
        tasks = List.copyOf(tasks);
        episodes = List.copyOf(episodes);
    }

    /** Loads the metadata, first completing any commit a killed writer had decided but not finished. */
    public static DatasetMeta load(Path root) {
        CommitJournal.rollForward(root);
        DatasetInfo info = DatasetInfo.read(root);
        try (DuckDBConnection c = Duck.open()) {
            return new DatasetMeta(root, info, readTasks(c, root), readEpisodes(c, root, info));
        } catch (SQLException e) {
            throw new WmpcException("cannot read the metadata of " + root + ": " + e.getMessage(), e);
        }
    }

    static List<Path> parquetFiles(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new WmpcException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static List<String> columns(Statement s, String source) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT column_name FROM (DESCRIBE SELECT * FROM " + source + ")")) {
            while (rs.next()) cols.add(rs.getString(1));
        }
        return cols;
    }

    static String readParquet(List<Path> files) {
        StringBuilder b = new StringBuilder("read_parquet([");
        for (int i = 0; i < files.size(); i++) b.append(i > 0 ? ", " : "").append(Duck.path(files.get(i)));
        return b.append("], union_by_name = true)").toString();
    }

    private static List<String> readTasks(DuckDBConnection c, Path root) throws SQLException {
        Path p = root.resolve("meta").resolve("tasks.parquet");
        if (!Files.isRegularFile(p)) return List.of();
        try (Statement s = c.createStatement()) {
            String src = "read_parquet(" + Duck.path(p) + ")";
            List<String> cols = columns(s, src);
            String taskCol = cols.contains("task") ? "task" : cols.contains("__index_level_0__") ? "__index_level_0__" : null;
            if (taskCol == null || !cols.contains("task_index"))
                throw new WmpcException(p + " has columns " + cols + ": expected 'task' and 'task_index'");
            List<String> tasks = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT task_index, " + Duck.id(taskCol) + " FROM " + src + " ORDER BY task_index")) {
                while (rs.next()) {
                    if (rs.getLong(1) != tasks.size())
                        throw new WmpcException(p + ": task_index " + rs.getLong(1) + " out of sequence (expected " + tasks.size() + ")");
                    tasks.add(rs.getString(2));
                }
            }
            return tasks;
        }
    }

    private static List<EpisodeMeta> readEpisodes(DuckDBConnection c, Path root, DatasetInfo info) throws SQLException {
        List<Path> files = parquetFiles(root.resolve("meta").resolve("episodes"));
        if (files.isEmpty()) return List.of();
        List<EpisodeMeta> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            String src = readParquet(files);
            List<String> cols = columns(s, src);
            for (String need : List.of("episode_index", "length", "data/chunk_index", "data/file_index", "dataset_from_index", "dataset_to_index"))
                if (!cols.contains(need)) throw new WmpcException(root.resolve("meta/episodes") + " lacks the column '" + need + "'");
            List<String> sel = new ArrayList<>(List.of("episode_index", "length", "data/chunk_index", "data/file_index",
                    "dataset_from_index", "dataset_to_index"));
            boolean hasTasks = cols.contains("tasks"), hasSeed = cols.contains("seed"), hasSuccess = cols.contains("success");
            boolean hasMeta = cols.contains("meta/episodes/chunk_index");
            if (hasTasks) sel.add("tasks");
            if (hasSeed) sel.add("seed");
            if (hasSuccess) sel.add("success");
            if (hasMeta) { sel.add("meta/episodes/chunk_index"); sel.add("meta/episodes/file_index"); }
            List<String> videoKeys = info.videoKeys();
            for (String k : videoKeys)
                for (String f : List.of("chunk_index", "file_index", "from_timestamp", "to_timestamp")) {
                    String col = "videos/" + k + "/" + f;
                    if (!cols.contains(col)) throw new WmpcException(root.resolve("meta/episodes") + " lacks the column '" + col + "'");
                    sel.add(col);
                }
            StringBuilder q = new StringBuilder("SELECT ");
            for (int i = 0; i < sel.size(); i++) q.append(i > 0 ? ", " : "").append(Duck.id(sel.get(i)));
            q.append(" FROM ").append(src).append(" ORDER BY episode_index");
            try (ResultSet rs = s.executeQuery(q.toString())) {
                while (rs.next()) {
                    List<String> tasks = new ArrayList<>();
                    if (hasTasks) {
                        Array a = rs.getArray("tasks");
                        if (a != null) for (Object o : (Object[]) a.getArray()) tasks.add(String.valueOf(o));
                    }
                    Map<String, EpisodeMeta.VideoSegment> videos = new LinkedHashMap<>();
                    for (String k : videoKeys)
                        videos.put(k, new EpisodeMeta.VideoSegment(rs.getInt("videos/" + k + "/chunk_index"), rs.getInt("videos/" + k + "/file_index"),
                                rs.getDouble("videos/" + k + "/from_timestamp"), rs.getDouble("videos/" + k + "/to_timestamp")));
                    Long seed = null;
                    if (hasSeed) { long v = rs.getLong("seed"); seed = rs.wasNull() ? null : v; }
                    Boolean success = null;
                    if (hasSuccess) { boolean v = rs.getBoolean("success"); success = rs.wasNull() ? null : v; }
                    out.add(new EpisodeMeta(rs.getInt("episode_index"), tasks, rs.getInt("length"), rs.getInt("data/chunk_index"),
                            rs.getInt("data/file_index"), rs.getLong("dataset_from_index"), rs.getLong("dataset_to_index"), videos,
                            seed, success, hasMeta ? rs.getInt("meta/episodes/chunk_index") : 0, hasMeta ? rs.getInt("meta/episodes/file_index") : 0));
                }
            }
        }
        return out;
    }

    public long totalFrames() { return episodes.stream().mapToLong(EpisodeMeta::length).sum(); }

    /** Seeds of the recorded episodes (wmpc datasets; empty for others). */
    public Set<Long> seeds() {
        Set<Long> s = new HashSet<>();
        for (EpisodeMeta e : episodes) if (e.seed() != null) s.add(e.seed());
        return s;
    }

    /** Task text by index as a map (for display). */
    public Map<Integer, String> taskMap() {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) m.put(i, tasks.get(i));
        return m;
    }
}
