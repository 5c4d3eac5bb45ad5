package dev.wmpc.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CollectorBackpressureTest {
    /**
     * A sink far slower than the workers, and many more episodes than the queue holds (2 * workers + 2): workers must
     * wait for the sink instead of dropping queued episodes to make room for their finish message.
     */
    @Test @Timeout(60) void slowSinkLosesNoEpisode() {
        int episodes = 24, workers = 3;
        List<Long> got = Collections.synchronizedList(new ArrayList<>());
        Collector<SyntheticRobot> collector = Collector.of(() -> new SyntheticRobot(32), SyntheticPolicy::new, Collector.EpisodeEnd.never());
        DatasetSpec spec = DatasetSpec.of(new SyntheticRobot(32), 5, "synthetic");
        Collector.Result r = collector.run(Set.of(), spec, e -> {
            try {
                Thread.sleep(40);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
            got.add(e.seed());
        }, new Collector.Plan("reach", episodes, 3, 2, workers), null);
        assertThat(r.recorded()).isEqualTo(episodes);
        Set<Long> expected = new HashSet<>();
        for (int i = 0; i < episodes; i++) expected.add(Collector.episodeSeed(3, i));
        assertThat(new HashSet<>(got)).isEqualTo(expected);
        assertThat(got).hasSize(episodes);
    }

    /** A failing sink ends the run with its error while workers are blocked on the full queue: no deadlock. */
    @Test @Timeout(60) void failingSinkUnblocksWorkers() {
        Collector<SyntheticRobot> collector = Collector.of(() -> new SyntheticRobot(32), SyntheticPolicy::new, Collector.EpisodeEnd.never());
        DatasetSpec spec = DatasetSpec.of(new SyntheticRobot(32), 5, "synthetic");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collector.run(Set.of(), spec, e -> {
            try {
                Thread.sleep(200); // let the workers fill the queue
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("disk full");
        }, new Collector.Plan("reach", 30, 3, 2, 3), null)).hasMessageContaining("disk full");
    }
}
