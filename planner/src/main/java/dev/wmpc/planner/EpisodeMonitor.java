package dev.wmpc.planner;

import dev.wmpc.core.Observation;
import java.util.OptionalDouble;

/** Task knowledge the controller's episode loop may have: whether the task is done, and how far from done. */
public interface EpisodeMonitor {
    boolean success(Observation observation);

    /** Task distance (metres for the sim's tasks) when known. */
    default OptionalDouble distance(Observation observation) { return OptionalDouble.empty(); }

    /** No task knowledge (a real arm): episodes run until the step budget. */
    EpisodeMonitor NONE = o -> false;
}
