package dev.wmpc.worldmodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Durable;
import dev.wmpc.dataset.Clip;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.EpisodeDataset;
import dev.wmpc.dataset.Feature;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.FramePreprocessor;
import dev.wmpc.perception.VideoEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The dataset encoded once by the frozen encoder, on disk, so predictor training never runs the encoder.
 *
 * <p>Every {@code stride}-th frame of every episode is encoded on its own (the image repeated to fill one tubelet, as
 * V-JEPA 2-AC encodes single frames, and as a planner encodes its current camera frame), giving one latent step per
 * {@code stride} frames: the state of that frame, and the action that leads to the next step (Δ entries named
 * dx/dy/dz summed over the stride, other entries taken from the stride's last frame).
 *
 * <p>Folder {@code <root>/<key>}: {@code meta.json}, {@code latents.f32} ([steps, N, D] little-endian float32, memory
 * mapped when read), {@code states.f32}, {@code actions.f32}. The key hashes the encoder folder's files, the dataset's
 * meta and data files (and video names and sizes), the camera and the stride: a changed encoder or dataset gets a new
 * cache, an unchanged one is reused.
 */
public final class LatentCache implements LatentSequenceSource {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final LatentSpec spec;
    private final List<String> stateNames;
    private final int stride;
    private final LatentEpisode[] episodes;

    private LatentCache(Path dir, LatentSpec spec, List<String> stateNames, int stride, LatentEpisode[] episodes) {
        this.dir = dir;
        this.spec = spec;
        this.stateNames = stateNames;
        this.stride = stride;
        this.episodes = episodes;
    }

    /** Called as episodes are encoded (for progress bars). */
    public interface Progress {
        void onEpisode(int done, int total);
    }

    /**
     * The cache for this encoder and dataset under {@code root}: opened if present, otherwise built first.
     *
     * @param encoderDir the encoder model folder (hashed for the key)
     */
    public static LatentCache openOrBuild(Path root, Path data, Path encoderDir, VideoEncoder encoder, String camera,
                                          int stride, Progress progress) {
        if (stride < 1) throw WmpcException.usage("--stride must be >= 1, got " + stride);
        String key = key(data, encoderDir, camera, stride);
        Path dir = root.resolve(key);
        if (Files.isRegularFile(dir.resolve("meta.json"))) return open(dir);
        build(dir, data, encoder, camera, stride, progress);
        return open(dir);
    }

    public Path dir() { return dir; }

    /** Frames per latent step. */
    public int stride() { return stride; }

    @Override public LatentSpec spec() { return spec; }

    @Override public int episodes() { return episodes.length; }

    @Override public LatentEpisode episode(int index) { return episodes[index]; }

    @Override public List<String> stateNames() { return stateNames; }

    /** The cache key: a hash of the encoder files, the dataset files, the camera and the stride. */
    public static String key(Path data, Path encoderDir, String camera, int stride) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("wmpc-latents/" + FORMAT + "/" + camera + "/" + stride + "\n").getBytes());
            hashTree(md, encoderDir, encoderDir, true);
            for (String sub : List.of("meta", "data")) hashTree(md, data, data.resolve(sub), true);
            hashTree(md, data, data.resolve("videos"), false); // videos: names and sizes (large files)
            return HexFormat.of().formatHex(md.digest()).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new WmpcException("cannot hash " + data + " / " + encoderDir + " for the latent cache: " + e.getMessage(), e);
        }
    }

    private static void hashTree(MessageDigest md, Path base, Path dir, boolean contents) throws IOException {
        if (!Files.exists(dir)) return;
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            md.update(base.relativize(f).toString().getBytes());
            md.update(Long.toString(Files.size(f)).getBytes());
            if (!contents) continue;
            try (InputStream in = Files.newInputStream(f)) {
                for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
            }
        }
    }

    private static void build(Path dir, Path data, VideoEncoder encoder, String camera, int stride, Progress progress) {
        EncoderConfig ec = encoder.config();
        FramePreprocessor pre = new FramePreprocessor(ec.imageSize());
        Path tmp = null;
        try (EpisodeDataset ds = EpisodeDataset.open(data)) {
            String cam = camera == null ? ds.cameras().get(0) : camera;
            if (!ds.cameras().contains(cam))
                throw WmpcException.usage("no camera '" + cam + "' in " + data + ": cameras are " + ds.cameras());
            if (ds.stateDim() == 0 || ds.actionDim() == 0)
                throw new WmpcException(data + " has no " + DatasetSpec.STATE + " or " + DatasetSpec.ACTION
                        + " feature: the predictor needs both");
            Files.createDirectories(dir.getParent());
            tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".tmp-");
            List<String> stateNames = names(ds, DatasetSpec.STATE);
            List<String> actionNames = names(ds, DatasetSpec.ACTION);
            boolean[] summed = new boolean[ds.actionDim()];
            for (int i = 0; i < summed.length && i < actionNames.size(); i++)
                summed[i] = List.of("dx", "dy", "dz").contains(actionNames.get(i));
            List<Map<String, Object>> eps = new ArrayList<>();
            int frameLen = pre.frameLength(), tub = ec.tubelet(), batch = 16;
            try (OutputStream lat = Files.newOutputStream(tmp.resolve("latents.f32"));
                 OutputStream sts = Files.newOutputStream(tmp.resolve("states.f32"));
                 OutputStream acts = Files.newOutputStream(tmp.resolve("actions.f32"))) {
                for (int e = 0; e < ds.episodes(); e++) {
                    int len = ds.length(e);
                    Clip clip = ds.clip(e, 0, len, cam);
                    int steps = (len - 1) / stride + 1;
                    for (int from = 0; from < steps; from += batch) {
                        int b = Math.min(batch, steps - from);
                        float[] pixels = new float[b * tub * frameLen];
                        for (int i = 0; i < b; i++) {
                            int f = (from + i) * stride;
                            pre.preprocessRgb(clip.frames()[f], 0, clip.width(), clip.height(), pixels, i * tub * frameLen);
                            for (int k = 1; k < tub; k++)
                                System.arraycopy(pixels, i * tub * frameLen, pixels, (i * tub + k) * frameLen, frameLen);
                        }
                        try (NDManager m = NDManager.newBaseManager(encoder.device())) {
                            NDArray clips = m.create(pixels, new Shape(b, tub, 3, ec.imageSize(), ec.imageSize()));
                            NDArray z = encoder.encode(m, clips); // [b, 1, N, D]
                            writeFloats(lat, z.toFloatArray());
                        }
                    }
                    float[] st = new float[steps * ds.stateDim()];
                    float[] ac = new float[steps * ds.actionDim()];
                    for (int k = 0; k < steps; k++) {
                        int f = k * stride;
                        System.arraycopy(clip.states()[f], 0, st, k * ds.stateDim(), ds.stateDim());
                        for (int j = f; j < Math.min(f + stride, len); j++)
                            for (int i = 0; i < ds.actionDim(); i++)
                                ac[k * ds.actionDim() + i] = summed[i] ? ac[k * ds.actionDim() + i] + clip.actions()[j][i]
                                        : clip.actions()[j][i];
                    }
                    writeFloats(sts, st);
                    writeFloats(acts, ac);
                    eps.add(Map.of("episode", e, "steps", steps, "frames", len));
                    if (progress != null) progress.onEpisode(e + 1, ds.episodes());
                }
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.put("dataset", data.toAbsolutePath().toString());
            meta.put("camera", cam);
            meta.put("stride", stride);
            meta.put("grid", ec.gridSize());
            meta.put("latentDim", ec.dim());
            meta.put("stateDim", ds.stateDim());
            meta.put("actionDim", ds.actionDim());
            meta.put("stateNames", stateNames);
            meta.put("actionNames", actionNames);
            meta.put("episodes", eps);
            Files.writeString(tmp.resolve("meta.json"), JSON.writeValueAsString(meta));
            Durable.replaceDirectory(tmp, dir);
            tmp = null;
        } catch (IOException e) {
            throw new WmpcException("cannot write the latent cache " + dir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Durable.deleteTree(tmp); // a failed build leaves nothing behind
                } catch (IOException ignored) {
                    // best effort: the next build uses a fresh temporary folder
                }
            }
        }
    }

    private static List<String> names(EpisodeDataset ds, String key) {
        Feature f = ds.meta().info().features().get(key);
        return f == null || f.names() == null ? List.of() : f.names();
    }

    private static void writeFloats(OutputStream out, float[] v) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        out.write(bb.array());
    }

    /** Opens a cache folder written by {@link #openOrBuild}. */
    @SuppressWarnings("unchecked")
    public static LatentCache open(Path dir) {
        try {
            Map<String, Object> meta = JSON.readValue(dir.resolve("meta.json").toFile(), Map.class);
            if (((Number) meta.get("format")).intValue() != FORMAT)
                throw new WmpcException("latent cache " + dir + " has an old format: delete it to rebuild");
            int grid = ((Number) meta.get("grid")).intValue();
            LatentSpec spec = new LatentSpec(grid, grid, ((Number) meta.get("latentDim")).intValue(),
                    ((Number) meta.get("stateDim")).intValue(), ((Number) meta.get("actionDim")).intValue());
            List<Map<String, Object>> eps = (List<Map<String, Object>>) meta.get("episodes");
            float[] states = readFloats(dir.resolve("states.f32"));
            float[] actions = readFloats(dir.resolve("actions.f32"));
            LatentEpisode[] episodes = new LatentEpisode[eps.size()];
            try (FileChannel ch = FileChannel.open(dir.resolve("latents.f32"), StandardOpenOption.READ)) {
                long offset = 0;
                int row = 0;
                for (int i = 0; i < episodes.length; i++) {
                    int steps = ((Number) eps.get(i).get("steps")).intValue();
                    long bytes = (long) steps * spec.frameFloats() * 4;
                    FloatBuffer z = ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes)
                            .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                    float[] s = java.util.Arrays.copyOfRange(states, row * spec.stateDim(), (row + steps) * spec.stateDim());
                    float[] a = java.util.Arrays.copyOfRange(actions, row * spec.actionDim(), (row + steps) * spec.actionDim());
                    episodes[i] = new LatentEpisode(spec, steps, z, s, a);
                    offset += bytes;
                    row += steps;
                }
            }
            return new LatentCache(dir, spec, (List<String>) meta.get("stateNames"),
                    ((Number) meta.get("stride")).intValue(), episodes);
        } catch (IOException | RuntimeException e) {
            if (e instanceof WmpcException w) throw w;
            throw new WmpcException("cannot read the latent cache " + dir + ": " + e.getMessage()
                    + " (delete the folder to rebuild it)", e);
        }
    }

    private static float[] readFloats(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        float[] v = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
