package dev.wmpc.planner;

import java.util.List;

/**
 * One closed-loop episode.
 *
 * @param success       the task reported success
 * @param finalDistance task distance at the end (NaN when unknown)
 * @param steps         actions taken (on success: the steps it took to succeed)
 * @param holds         steps on which the planner refused to act
 * @param log           every step, in order
 */
public record EpisodeSummary(boolean success, double finalDistance, int steps, int holds, List<StepRecord> log) {
    public EpisodeSummary {
        log = List.copyOf(log);
    }

    /** Plan time of every step, in ms. */
    public double[] planMs() {
        return log.stream().mapToDouble(StepRecord::planMs).toArray();
    }
}
