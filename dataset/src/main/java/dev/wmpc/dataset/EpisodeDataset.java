package dev.wmpc.dataset;

import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Random access to clips of a LeRobot v3 dataset (written by wmpc or by LeRobot) for training.
 *
 * <p>States and actions of all frames are loaded once (a few floats per frame). Images are decoded one episode at a
 * time into an LRU cache bounded in bytes, so a clip never re-decodes a whole video and a large dataset is never
 * held in memory whole. Thread-safe.
 */
public final class EpisodeDataset implements AutoCloseable {
    private static final long DEFAULT_CACHE_BYTES = 512L << 20;
    private static final int OPEN_VIDEOS = 4;

    private final DatasetMeta meta;
    private final int stateDim, actionDim, environmentDim;
    private final float[] states, actions, environment;
    private final List<String> environmentNames;
    private final long cacheBudget;
    private long cacheBytes;
    private final LinkedHashMap<String, byte[][]> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<Path, VideoReader> readers = new LinkedHashMap<>(8, 0.75f, true);
    private long decodedEpisodes;

    private EpisodeDataset(DatasetMeta meta, long cacheBudget) {
        this.meta = meta;
        this.cacheBudget = cacheBudget;
        Feature sf = meta.info().features().get(DatasetSpec.STATE), af = meta.info().features().get(DatasetSpec.ACTION);
        stateDim = sf == null ? 0 : sf.size();
        actionDim = af == null ? 0 : af.size();
        Feature ef = meta.info().features().get(DatasetSpec.ENVIRONMENT_STATE);
        environmentDim = ef == null ? 0 : ef.size();
        environmentNames = ef == null || ef.names() == null ? List.of() : ef.names();
        long n = meta.totalFrames();
        if (n * Math.max(Math.max(stateDim, actionDim), environmentDim) > Integer.MAX_VALUE) throw new WmpcException("dataset too large: " + n + " frames");
        states = new float[(int) n * stateDim];
        actions = new float[(int) n * actionDim];
        environment = new float[(int) n * environmentDim];
        loadRows();
    }

    public static EpisodeDataset open(Path root) { return open(root, DEFAULT_CACHE_BYTES); }

    /** Opens the dataset with a decoded-frame cache of at most {@code cacheBytes}. */
    public static EpisodeDataset open(Path root, long cacheBytes) {
        DatasetMeta meta = DatasetMeta.load(root);
        if (meta.info().videoKeys().isEmpty())
            throw new WmpcException(root + " has no video features: wmpc reads datasets whose cameras are stored as mp4");
        return new EpisodeDataset(meta, cacheBytes);
    }

    private void loadRows() {
        Path root = meta.root();
        List<Path> files = DatasetMeta.parquetFiles(root.resolve("data"));
        if (files.isEmpty()) return;
        try (DuckDBConnection c = Duck.open(); Statement s = c.createStatement()) {
            String src = DatasetMeta.readParquet(files);
            List<String> cols = DatasetMeta.columns(s, src);
            String sel = "SELECT index" + (stateDim > 0 ? ", " + Duck.id(DatasetSpec.STATE) : "") + (actionDim > 0 ? ", " + Duck.id(DatasetSpec.ACTION) : "")
                    + (environmentDim > 0 ? ", " + Duck.id(DatasetSpec.ENVIRONMENT_STATE) : "") + " FROM " + src + " ORDER BY index";
            if (!cols.contains("index")) throw new WmpcException(root.resolve("data") + " has no 'index' column");
            if (environmentDim > 0 && !cols.contains(DatasetSpec.ENVIRONMENT_STATE))
                throw new WmpcException(root.resolve("data") + " has no '" + DatasetSpec.ENVIRONMENT_STATE + "' column though meta/info.json lists it (run wmpc dataset validate)");
            int n = (int) meta.totalFrames();
            try (ResultSet rs = s.executeQuery(sel)) {
                while (rs.next()) {
                    long idx = rs.getLong(1);
                    if (idx < 0 || idx >= n) throw new WmpcException(root.resolve("data") + ": index " + idx + " outside 0.." + (n - 1) + " (run wmpc dataset validate)");
                    int col = 2;
                    if (stateDim > 0) copy(rs.getArray(col++), states, (int) idx * stateDim, stateDim);
                    if (actionDim > 0) copy(rs.getArray(col++), actions, (int) idx * actionDim, actionDim);
                    if (environmentDim > 0) copy(rs.getArray(col), environment, (int) idx * environmentDim, environmentDim);
                }
            }
        } catch (SQLException e) {
            throw new WmpcException("cannot read the data files of " + root + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Array a, float[] dst, int off, int n) throws SQLException {
        Object[] v = (Object[]) a.getArray();
        for (int i = 0; i < n && i < v.length; i++) dst[off + i] = ((Number) v[i]).floatValue();
    }

    public DatasetMeta meta() { return meta; }
    public int episodes() { return meta.episodes().size(); }
    public int length(int episode) { return meta.episodes().get(episode).length(); }
    public int fps() { return meta.info().fps(); }
    public int stateDim() { return stateDim; }
    public int actionDim() { return actionDim; }

    /** Entries of {@code observation.environment_state} (0 when the dataset has none). */
    public int environmentDim() { return environmentDim; }

    /** Names of {@code observation.environment_state}'s entries, e.g. cube_x, cube_y, cube_z; empty when none. */
    public List<String> environmentNames() { return environmentNames; }
    public long totalFrames() { return meta.totalFrames(); }

    /** Camera (video feature) keys, e.g. {@code observation.images.front}; the first is the default. */
    public List<String> cameras() { return meta.info().videoKeys(); }

    /** Bytes of decoded frames held in the cache now (bounded by the budget given to {@link #open(Path, long)}). */
    public synchronized long cachedBytes() { return cacheBytes; }

    /** Episodes decoded so far (cache misses). */
    public synchronized long decodedEpisodes() { return decodedEpisodes; }

    public Clip clip(int episode, int start, int length) { return clip(episode, start, length, cameras().get(0)); }

    /** Frames [start, start+length) of {@code episode} from {@code camera}, with their states, actions and environment states. */
    public Clip clip(int episode, int start, int length, String camera) {
        if (episode < 0 || episode >= episodes()) throw new IndexOutOfBoundsException("episode " + episode + " of " + episodes());
        EpisodeMeta e = meta.episodes().get(episode);
        if (start < 0 || length <= 0 || start + length > e.length())
            throw new IndexOutOfBoundsException("clip [" + start + ", " + (start + length) + ") outside episode " + episode + " of length " + e.length());
        Feature f = meta.info().features().get(camera);
        if (f == null || !f.isVisual()) throw new IllegalArgumentException("no camera '" + camera + "': cameras are " + cameras());
        byte[][] all = frames(e, camera);
        byte[][] out = new byte[length][];
        for (int i = 0; i < length; i++) out[i] = all[start + i].clone();
        float[][] st = new float[length][stateDim], ac = new float[length][actionDim], env = new float[length][environmentDim];
        long base = e.fromIndex() + start;
        for (int i = 0; i < length; i++) {
            System.arraycopy(states, (int) (base + i) * stateDim, st[i], 0, stateDim);
            System.arraycopy(actions, (int) (base + i) * actionDim, ac[i], 0, actionDim);
            System.arraycopy(environment, (int) (base + i) * environmentDim, env[i], 0, environmentDim);
        }
        return new Clip(episode, start, camera, f.shape().get(1), f.shape().get(0), out, st, ac, env);
    }

    private synchronized byte[][] frames(EpisodeMeta e, String camera) {
        String key = e.episodeIndex() + "/" + camera;
        byte[][] hit = cache.get(key);
        if (hit != null) return hit;
        EpisodeMeta.VideoSegment seg = e.videos().get(camera);
        Path path = meta.root().resolve(meta.info().videoFile(camera, seg.chunk(), seg.file()));
        byte[][] frames;
        try {
            List<byte[]> decoded = reader(path).decode(seg.fromTimestamp(), seg.toTimestamp(), 1.0 / fps());
            if (decoded.size() < e.length())
                throw new WmpcException(path + " has " + decoded.size() + " frames for episode " + e.episodeIndex()
                        + " in [" + seg.fromTimestamp() + ", " + seg.toTimestamp() + ") s but the episode has " + e.length());
            frames = decoded.subList(0, e.length()).toArray(byte[][]::new);
        } catch (IOException ex) {
            throw new WmpcException("cannot decode " + path + ": " + ex.getMessage(), ex);
        }
        decodedEpisodes++;
        long bytes = (long) frames.length * (frames.length == 0 ? 0 : frames[0].length);
        cache.put(key, frames);
        cacheBytes += bytes;
        Iterator<Map.Entry<String, byte[][]>> it = cache.entrySet().iterator();
        while (cacheBytes > cacheBudget && it.hasNext()) {
            Map.Entry<String, byte[][]> old = it.next();
            if (old.getKey().equals(key)) continue;
            byte[][] v = old.getValue();
            cacheBytes -= (long) v.length * (v.length == 0 ? 0 : v[0].length);
            it.remove();
        }
        return frames;
    }

    private VideoReader reader(Path path) throws IOException {
        VideoReader r = readers.get(path);
        if (r != null) return r;
        if (!Files.isRegularFile(path)) throw new IOException("video file is missing");
        r = new VideoReader(path);
        readers.put(path, r);
        if (readers.size() > OPEN_VIDEOS) {
            var it = readers.entrySet().iterator();
            it.next().getValue().close();
            it.remove();
        }
        return r;
    }

    @Override public synchronized void close() {
        readers.values().forEach(VideoReader::close);
        readers.clear();
        cache.clear();
    }

    /** All clip starts as (episode, start) pairs, for deterministic iteration. */
    public List<int[]> clipStarts(int length, int stride) {
        List<int[]> out = new ArrayList<>();
        for (int e = 0; e < episodes(); e++)
            for (int s = 0; s + length <= length(e); s += stride) out.add(new int[] {e, s});
        return out;
    }
}
