package dev.wmpc.planner;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluation over episodes: success rate, mean final distance, mean steps to success (successful episodes only),
 * and plan-time percentiles over every step of every episode. Unknown values are NaN (null in JSON).
 */
public record EvalSummary(int episodes, double successRate, double finalDistanceMean, double stepsToSuccessMean,
                          double planMsP50, double planMsP95, int holds) {

    public static EvalSummary of(List<EpisodeSummary> episodes) {
        if (episodes.isEmpty()) throw new IllegalArgumentException("no episodes to summarise");
        int n = episodes.size();
        double successes = episodes.stream().filter(EpisodeSummary::success).count();
        double[] distances = episodes.stream().mapToDouble(EpisodeSummary::finalDistance).filter(d -> !Double.isNaN(d)).toArray();
        double[] toSuccess = episodes.stream().filter(EpisodeSummary::success).mapToDouble(EpisodeSummary::steps).toArray();
        double[] planMs = episodes.stream().flatMapToDouble(e -> Arrays.stream(e.planMs())).toArray();
        int holds = episodes.stream().mapToInt(EpisodeSummary::holds).sum();
        return new EvalSummary(n, successes / n, mean(distances), mean(toSuccess),
                percentile(planMs, 50), percentile(planMs, 95), holds);
    }

    /** The JSON keys the CLI reports: success_rate, final_distance_mean, steps_to_success_mean, plan_ms_p50, plan_ms_p95. */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("episodes", episodes);
        m.put("success_rate", orNull(successRate));
        m.put("final_distance_mean", orNull(finalDistanceMean));
        m.put("steps_to_success_mean", orNull(stepsToSuccessMean));
        m.put("plan_ms_p50", orNull(planMsP50));
        m.put("plan_ms_p95", orNull(planMsP95));
        m.put("holds", holds);
        return m;
    }

    static Double orNull(double v) { return Double.isFinite(v) ? v : null; }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
    }

    /** Linear-interpolated percentile (as numpy's default) of {@code v}; NaN for no values. */
    public static double percentile(double[] v, double p) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        double rank = p / 100 * (s.length - 1);
        int lo = (int) Math.floor(rank), hi = (int) Math.ceil(rank);
        return s[lo] + (rank - lo) * (s[hi] - s[lo]);
    }
}
