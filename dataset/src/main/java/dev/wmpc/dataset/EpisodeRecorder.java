package dev.wmpc.dataset;

import dev.wmpc.core.Action;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.EnvironmentState;
import dev.wmpc.core.Observation;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.video.EncodedVideo;
import dev.wmpc.dataset.video.H264Encoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records one episode frame by frame: every camera image (encoded to H.264 as it arrives, so memory stays small),
 * {@code observation.state}, {@code observation.environment_state} when the spec records it, the action sent, done and success. {@link #finish} returns the episode for
 * {@link DatasetWriter#append}; closing without finishing discards it. Not thread-safe: one recorder per worker.
 */
public final class EpisodeRecorder implements AutoCloseable {
    private final DatasetSpec spec;
    private final String task;
    private final long seed;
    private final Map<String, H264Encoder> encoders = new LinkedHashMap<>();
    private final Map<String, ImageStats> imageStats = new LinkedHashMap<>();
    private final List<float[]> states = new ArrayList<>(), actions = new ArrayList<>(), environment = new ArrayList<>();
    private final List<Boolean> done = new ArrayList<>(), success = new ArrayList<>();
    private final List<Integer> ticks = new ArrayList<>();
    private boolean finished;

    public EpisodeRecorder(DatasetSpec spec, String task, long seed) {
        if (task == null || task.isBlank()) throw new IllegalArgumentException("an episode needs a task description");
        this.spec = spec;
        this.task = task;
        this.seed = seed;
        try {
            for (DatasetSpec.Camera c : spec.cameras()) {
                encoders.put(c.name(), new H264Encoder(c.width(), c.height(), spec.fps()));
                imageStats.put(c.name(), new ImageStats());
            }
        } catch (IOException e) {
            close();
            throw new WmpcException("cannot start the video encoder: " + e.getMessage(), e);
        }
    }

    public int length() { return states.size(); }

    /**
     * Adds one frame: the observation the action was chosen from, the action as sent to the robot, whether the
     * episode ends after this step, and whether the task is achieved after it (false where unknown).
     */
    public void add(Observation observation, Action action, boolean done, boolean success) {
        if (!(action instanceof Action.EndEffectorDelta delta))
            throw new IllegalArgumentException("the dataset records end-effector delta actions, got " + action.getClass().getSimpleName());
        add(observation, delta.toVector(), done, success);
    }

    /**
     * As {@link #add(Observation, Action, boolean, boolean)} for a frame taken {@code seconds} after the episode's
     * first (from the messages' stamps, say): its {@code timestamp} is that time on the dataset's frame grid, the
     * nearest multiple of 1/fps but at least one frame after the previous row's. Frames that were not evenly spaced
     * keep their times (a dropped frame leaves a hole) instead of being stamped one frame apart.
     */
    public void add(Observation observation, Action action, boolean done, boolean success, double seconds) {
        if (!Double.isFinite(seconds)) throw new IllegalArgumentException("frame time " + seconds + " s is not finite");
        int tick = ticks.isEmpty() ? 0 : (int) Math.max(ticks.getLast() + 1L, Math.min(Integer.MAX_VALUE, Math.round(seconds * spec.fps())));
        add(observation, action, done, success);
        ticks.set(ticks.size() - 1, tick);
    }

    /** As {@link #add(Observation, Action, boolean, boolean)} with the action already as a vector. */
    public void add(Observation observation, float[] action, boolean done, boolean success) {
        if (finished) throw new IllegalStateException("episode already finished");
        float[] state = observation.state().toVector();
        if (state.length != spec.stateNames().size())
            throw new IllegalArgumentException("observation.state has " + state.length + " entries, the dataset expects "
                    + spec.stateNames().size() + " " + spec.stateNames());
        float[] env = new float[0];
        if (spec.hasEnvironment()) {
            EnvironmentState es = observation.environment();
            if (!es.names().equals(spec.environmentNames()))
                throw new IllegalArgumentException("observation's environment state " + es.names() + " does not match the dataset's "
                        + DatasetSpec.ENVIRONMENT_STATE + " " + spec.environmentNames());
            env = es.values();
        }
        if (action.length != spec.actionNames().size())
            throw new IllegalArgumentException("action has " + action.length + " entries, the dataset expects " + spec.actionNames());
        for (DatasetSpec.Camera c : spec.cameras()) {
            CameraFrame f = observation.frames().get(c.name());
            if (f == null) throw new IllegalArgumentException("observation has no frame from camera '" + c.name()
                    + "' (it has " + observation.frames().keySet() + ")");
            if (f.width() != c.width() || f.height() != c.height())
                throw new IllegalArgumentException("camera '" + c.name() + "' frame is " + f.width() + "x" + f.height()
                        + " but the dataset records " + c.width() + "x" + c.height());
            byte[] rgb = f.toRgb8().data();
            try {
                encoders.get(c.name()).encode(rgb);
            } catch (IOException e) {
                throw new WmpcException("video encoding failed for camera '" + c.name() + "': " + e.getMessage(), e);
            }
            imageStats.get(c.name()).add(rgb);
        }
        states.add(state);
        actions.add(action.clone());
        environment.add(env);
        this.done.add(done);
        this.success.add(success);
        ticks.add(ticks.isEmpty() ? 0 : ticks.getLast() + 1);
    }

    /** Ends the episode; the last frame is marked done. */
    public RecordedEpisode finish(boolean episodeSuccess) {
        if (finished) throw new IllegalStateException("episode already finished");
        if (states.isEmpty()) throw new IllegalStateException("cannot save an episode with no frames");
        finished = true;
        Map<String, EncodedVideo> videos = new LinkedHashMap<>();
        Map<String, FeatureStats> stats = new LinkedHashMap<>();
        int[] at = ticks.stream().mapToInt(Integer::intValue).toArray();
        try {
            for (var e : encoders.entrySet()) {
                videos.put(e.getKey(), e.getValue().finish().atTicks(at));
                stats.put(e.getKey(), imageStats.get(e.getKey()).toStats());
            }
        } catch (IOException e) {
            throw new WmpcException("video encoding failed: " + e.getMessage(), e);
        } finally {
            close();
        }
        int n = states.size();
        boolean[] d = new boolean[n], s = new boolean[n];
        for (int i = 0; i < n; i++) { d[i] = done.get(i); s[i] = success.get(i); }
        d[n - 1] = true;
        if (episodeSuccess) s[n - 1] = true;
        return new RecordedEpisode(task, seed, episodeSuccess, states.toArray(float[][]::new), actions.toArray(float[][]::new),
                d, s, videos, stats, environment.toArray(float[][]::new), at);
    }

    @Override public void close() {
        for (H264Encoder e : encoders.values()) e.close();
        encoders.clear();
    }
}
