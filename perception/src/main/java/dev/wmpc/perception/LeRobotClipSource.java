package dev.wmpc.perception;

import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.EpisodeDataset;
import dev.wmpc.dataset.Feature;
import java.nio.file.Path;
import java.util.List;

/**
 * A LeRobot v3 dataset (read by the dataset module's {@link EpisodeDataset}) as a {@link ClipSource}: one camera's
 * RGB frames, {@code observation.state}, the end-effector xyz from the state entries named {@code ee_x, ee_y, ee_z}
 * and the object xyz from the entries named {@code cube_x, cube_y, cube_z} (or {@code object_x, ...}) of
 * {@code observation.environment_state} (what {@code wmpc collect} records from the simulator), else of
 * {@code observation.state}, when the dataset records them.
 */
public final class LeRobotClipSource implements ClipSource {
    private final EpisodeDataset dataset;
    private final Path root;
    private final String camera;
    private final int[] ee;
    private final int[] object;
    /** Whether {@link #object} indexes the environment state (else the robot state). */
    private final boolean objectInEnvironment;

    private LeRobotClipSource(EpisodeDataset dataset, Path root, String camera) {
        this.dataset = dataset;
        this.root = root;
        this.camera = camera;
        Feature state = dataset.meta().info().features().get(DatasetSpec.STATE);
        List<String> names = state == null || state.names() == null ? List.of() : state.names();
        this.ee = indices(names, "ee_");
        int[] inEnv = objectIndices(dataset.environmentNames());
        this.objectInEnvironment = inEnv != null;
        this.object = inEnv != null ? inEnv : objectIndices(names);
    }

    private static int[] objectIndices(List<String> names) {
        int[] obj = indices(names, "cube_");
        return obj != null ? obj : indices(names, "object_");
    }

    /** How LeRobot names a camera's video feature: {@code observation.images.NAME}. */
    static final String VIDEO_PREFIX = "observation.images.";

    /** Opens the dataset; {@code camera} (a video feature or its camera name, {@code front}) null means its first camera. */
    public static LeRobotClipSource open(Path root, String camera) {
        EpisodeDataset ds = EpisodeDataset.open(root);
        try {
            if (ds.cameras().isEmpty()) throw new WmpcException(root + " has no camera (video) feature to train the encoder on");
            String cam = camera == null ? ds.cameras().get(0) : camera;
            if (!ds.cameras().contains(cam) && ds.cameras().contains(VIDEO_PREFIX + cam)) cam = VIDEO_PREFIX + cam;
            if (!ds.cameras().contains(cam))
                throw WmpcException.usage("no camera '" + cam + "' in " + root + ": cameras are " + ds.cameras());
            return new LeRobotClipSource(ds, root, cam);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    private static int[] indices(List<String> names, String prefix) {
        int x = names.indexOf(prefix + "x"), y = names.indexOf(prefix + "y"), z = names.indexOf(prefix + "z");
        return x < 0 || y < 0 || z < 0 ? null : new int[] {x, y, z};
    }

    /** Whether the environment state or the state names an object position (else probes report no object R²). */
    public boolean hasObjectPosition() { return object != null; }

    @Override public int episodes() { return dataset.episodes(); }

    @Override public int length(int episode) { return dataset.length(episode); }

    @Override public VideoClip clip(int episode, int start, int frames) {
        dev.wmpc.dataset.Clip c = dataset.clip(episode, start, frames, camera);
        int w = c.width(), h = c.height(), len = w * h * 3;
        byte[] rgb = new byte[frames * len];
        for (int i = 0; i < frames; i++) {
            byte[] f = c.frames()[i];
            if (f.length != len)
                throw new WmpcException(root + " episode " + episode + " frame " + (start + i) + " has " + f.length
                        + " bytes, expected " + w + "x" + h + " rgb (" + len + ")");
            System.arraycopy(f, 0, rgb, i * len, len);
        }
        return new VideoClip(episode, start, frames, w, h, rgb, c.states(), pick(c.states(), ee), pick(objectInEnvironment ? c.environmentStates() : c.states(), object));
    }

    private static float[][] pick(float[][] states, int[] idx) {
        if (idx == null) return null;
        float[][] out = new float[states.length][];
        for (int i = 0; i < states.length; i++) out[i] = new float[] {states[i][idx[0]], states[i][idx[1]], states[i][idx[2]]};
        return out;
    }

    @Override public String describe() {
        return root + " (" + dataset.episodes() + " episodes, " + dataset.totalFrames() + " frames, camera " + camera + ")";
    }

    @Override public void close() {
        dataset.close();
    }
}
