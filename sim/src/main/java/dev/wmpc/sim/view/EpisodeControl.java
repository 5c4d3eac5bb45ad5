package dev.wmpc.sim.view;

import dev.wmpc.core.Teleoperator.TeleopEvent;

/**
 * The episode keys a person presses while recording: one "record" key that starts an episode and, pressed again,
 * saves it; discard (drop the episode, wait for the next start); redo (drop it and start again at once); quit.
 */
final class EpisodeControl {
    private boolean recording;

    /** Start when idle, save when recording. */
    TeleopEvent startOrSave() {
        recording = !recording;
        return recording ? TeleopEvent.START : TeleopEvent.SAVE;
    }

    TeleopEvent discard() {
        recording = false;
        return TeleopEvent.DISCARD;
    }

    TeleopEvent redo() {
        recording = true;
        return TeleopEvent.REDO;
    }

    boolean recording() { return recording; }
}
