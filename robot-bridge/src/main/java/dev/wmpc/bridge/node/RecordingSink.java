package dev.wmpc.bridge.node;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;

/**
 * Where {@link RecordNode} puts what it saw: one call per control period with the observation and the command the
 * arm was given. The launcher plugs in the dataset module's crash-safe LeRobot recorder.
 */
public interface RecordingSink extends AutoCloseable {
    void record(Observation observation, Action action);

    /** Ends the current episode: keep it or throw it away. */
    default void endEpisode(boolean keep) {}

    @Override default void close() {}
}
