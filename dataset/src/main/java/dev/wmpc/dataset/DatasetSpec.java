package dev.wmpc.dataset;

import dev.wmpc.core.Action;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Robot;
import dev.wmpc.core.RobotState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a wmpc dataset records: frame rate, robot type, cameras (RGB, height x width), the names of
 * {@code observation.state} and {@code action} entries, and optionally of {@code observation.environment_state}
 * (privileged simulator state such as cube positions; empty = not recorded). Its {@link #features()} are the LeRobot
 * v3 feature table.
 */
public record DatasetSpec(int fps, String robotType, List<Camera> cameras, List<String> stateNames, List<String> actionNames,
                          List<String> environmentNames) {
    public static final String STATE = "observation.state";
    public static final String ENVIRONMENT_STATE = "observation.environment_state";
    public static final String ACTION = "action";
    public static final String DONE = "next.done";
    public static final String SUCCESS = "next.success";
    public static final String IMAGE_PREFIX = "observation.images.";

    /** One RGB camera. */
    public record Camera(String name, int width, int height) {
        public Camera {
            if (name == null || name.isBlank() || name.contains("/"))
                throw new IllegalArgumentException("camera name '" + name + "' must be non-empty and contain no '/'");
            if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0)
                throw new IllegalArgumentException("camera '" + name + "' size " + width + "x" + height + " must be positive and even (H.264 yuv420p)");
        }
        public String key() { return IMAGE_PREFIX + name; }
    }

    public DatasetSpec {
        if (fps <= 0) throw new IllegalArgumentException("fps must be positive, got " + fps);
        cameras = List.copyOf(cameras);
        stateNames = List.copyOf(stateNames);
        actionNames = List.copyOf(actionNames);
        environmentNames = environmentNames == null ? List.of() : List.copyOf(environmentNames);
        robotType = Objects.requireNonNullElse(robotType, "unknown");
    }

    /** A spec without environment state. */
    public DatasetSpec(int fps, String robotType, List<Camera> cameras, List<String> stateNames, List<String> actionNames) {
        this(fps, robotType, cameras, stateNames, actionNames, List.of());
    }

    /** This spec recording {@code observation.environment_state} with these names (empty: not recorded). */
    public DatasetSpec withEnvironmentNames(List<String> names) {
        return new DatasetSpec(fps, robotType, cameras, stateNames, actionNames, names);
    }

    /** Whether {@code observation.environment_state} is recorded. */
    public boolean hasEnvironment() { return !environmentNames.isEmpty(); }

    /**
     * The spec for recording {@code robot}: its cameras, joints + end-effector pose + gripper, Δxyz + gripper actions,
     * and its environment state when it reports one.
     */
    public static DatasetSpec of(Robot robot, int fps, String robotType) {
        List<Camera> cams = new ArrayList<>();
        for (CameraSpec c : robot.cameras()) cams.add(new Camera(c.name(), c.width(), c.height()));
        List<String> state = new ArrayList<>(robot.jointNames());
        state.addAll(RobotState.POSE_NAMES);
        return new DatasetSpec(fps, robotType, cams, state, Action.DELTA_NAMES, robot.environmentStateNames());
    }

    /** The LeRobot v3 features, in the order LeRobot writes them (cameras, state, action, extras, then indices). */
    public LinkedHashMap<String, Feature> features() {
        LinkedHashMap<String, Feature> f = new LinkedHashMap<>();
        for (Camera c : cameras) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("video.height", c.height());
            info.put("video.width", c.width());
            info.put("video.codec", "h264");
            info.put("video.pix_fmt", "yuv420p");
            info.put("video.is_depth_map", false);
            info.put("video.fps", fps);
            info.put("video.channels", 3);
            info.put("has_audio", false);
            f.put(c.key(), new Feature("video", List.of(c.height(), c.width(), 3), List.of("height", "width", "channels"), info));
        }
        f.put(STATE, Feature.vector("float32", stateNames));
        if (hasEnvironment()) f.put(ENVIRONMENT_STATE, Feature.vector("float32", environmentNames));
        f.put(ACTION, Feature.vector("float32", actionNames));
        f.put(DONE, Feature.scalar("bool"));
        f.put(SUCCESS, Feature.scalar("bool"));
        f.put("timestamp", Feature.scalar("float32"));
        f.put("frame_index", Feature.scalar("int64"));
        f.put("episode_index", Feature.scalar("int64"));
        f.put("index", Feature.scalar("int64"));
        f.put("task_index", Feature.scalar("int64"));
        return f;
    }

    /**
     * The differences between an existing dataset's info and this spec that make appending impossible (fps, cameras,
     * shapes, dtypes, names), each as one readable sentence; empty when compatible.
     */
    public List<String> differencesFrom(DatasetInfo existing) {
        List<String> d = new ArrayList<>();
        if (existing.fps() != fps) d.add("fps differs: dataset has " + existing.fps() + ", new data has " + fps);
        Map<String, Feature> mine = features(), theirs = existing.features();
        List<String> camsMine = mine.keySet().stream().filter(k -> mine.get(k).isVisual()).toList();
        List<String> camsTheirs = theirs.keySet().stream().filter(k -> theirs.get(k).isVisual()).toList();
        if (!camsMine.equals(camsTheirs)) d.add("cameras differ: dataset has " + camsTheirs + ", new data has " + camsMine);
        for (var e : mine.entrySet()) {
            Feature t = theirs.get(e.getKey());
            Feature m = e.getValue();
            if (t == null) {
                if (e.getKey().equals(ENVIRONMENT_STATE))
                    d.add("the dataset has no '" + ENVIRONMENT_STATE + "' (it was recorded without environment state); record into a new --out");
                else if (!m.isVisual()) d.add("feature '" + e.getKey() + "' is missing from the dataset");
                continue;
            }
            if (!t.dtype().equals(m.dtype())) d.add("feature '" + e.getKey() + "' dtype differs: dataset " + t.dtype() + ", new " + m.dtype());
            if (!t.shape().equals(m.shape())) d.add("feature '" + e.getKey() + "' shape differs: dataset " + t.shape() + ", new " + m.shape());
            else if (t.names() != null && m.names() != null && !m.isVisual() && !t.names().equals(m.names()))
                d.add("feature '" + e.getKey() + "' names differ: dataset " + t.names() + ", new " + m.names());
        }
        if (theirs.containsKey(ENVIRONMENT_STATE) && !mine.containsKey(ENVIRONMENT_STATE))
            d.add("the dataset records '" + ENVIRONMENT_STATE + "' but the new data has none; record into a new --out");
        return d;
    }
}
