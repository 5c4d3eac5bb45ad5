package dev.wmpc.sim.view;

import static org.lwjgl.glfw.GLFW.*;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Teleoperator;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;

/**
 * Keyboard teleop in the viewer window. Held keys move the end effector by {@code step} metres per control step:
 * W/S = +x/-x, A/D = +y/-y, Q/E = +z/-z. Space toggles the gripper (starts open). Enter starts an episode and,
 * pressed again, saves it; Backspace discards it; R redoes it; Esc quits.
 */
final class KeyboardTeleop implements Teleoperator {
    /** What the teleop reads: which keys are held now, and the keys pressed since the last call. */
    interface Keys {
        boolean isDown(int key);
        /** Keys pressed (not repeats) since the last call, oldest first; clears them. */
        Queue<Integer> drainPresses();
    }

    private final Keys keys;
    private final double step;
    private final EpisodeControl episode = new EpisodeControl();
    private final Queue<TeleopEvent> events = new ArrayDeque<>();
    private boolean gripperOpen = true;

    KeyboardTeleop(Keys keys, double stepMetres) {
        if (!(stepMetres > 0) || !Double.isFinite(stepMetres))
            throw new IllegalArgumentException("teleop step " + stepMetres + " m must be a positive number of metres");
        this.keys = keys;
        this.step = stepMetres;
    }

    @Override public Action action(Observation current) {
        drain();
        double dx = axis(GLFW_KEY_W, GLFW_KEY_S), dy = axis(GLFW_KEY_A, GLFW_KEY_D), dz = axis(GLFW_KEY_Q, GLFW_KEY_E);
        return new Action.EndEffectorDelta(dx * step, dy * step, dz * step, gripperOpen ? 1 : -1);
    }

    @Override public Optional<TeleopEvent> pollEvent() {
        drain();
        return Optional.ofNullable(events.poll());
    }

    private double axis(int plus, int minus) {
        return (keys.isDown(plus) ? 1 : 0) - (keys.isDown(minus) ? 1 : 0);
    }

    private void drain() {
        Queue<Integer> pressed = keys.drainPresses();
        for (Integer key : pressed) {
            switch (key) {
                case GLFW_KEY_SPACE -> gripperOpen = !gripperOpen;
                case GLFW_KEY_ENTER, GLFW_KEY_KP_ENTER -> events.add(episode.startOrSave());
                case GLFW_KEY_BACKSPACE -> events.add(episode.discard());
                case GLFW_KEY_R -> events.add(episode.redo());
                case GLFW_KEY_ESCAPE -> events.add(TeleopEvent.QUIT);
                default -> { }
            }
        }
    }
}
