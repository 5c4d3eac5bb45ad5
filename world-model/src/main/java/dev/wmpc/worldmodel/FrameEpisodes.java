package dev.wmpc.worldmodel;

import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Clip;
import dev.wmpc.dataset.EpisodeDataset;
import dev.wmpc.dataset.Feature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A LeRobot dataset held in memory for end-to-end world-model training: every episode's frames of one camera (RGB24
 * bytes, decoded once), its robot states, actions and, when recorded, environment states (used only to probe the
 * latents, never to train). Episodes whose index is {@code 9 mod 10} are held out for evaluation.
 */
public final class FrameEpisodes {
    /** One episode: {@code frames[t]} is RGB24 {@code size × size × 3}; action t leads from frame t to t + 1. */
    public record Episode(int index, byte[][] frames, float[][] states, float[][] actions, float[][] environment) {
        public int length() { return frames.length; }
    }

    private final List<Episode> episodes;
    private final int size, stateDim, actionDim, environmentDim;
    private final String camera;
    private final List<String> stateNames, actionNames, environmentNames;
    private final long frames;

    private FrameEpisodes(List<Episode> episodes, int size, String camera, List<String> stateNames, List<String> actionNames,
                          List<String> environmentNames) {
        this.episodes = List.copyOf(episodes);
        this.size = size;
        this.camera = camera;
        this.stateNames = stateNames;
        this.actionNames = actionNames;
        this.environmentNames = environmentNames;
        this.stateDim = episodes.get(0).states()[0].length;
        this.actionDim = episodes.get(0).actions()[0].length;
        this.environmentDim = episodes.get(0).environment()[0].length;
        this.frames = episodes.stream().mapToLong(Episode::length).sum();
    }

    /**
     * Reads every episode of the dataset at {@code root} from {@code camera} (null: the first camera). Fails with one
     * clear message when the dataset has no camera, no state or no action, or frames that are not square.
     */
    public static FrameEpisodes load(Path root, String camera) {
        try (EpisodeDataset ds = EpisodeDataset.open(root, 1L << 20)) {
            if (ds.cameras().isEmpty())
                throw new WmpcException(root + " has no camera feature: a world model learns from images; record with a camera");
            if (ds.stateDim() == 0 || ds.actionDim() == 0)
                throw new WmpcException(root + " has no observation.state or action feature: record both to train a world model");
            String cam = camera == null ? ds.cameras().get(0) : resolveCamera(ds, camera);
            List<Episode> out = new ArrayList<>();
            int size = -1;
            for (int e = 0; e < ds.episodes(); e++) {
                if (ds.length(e) < 2) continue;
                Clip c = ds.clip(e, 0, ds.length(e), cam);
                if (c.width() != c.height())
                    throw new WmpcException(root + ": camera " + cam + " records " + c.width() + "x" + c.height()
                            + " frames; the world model reads square frames: record with a square camera");
                if (size < 0) size = c.width();
                else if (size != c.width())
                    throw new WmpcException(root + ": episode " + e + " has " + c.width() + "-pixel frames, earlier ones " + size);
                out.add(new Episode(e, c.frames(), c.states(), c.actions(), c.environmentStates()));
            }
            if (out.isEmpty()) throw new WmpcException(root + " has no episode of 2 or more frames");
            return new FrameEpisodes(out, size, cam, names(ds, "observation.state"), names(ds, "action"),
                    ds.environmentNames());
        }
    }

    /** An in-memory set (tests, synthetic data). */
    public static FrameEpisodes of(List<Episode> episodes, int size, List<String> stateNames) {
        if (episodes.isEmpty()) throw new IllegalArgumentException("no episodes");
        return new FrameEpisodes(episodes, size, "synthetic", stateNames, List.of(), List.of());
    }

    private static String resolveCamera(EpisodeDataset ds, String camera) {
        for (String k : ds.cameras()) if (k.equals(camera) || k.endsWith("." + camera)) return k;
        throw new WmpcException("no camera '" + camera + "' in the dataset: it has " + ds.cameras());
    }

    private static List<String> names(EpisodeDataset ds, String key) {
        Feature f = ds.meta().info().features().get(key);
        return f == null || f.names() == null ? List.of() : f.names();
    }

    public int size() { return size; }
    public String camera() { return camera; }
    public int stateDim() { return stateDim; }
    public int actionDim() { return actionDim; }
    public int environmentDim() { return environmentDim; }
    public List<String> stateNames() { return stateNames; }
    public List<String> actionNames() { return actionNames; }
    public List<String> environmentNames() { return environmentNames; }
    public long frames() { return frames; }
    public int episodes() { return episodes.size(); }
    public Episode episode(int i) { return episodes.get(i); }

    /** Whether episode {@code i} (position in this set) is held out. */
    public boolean heldOut(int i) { return episodes.size() >= 5 && episodes.get(i).index() % 10 == 9; }

    /** Positions of the training episodes with at least {@code minLength} frames. */
    public List<Integer> training(int minLength) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < episodes.size(); i++) if (!heldOut(i) && episodes.get(i).length() >= minLength) out.add(i);
        return out;
    }

    /** Positions of the held-out episodes with at least {@code minLength} frames. */
    public List<Integer> heldOutEpisodes(int minLength) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < episodes.size(); i++) if (heldOut(i) && episodes.get(i).length() >= minLength) out.add(i);
        return out;
    }
}
