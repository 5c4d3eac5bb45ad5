package dev.wmpc.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a robot reports at one instant: one frame per camera (in camera order), proprioception, time in seconds. */
public record Observation(Map<String, CameraFrame> frames, RobotState state, double timestamp) {
    public Observation {
        frames = Collections.unmodifiableMap(new LinkedHashMap<>(frames));
    }

    /** The first camera's frame: the one the planner sees unless told otherwise. */
    public CameraFrame primaryFrame() {
        if (frames.isEmpty()) throw new IllegalStateException("observation has no camera frames");
        return frames.values().iterator().next();
    }
}
