package dev.wmpc.dataset;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Robot;
import dev.wmpc.core.Teleoperator;
import dev.wmpc.core.Teleoperator.TeleopEvent;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Records a person's demonstrations, like lerobot-record: the device's START begins an episode (robot reset with the
 * next seed), SAVE appends it to the dataset, DISCARD drops it, REDO drops it and starts again with the same seed,
 * QUIT ends the session (dropping an unsaved episode). An episode also ends and is saved when the task reports done
 * or after {@code maxSteps}. Call {@link #step()} once per control period (the caller paces and draws).
 */
public final class TeleopRecorder<R extends Robot> implements AutoCloseable {
    /** Where the session is. */
    public enum State { IDLE, RECORDING, QUIT }

    private final R robot;
    private final Teleoperator device;
    private final DatasetWriter writer;
    private final String task;
    private final long baseSeed;
    private final int maxSteps;
    private final Collector.EpisodeEnd<? super R> end;
    private final Consumer<String> messages;
    private State state = State.IDLE;
    private EpisodeRecorder recorder;
    private Observation obs;
    private long seed;
    private int steps, saved, discarded, nextIndex;

    public TeleopRecorder(R robot, Teleoperator device, DatasetWriter writer, String task, long baseSeed, int maxSteps,
                          Collector.EpisodeEnd<? super R> end, Consumer<String> messages) {
        this.robot = robot;
        this.device = device;
        this.writer = writer;
        this.task = task;
        this.baseSeed = baseSeed;
        this.maxSteps = maxSteps;
        this.end = end;
        this.messages = messages == null ? m -> { } : messages;
        this.nextIndex = writer.episodes();
    }

    public State state() { return state; }
    public int saved() { return saved; }
    public int discarded() { return discarded; }
    /** Frames recorded in the current episode. */
    public int steps() { return steps; }

    private long nextSeed() {
        long s;
        do { s = Collector.episodeSeed(baseSeed, nextIndex++); } while (writer.seeds().contains(s));
        return s;
    }

    /** Handles the device's pending events, then records one control step while an episode runs. */
    public State step() {
        Optional<TeleopEvent> ev;
        while (state != State.QUIT && (ev = device.pollEvent()).isPresent()) handle(ev.get());
        if (state != State.RECORDING) return state;
        Action applied = robot.act(device.action(obs));
        Observation after = robot.observe();
        Collector.Status st = end.check(robot, after, steps);
        steps++;
        boolean last = st.done() || steps >= maxSteps;
        recorder.add(obs, applied, last, st.success());
        obs = after;
        if (last) save(st.success());
        return state;
    }

    private void handle(TeleopEvent e) {
        switch (e) {
            case START -> { if (state == State.IDLE) begin(nextSeed()); }
            case SAVE -> { if (state == State.RECORDING) save(false); }
            case DISCARD -> { if (state == State.RECORDING) { drop(); messages.accept("episode discarded"); state = State.IDLE; } }
            case REDO -> { if (state == State.RECORDING) { drop(); messages.accept("episode restarted"); begin(seed); } }
            case QUIT -> { if (state == State.RECORDING) { drop(); messages.accept("unsaved episode dropped"); } state = State.QUIT; }
        }
    }

    private void begin(long s) {
        seed = s;
        obs = robot.reset(s);
        recorder = new EpisodeRecorder(writer.spec(), task, s);
        steps = 0;
        state = State.RECORDING;
        messages.accept("recording episode " + writer.episodes() + " (seed " + s + ")");
    }

    private void save(boolean success) {
        if (steps == 0) { drop(); state = State.IDLE; messages.accept("empty episode not saved"); return; }
        int index = writer.append(recorder.finish(success));
        recorder = null;
        saved++;
        state = State.IDLE;
        messages.accept("saved episode " + index + " (" + steps + " frames" + (success ? ", success" : "") + ")");
    }

    private void drop() {
        if (recorder != null) recorder.close();
        recorder = null;
        discarded++;
    }

    /** Drops an unsaved episode (the writer stays open: its owner closes it). */
    @Override public void close() {
        if (recorder != null) recorder.close();
        recorder = null;
    }
}
