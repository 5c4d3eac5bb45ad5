package dev.wmpc.bridge.node;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;

/**
 * Where {@link RecordNode} puts what it saw: one call per control period with the observation and the command the
 * arm was given. The launcher plugs in the dataset module's crash-safe LeRobot recorder.
 */
public interface RecordingSink extends AutoCloseable {
    /**
     * One row. {@code observation.timestamp()} is when its camera frame was taken (the header stamp, seconds):
     * increasing within an episode, and never further apart than the recorder's input gap.
     */
    void record(Observation observation, Action action);

    /** Ends the current episode (the recorder calls it at an input gap): keep it or throw it away. */
    default void endEpisode(boolean keep) {}

    @Override default void close() {}
}
