package dev.wmpc.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Teleoperator;
import dev.wmpc.core.Teleoperator.TeleopEvent;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeleopRecorderTest {
    @TempDir Path dir;

    /** A person scripted as "before step k, press these keys". */
    static final class ScriptedDevice implements Teleoperator {
        final Queue<List<TeleopEvent>> script = new ArrayDeque<>();
        final Queue<TeleopEvent> pending = new ArrayDeque<>();
        void tick() { List<TeleopEvent> next = script.poll(); if (next != null) pending.addAll(next); }
        @Override public Action action(Observation current) { return new Action.EndEffectorDelta(0.01, 0, 0, 1); }
        @Override public Optional<TeleopEvent> pollEvent() { return Optional.ofNullable(pending.poll()); }
    }

    @Test void startSaveDiscardRedoQuitLikeLeRobotRecord() {
        Path root = dir.resolve("teleop");
        SyntheticRobot robot = new SyntheticRobot(64);
        ScriptedDevice dev = new ScriptedDevice();
        TeleopEvent S = TeleopEvent.START, V = TeleopEvent.SAVE;
        // ep A: 3 frames saved; ep B: 2 frames discarded; ep C: redo after 1, then 2 frames saved; ep D: timeout at 4; quit mid-episode.
        for (List<TeleopEvent> k : List.of(List.of(S), List.<TeleopEvent>of(), List.<TeleopEvent>of(), List.of(V),
                List.of(S), List.<TeleopEvent>of(), List.of(TeleopEvent.DISCARD),
                List.of(S), List.of(TeleopEvent.REDO), List.<TeleopEvent>of(), List.of(V),
                List.of(S), List.<TeleopEvent>of(), List.<TeleopEvent>of(), List.<TeleopEvent>of(), List.<TeleopEvent>of(),
                List.of(S), List.<TeleopEvent>of(), List.of(TeleopEvent.QUIT)))
            dev.script.add(k);
        List<String> messages = new ArrayList<>();
        try (DatasetWriter w = DatasetWriter.open(root, DatasetRoundTripTest.spec(robot), DatasetWriter.Options.defaults());
             TeleopRecorder<SyntheticRobot> rec = new TeleopRecorder<>(robot, dev, w, "demo", 3, 4, Collector.EpisodeEnd.never(), messages::add)) {
            int guard = 0;
            do { dev.tick(); } while (rec.step() != TeleopRecorder.State.QUIT && guard++ < 100);
            assertThat(rec.saved()).isEqualTo(3);
        }
        DatasetMeta meta = DatasetMeta.load(root);
        assertThat(meta.episodes()).extracting(EpisodeMeta::length).containsExactly(3, 2, 4);
        assertThat(meta.episodes().get(2).seed()).isNotEqualTo(meta.episodes().get(1).seed());
        assertThat(messages).contains("episode discarded", "episode restarted", "unsaved episode dropped");
        assertThat(DatasetValidator.validate(root).problems()).isEmpty();
    }
}
