package dev.wmpc.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a robot reports at one instant: one frame per camera (in camera order), proprioception, time in seconds, and
 * optional privileged environment state (a simulator's object positions; {@link EnvironmentState#EMPTY} otherwise).
 */
public record Observation(Map<String, CameraFrame> frames, RobotState state, double timestamp, EnvironmentState environment) {
    public Observation {
        frames = Collections.unmodifiableMap(new LinkedHashMap<>(frames));
        environment = Objects.requireNonNullElse(environment, EnvironmentState.EMPTY);
    }

    /** An observation without environment state. */
    public Observation(Map<String, CameraFrame> frames, RobotState state, double timestamp) {
        this(frames, state, timestamp, EnvironmentState.EMPTY);
    }

    /** The first camera's frame: the one the planner sees unless told otherwise. */
    public CameraFrame primaryFrame() {
        if (frames.isEmpty()) throw new IllegalStateException("observation has no camera frames");
        return frames.values().iterator().next();
    }
}
