package dev.wmpc.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wmpc.core.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalSummaryTest {
    static EpisodeSummary episode(boolean success, double distance, double... planMs) {
        List<StepRecord> log = new ArrayList<>();
        for (int i = 0; i < planMs.length; i++)
            log.add(new StepRecord(i, 0, planMs[i], 1, new double[] {1}, new Action.EndEffectorDelta(0, 0, 0, 1), null));
        return new EpisodeSummary(success, distance, planMs.length, 0, log);
    }

    @Test
    void summarisesEpisodes() {
        EvalSummary s = EvalSummary.of(List.of(
                episode(true, 0.01, 10, 20),
                episode(false, 0.2, 30, 40, 50, 60),
                episode(true, 0.03, 70, 80, 90, 100)));
        assertThat(s.episodes()).isEqualTo(3);
        assertThat(s.successRate()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.finalDistanceMean()).isCloseTo(0.08, within(1e-12));
        assertThat(s.stepsToSuccessMean()).isEqualTo(3.0); // (2 + 4) / 2, failures excluded
        assertThat(s.planMsP50()).isCloseTo(55, within(1e-9)); // 10 values 10..100
        assertThat(s.planMsP95()).isCloseTo(95.5, within(1e-9));
        Map<String, Object> json = s.toJsonMap();
        assertThat(json).containsKeys("success_rate", "final_distance_mean", "steps_to_success_mean", "plan_ms_p50", "plan_ms_p95");
    }

    @Test
    void unknownValuesAreNullInJson() {
        EvalSummary s = EvalSummary.of(List.of(episode(false, Double.NaN, 5)));
        assertThat(s.successRate()).isZero();
        assertThat(s.toJsonMap().get("final_distance_mean")).isNull();
        assertThat(s.toJsonMap().get("steps_to_success_mean")).isNull();
        assertThat(s.toJsonMap().get("success_rate")).isEqualTo(0.0);
    }

    @Test
    void percentileInterpolates() {
        assertThat(EvalSummary.percentile(new double[] {3, 1, 2}, 50)).isEqualTo(2);
        assertThat(EvalSummary.percentile(new double[] {1, 2}, 95)).isCloseTo(1.95, within(1e-12));
        assertThat(EvalSummary.percentile(new double[] {7}, 95)).isEqualTo(7);
        assertThat(Double.isNaN(EvalSummary.percentile(new double[0], 50))).isTrue();
    }
}
