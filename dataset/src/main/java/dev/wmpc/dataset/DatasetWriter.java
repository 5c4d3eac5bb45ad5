package dev.wmpc.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.video.EncodedVideo;
import dev.wmpc.dataset.video.Mp4Writer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes a LeRobot v3 dataset, crash-safely.
 *
 * <p>{@link #append} makes a finished episode durable at once (one staged file: temporary name, fsync, atomic
 * rename). Staged episodes are folded into the LeRobot files (new data parquet, one mp4 per camera, a new
 * meta/episodes parquet, tasks, stats, info.json) in batches through a {@link CommitJournal}, so the dataset on disk
 * is always complete and valid. A process killed at any point loses at most the episode being recorded: opening the
 * dataset again (resume) folds in every staged episode. Appending data whose features differ is refused.
 */
public final class DatasetWriter implements AutoCloseable {
    /** Options: resume an existing dataset, and when to fold staged episodes into new files. */
    public record Options(boolean resume, int framesPerFile, long bytesPerFile) {
        public static Options defaults() { return new Options(false, 5_000, 64L << 20); }
        public Options withResume(boolean r) { return new Options(r, framesPerFile, bytesPerFile); }
        public Options withFramesPerFile(int f) { return new Options(resume, f, bytesPerFile); }
    }

    private final Path root;
    private final DatasetSpec spec;
    private final Options options;
    private final DuckDBConnection duck;
    private DatasetInfo info;
    private final List<String> tasks = new ArrayList<>();
    private final Set<Long> seeds = new HashSet<>();
    private final Map<String, FeatureStats> stats = new LinkedHashMap<>();
    private final List<StagedEpisode> staged = new ArrayList<>();
    private int committedEpisodes, committedTasks, successes;
    private long committedFrames;
    private int nextFile, nextMetaFile;
    private long stagedFrames, stagedBytes;
    private boolean closed;

    private DatasetWriter(Path root, DatasetSpec spec, Options options) {
        this.root = root;
        this.spec = spec;
        this.options = options;
        this.duck = Duck.open();
    }

    /**
     * Creates a dataset at {@code root}, or with {@code options.resume()} continues the one there (after folding in
     * the episodes a killed writer had staged). Refuses a non-empty directory that is not a dataset, an existing
     * dataset without resume, and a dataset whose features differ from {@code spec}.
     */
    public static DatasetWriter open(Path root, DatasetSpec spec, Options options) {
        DatasetWriter w = new DatasetWriter(root, spec, options);
        try {
            w.init();
            return w;
        } catch (RuntimeException e) {
            w.closeQuietly();
            throw e;
        }
    }

    private void init() {
        Path infoPath = DatasetInfo.path(root);
        try {
            if (Files.exists(root) && !Files.isDirectory(root))
                throw new WmpcException("cannot write a dataset to " + root + ": it is a file; choose a directory");
            if (Files.isRegularFile(infoPath) || Files.isRegularFile(CommitJournal.path(root))) {
                if (!options.resume())
                    throw new WmpcException(root + " already holds a dataset: pass --resume to continue it, or choose another --out");
                CommitJournal.rollForward(root);
                CommitJournal.deleteTemporaries(root);
                DatasetMeta meta = DatasetMeta.load(root);
                List<String> diff = spec.differencesFrom(meta.info());
                if (!diff.isEmpty())
                    throw new WmpcException("cannot append to " + root + ": " + String.join("; ", diff));
                info = meta.info();
                tasks.addAll(meta.tasks());
                committedTasks = tasks.size();
                seeds.addAll(meta.seeds());
                committedEpisodes = meta.episodes().size();
                committedFrames = meta.totalFrames();
                for (EpisodeMeta e : meta.episodes()) {
                    if (Boolean.TRUE.equals(e.success())) successes++;
                    nextFile = Math.max(nextFile, e.dataChunk() * info.chunksSize() + e.dataFile() + 1);
                    for (var v : e.videos().values()) nextFile = Math.max(nextFile, v.chunk() * info.chunksSize() + v.file() + 1);
                    nextMetaFile = Math.max(nextMetaFile, e.metaChunk() * info.chunksSize() + e.metaFile() + 1);
                }
                loadStats();
                recoverStaged();
            } else {
                if (Files.isDirectory(root)) {
                    try (Stream<Path> s = Files.list(root)) {
                        if (s.anyMatch(p -> !p.getFileName().toString().startsWith(".")))
                            throw new WmpcException(root + " is not empty and holds no dataset: choose a new or empty directory");
                    }
                }
                Files.createDirectories(root.resolve("meta"));
                info = DatasetInfo.empty(spec);
                Durable.writeAtomically(DatasetInfo.path(root), info.toJson());
            }
        } catch (IOException e) {
            throw new WmpcException("cannot create a dataset at " + root + ": " + e.getMessage()
                    + " (check that the directory is writable and the disk has space)", e);
        }
    }

    private void loadStats() throws IOException {
        Path p = root.resolve("meta").resolve("stats.json");
        if (!Files.isRegularFile(p)) return;
        JsonNode n = DatasetInfo.JSON.readTree(p.toFile());
        n.fields().forEachRemaining(e -> {
            Feature f = info.features().get(e.getKey());
            if (f != null) stats.put(e.getKey(), FeatureStats.fromJson(e.getValue(), f.isVisual() ? List.of(3, 1, 1) : f.shape()));
        });
    }

    private void recoverStaged() throws IOException {
        Path dir = StagedEpisode.dir(root);
        if (!Files.isDirectory(dir)) return;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".bin")).sorted().toList();
        }
        for (Path p : files) {
            StagedEpisode e;
            try {
                e = StagedEpisode.read(p);
            } catch (IOException ex) {
                throw new WmpcException("cannot recover the staged episode " + p + ": " + ex.getMessage()
                        + " (delete that file to resume without it)", ex);
            }
            if (e.episodeIndex() < committedEpisodes) { Files.delete(p); continue; }
            if (e.episodeIndex() != committedEpisodes + staged.size() || e.fromIndex() != committedFrames + stagedFrames)
                throw new WmpcException("staged episode " + p + " does not follow the dataset's last episode: remove it and resume again");
            if (e.taskIndex() == tasks.size()) tasks.add(e.episode().task());
            seeds.add(e.episode().seed());
            staged.add(e);
            stagedFrames += e.episode().length();
        }
        flush();
    }

    public Path root() { return root; }
    public DatasetSpec spec() { return spec; }

    /** Episodes that are durable (committed or staged). */
    public synchronized int episodes() { return committedEpisodes + staged.size(); }

    /** Frames in durable episodes. */
    public synchronized long frames() { return committedFrames + stagedFrames; }

    /** Seeds of the durable episodes, for resuming a collection where it stopped. */
    public synchronized Set<Long> seeds() { return Set.copyOf(seeds); }

    /**
     * Appends a finished episode and makes it durable before returning; returns its episode index. Thread-safe (one
     * writer serialises the workers). A write failure (disk full, unwritable directory) is a clear error and leaves
     * every earlier episode intact.
     */
    public synchronized int append(RecordedEpisode episode) {
        if (closed) throw new IllegalStateException("dataset writer is closed");
        for (DatasetSpec.Camera c : spec.cameras()) {
            EncodedVideo v = episode.videos().get(c.name());
            if (v == null) throw new IllegalArgumentException("episode has no video for camera '" + c.name() + "'");
            if (v.width() != c.width() || v.height() != c.height() || v.fps() != spec.fps())
                throw new IllegalArgumentException("camera '" + c.name() + "' video is " + v.width() + "x" + v.height() + "@" + v.fps()
                        + " but the dataset records " + c.width() + "x" + c.height() + "@" + spec.fps());
        }
        if (episode.environmentDim() != spec.environmentNames().size())
            throw new IllegalArgumentException("episode has " + episode.environmentDim() + " environment-state entries but the dataset records "
                    + spec.environmentNames().size() + " " + spec.environmentNames());
        int index = episodes();
        int taskIndex = tasks.indexOf(episode.task());
        boolean newTask = taskIndex < 0;
        if (newTask) taskIndex = tasks.size();
        StagedEpisode s = new StagedEpisode(index, frames(), taskIndex, episode);
        Path file = StagedEpisode.file(root, index);
        try {
            byte[] bytes = s.toBytes();
            Files.createDirectories(file.getParent());
            Durable.writeAtomically(file, bytes);
            stagedBytes += bytes.length;
        } catch (IOException e) {
            throw new WmpcException("cannot save episode " + index + " to " + file + ": " + e.getMessage()
                    + "; the " + index + " finished episodes are intact (free disk space or fix permissions, then --resume)", e);
        }
        if (newTask) tasks.add(episode.task());
        seeds.add(episode.seed());
        staged.add(s);
        stagedFrames += episode.length();
        if (stagedFrames >= options.framesPerFile() || stagedBytes >= options.bytesPerFile()) flush();
        return index;
    }

    /** Folds every staged episode into the LeRobot files now (new data/video/episodes files, then metadata). */
    public synchronized void flush() {
        if (staged.isEmpty()) return;
        List<CommitJournal.Rename> renames = new ArrayList<>();
        List<Path> temporaries = new ArrayList<>();
        try {
            List<List<StagedEpisode>> groups = groups();
            Map<Integer, Map<String, Object>> placement = new LinkedHashMap<>();
            int file = nextFile;
            for (List<StagedEpisode> g : groups) {
                int chunk = file / info.chunksSize(), fi = file % info.chunksSize();
                String dataRel = info.dataFile(chunk, fi);
                Path dataTmp = Durable.tmpFor(root.resolve(dataRel));
                temporaries.add(dataTmp);
                writeData(dataTmp, g);
                renames.add(new CommitJournal.Rename(root.relativize(dataTmp).toString(), dataRel));
                Map<String, double[]> starts = new LinkedHashMap<>();
                for (DatasetSpec.Camera c : spec.cameras()) {
                    String key = c.key();
                    String videoRel = info.videoFile(key, chunk, fi);
                    Path videoTmp = Durable.tmpFor(root.resolve(videoRel));
                    Files.createDirectories(videoTmp.getParent());
                    temporaries.add(videoTmp);
                    List<EncodedVideo> vids = g.stream().map(e -> e.episode().videos().get(c.name())).toList();
                    Mp4Writer.write(videoTmp, vids);
                    Durable.fsync(videoTmp);
                    starts.put(key, Mp4Writer.startTimes(vids));
                    renames.add(new CommitJournal.Rename(root.relativize(videoTmp).toString(), videoRel));
                }
                for (int k = 0; k < g.size(); k++) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("data/chunk_index", chunk);
                    p.put("data/file_index", fi);
                    for (var st : starts.entrySet()) {
                        p.put("videos/" + st.getKey() + "/chunk_index", chunk);
                        p.put("videos/" + st.getKey() + "/file_index", fi);
                        p.put("videos/" + st.getKey() + "/from_timestamp", st.getValue()[k]);
                        p.put("videos/" + st.getKey() + "/to_timestamp", st.getValue()[k + 1]);
                    }
                    placement.put(g.get(k).episodeIndex(), p);
                }
                file++;
            }
            // Episode rows with their stats; dataset stats aggregated.
            Map<String, FeatureStats> newStats = new LinkedHashMap<>(stats);
            int mchunk = nextMetaFile / info.chunksSize(), mfile = nextMetaFile % info.chunksSize();
            String episodesRel = DatasetInfo.chunkPath(DatasetInfo.EPISODES_PATH, null, mchunk, mfile);
            Path episodesTmp = Durable.tmpFor(root.resolve(episodesRel));
            temporaries.add(episodesTmp);
            int newSuccesses = writeEpisodes(episodesTmp, placement, newStats, mchunk, mfile);
            renames.add(new CommitJournal.Rename(root.relativize(episodesTmp).toString(), episodesRel));
            if (tasks.size() > committedTasks) {
                Path tasksTmp = Durable.tmpFor(root.resolve("meta/tasks.parquet"));
                temporaries.add(tasksTmp);
                writeTasks(tasksTmp);
                renames.add(new CommitJournal.Rename(root.relativize(tasksTmp).toString(), "meta/tasks.parquet"));
            }
            ObjectNode statsJson = DatasetInfo.JSON.createObjectNode();
            newStats.forEach((k, v) -> statsJson.set(k, v.toJson()));
            Path statsTmp = Durable.tmpFor(root.resolve("meta/stats.json"));
            temporaries.add(statsTmp);
            writeFile(statsTmp, DatasetInfo.JSON.writeValueAsString(statsJson));
            renames.add(new CommitJournal.Rename(root.relativize(statsTmp).toString(), "meta/stats.json"));
            DatasetInfo newInfo = info.withTotals(episodes(), frames(), tasks.size());
            Path infoTmp = Durable.tmpFor(DatasetInfo.path(root));
            temporaries.add(infoTmp);
            writeFile(infoTmp, newInfo.toJson());
            renames.add(new CommitJournal.Rename(root.relativize(infoTmp).toString(), "meta/info.json"));
            List<String> delete = staged.stream().map(e -> root.relativize(StagedEpisode.file(root, e.episodeIndex())).toString()).toList();
            CommitJournal.commit(root, renames, delete);
            // Committed: update the in-memory state.
            info = newInfo;
            stats.clear();
            stats.putAll(newStats);
            committedEpisodes += staged.size();
            committedFrames += stagedFrames;
            committedTasks = tasks.size();
            successes += newSuccesses;
            nextFile = file;
            nextMetaFile++;
            staged.clear();
            stagedFrames = 0;
            stagedBytes = 0;
        } catch (IOException | SQLException | RuntimeException e) {
            if (!Files.exists(CommitJournal.path(root)))
                for (Path t : temporaries) try { Files.deleteIfExists(t); } catch (IOException ignored) { /* best effort */ }
            if (e instanceof WmpcException w) throw w;
            throw new WmpcException("cannot write the dataset files in " + root + ": " + e.getMessage()
                    + "; staged episodes are kept and folded in on --resume (free disk space or fix permissions)", e);
        }
    }

    private List<List<StagedEpisode>> groups() {
        List<List<StagedEpisode>> groups = new ArrayList<>();
        List<StagedEpisode> cur = new ArrayList<>();
        for (StagedEpisode e : staged) {
            if (!cur.isEmpty() && !compatible(cur.get(0), e)) { groups.add(cur); cur = new ArrayList<>(); }
            cur.add(e);
        }
        if (!cur.isEmpty()) groups.add(cur);
        return groups;
    }

    private boolean compatible(StagedEpisode a, StagedEpisode b) {
        for (DatasetSpec.Camera c : spec.cameras())
            if (!a.episode().videos().get(c.name()).compatibleWith(b.episode().videos().get(c.name()))) return false;
        return true;
    }

    private static void writeFile(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        Durable.fsync(p);
    }

    private void copyTo(Statement s, String table, Path out, String extra) throws SQLException, IOException {
        Files.createDirectories(out.getParent());
        s.execute("COPY " + table + " TO " + Duck.path(out) + " (FORMAT PARQUET, COMPRESSION SNAPPY" + extra + ")");
        s.execute("DROP TABLE " + table);
        Durable.fsync(out);
    }

    private void writeData(Path out, List<StagedEpisode> group) throws SQLException, IOException {
        int ds = spec.stateNames().size(), da = spec.actionNames().size(), de = spec.environmentNames().size();
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE data (" + Duck.id(DatasetSpec.STATE) + " FLOAT[" + ds + "], "
                    + (de > 0 ? Duck.id(DatasetSpec.ENVIRONMENT_STATE) + " FLOAT[" + de + "], " : "") + Duck.id(DatasetSpec.ACTION)
                    + " FLOAT[" + da + "], " + Duck.id(DatasetSpec.DONE) + " BOOLEAN, " + Duck.id(DatasetSpec.SUCCESS)
                    + " BOOLEAN, timestamp FLOAT, frame_index BIGINT, episode_index BIGINT, index BIGINT, task_index BIGINT)");
            try (DuckDBAppender ap = duck.createAppender("data")) {
                for (StagedEpisode e : group) {
                    RecordedEpisode r = e.episode();
                    for (int i = 0; i < r.length(); i++) {
                        ap.beginRow();
                        ap.append(r.states()[i]);
                        if (de > 0) ap.append(r.environmentStates()[i]);
                        ap.append(r.actions()[i]);
                        ap.append(r.done()[i]);
                        ap.append(r.frameSuccess()[i]);
                        ap.append(r.timestamp(i, spec.fps()));
                        ap.append((long) i);
                        ap.append((long) e.episodeIndex());
                        ap.append(e.fromIndex() + i);
                        ap.append((long) e.taskIndex());
                        ap.endRow();
                    }
                }
            }
            copyTo(s, "data", out, "");
        }
    }

    /** Columns and per-episode stats of meta/episodes, as LeRobot writes them, plus wmpc's seed and success. */
    private int writeEpisodes(Path out, Map<Integer, Map<String, Object>> placement, Map<String, FeatureStats> aggregate,
                              int mchunk, int mfile) throws SQLException, IOException {
        List<String> statFeatures = new ArrayList<>();
        for (var f : info.features().entrySet()) statFeatures.add(f.getKey());
        StringBuilder ddl = new StringBuilder("CREATE OR REPLACE TABLE episodes (episode_index BIGINT, tasks VARCHAR[], length BIGINT, "
                + "\"data/chunk_index\" BIGINT, \"data/file_index\" BIGINT, dataset_from_index BIGINT, dataset_to_index BIGINT");
        for (DatasetSpec.Camera c : spec.cameras()) {
            String k = "videos/" + c.key() + "/";
            ddl.append(", ").append(Duck.id(k + "chunk_index")).append(" BIGINT, ").append(Duck.id(k + "file_index")).append(" BIGINT, ")
                    .append(Duck.id(k + "from_timestamp")).append(" DOUBLE, ").append(Duck.id(k + "to_timestamp")).append(" DOUBLE");
        }
        for (String f : statFeatures) {
            String type = info.features().get(f).isVisual() ? "DOUBLE[][][]" : "DOUBLE[]";
            for (String k : FeatureStats.KEYS)
                ddl.append(", ").append(Duck.id("stats/" + f + "/" + k)).append(k.equals("count") ? " BIGINT[]" : " " + type);
        }
        ddl.append(", \"meta/episodes/chunk_index\" BIGINT, \"meta/episodes/file_index\" BIGINT, seed BIGINT, success BOOLEAN)");
        int succ = 0;
        Map<String, List<FeatureStats>> perFeature = new LinkedHashMap<>();
        aggregate.forEach((k, v) -> perFeature.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        try (Statement s = duck.createStatement()) {
            s.execute(ddl.toString());
            try (DuckDBAppender ap = duck.createAppender("episodes")) {
                for (StagedEpisode e : staged) {
                    RecordedEpisode r = e.episode();
                    if (r.success()) succ++;
                    Map<String, FeatureStats> es = episodeStats(e);
                    es.forEach((k, v) -> perFeature.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    Map<String, Object> p = placement.get(e.episodeIndex());
                    List<Object> row = new ArrayList<>(List.of((long) e.episodeIndex(), List.of(r.task()), (long) r.length(),
                            p.get("data/chunk_index"), p.get("data/file_index"), e.fromIndex(), e.fromIndex() + r.length()));
                    for (DatasetSpec.Camera c : spec.cameras()) {
                        String k = "videos/" + c.key() + "/";
                        for (String f : List.of("chunk_index", "file_index", "from_timestamp", "to_timestamp")) row.add(p.get(k + f));
                    }
                    for (String f : statFeatures) {
                        FeatureStats fs = es.get(f);
                        for (String k : FeatureStats.KEYS) row.add(fs.nested(k));
                    }
                    row.addAll(List.of((long) mchunk, (long) mfile, r.seed(), r.success()));
                    ap.beginRow();
                    for (Object v : row) appendValue(ap, v);
                    ap.endRow();
                }
            }
            copyTo(s, "episodes", out, "");
        }
        perFeature.forEach((k, list) -> aggregate.put(k, FeatureStats.aggregate(list)));
        return succ;
    }

    private static void appendValue(DuckDBAppender ap, Object v) throws SQLException {
        switch (v) {
            case Integer i -> ap.append((long) i);
            case Long l -> ap.append(l);
            case Double d -> ap.append(d);
            case Boolean b -> ap.append(b);
            case String str -> ap.append(str);
            case java.util.Collection<?> c -> ap.append(c);
            default -> throw new IllegalArgumentException("cannot append " + v.getClass());
        }
    }

    private Map<String, FeatureStats> episodeStats(StagedEpisode e) {
        RecordedEpisode r = e.episode();
        int n = r.length();
        Map<String, FeatureStats> m = new LinkedHashMap<>();
        for (DatasetSpec.Camera c : spec.cameras()) m.put(c.key(), r.imageStats().get(c.name()));
        m.put(DatasetSpec.STATE, FeatureStats.ofRows(r.states()));
        if (spec.hasEnvironment()) m.put(DatasetSpec.ENVIRONMENT_STATE, FeatureStats.ofRows(r.environmentStates()));
        m.put(DatasetSpec.ACTION, FeatureStats.ofRows(r.actions()));
        float[][] done = new float[n][1], succ = new float[n][1], ts = new float[n][1], fi = new float[n][1],
                ei = new float[n][1], ix = new float[n][1], ti = new float[n][1];
        for (int i = 0; i < n; i++) {
            done[i][0] = r.done()[i] ? 1 : 0;
            succ[i][0] = r.frameSuccess()[i] ? 1 : 0;
            ts[i][0] = r.timestamp(i, spec.fps());
            fi[i][0] = i;
            ei[i][0] = e.episodeIndex();
            ix[i][0] = e.fromIndex() + i;
            ti[i][0] = e.taskIndex();
        }
        m.put(DatasetSpec.DONE, FeatureStats.ofRows(done));
        m.put(DatasetSpec.SUCCESS, FeatureStats.ofRows(succ));
        m.put("timestamp", FeatureStats.ofRows(ts));
        m.put("frame_index", FeatureStats.ofRows(fi));
        m.put("episode_index", FeatureStats.ofRows(ei));
        m.put("index", FeatureStats.ofRows(ix));
        m.put("task_index", FeatureStats.ofRows(ti));
        return m;
    }

    private void writeTasks(Path out) throws SQLException, IOException {
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE tasks (task_index BIGINT, task VARCHAR)");
            for (int i = 0; i < tasks.size(); i++) s.execute("INSERT INTO tasks VALUES (" + i + ", " + Duck.str(tasks.get(i)) + ")");
            // pandas metadata: LeRobot reads tasks.parquet with pandas and expects 'task' as the index.
            String pandas = "{\"index_columns\": [\"task\"], \"column_indexes\": [{\"name\": null, \"field_name\": null, "
                    + "\"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": {\"encoding\": \"UTF-8\"}}], "
                    + "\"columns\": [{\"name\": \"task_index\", \"field_name\": \"task_index\", \"pandas_type\": \"int64\", "
                    + "\"numpy_type\": \"int64\", \"metadata\": null}, {\"name\": \"task\", \"field_name\": \"task\", "
                    + "\"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": null}], "
                    + "\"creator\": {\"library\": \"pyarrow\", \"version\": \"21.0.0\"}, \"pandas_version\": \"2.3.2\"}";
            copyTo(s, "tasks", out, ", KV_METADATA {pandas: " + Duck.str(pandas) + "}");
        }
    }

    /** Folds in staged episodes and closes. */
    @Override public synchronized void close() {
        if (closed) return;
        try {
            flush();
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        closed = true;
        try { duck.close(); } catch (SQLException ignored) { /* nothing left to release */ }
    }
}
