package dev.wmpc.sim.view;

import static org.lwjgl.glfw.GLFW.*;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Teleoperator;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;

/**
 * Gamepad teleop through GLFW's gamepad API (standard layout). Left stick: up/down = +x/-x, left/right = +y/-y;
 * right stick up/down = +z/-z; full deflection moves {@code step} metres per control step, with a dead zone.
 * A toggles the gripper (starts open); Start starts an episode and, pressed again, saves it; B discards; Y redoes;
 * Back quits.
 */
final class GamepadTeleop implements Teleoperator {
    static final float DEAD_ZONE = 0.15f;

    /** One reading of the pad: axes in [-1, 1] (GLFW_GAMEPAD_AXIS_*) and buttons (GLFW_GAMEPAD_BUTTON_*). */
    record PadState(float[] axes, boolean[] buttons) {}

    /** Where readings come from: GLFW in the viewer, anything in tests. */
    interface Pad {
        PadState read();
    }

    private final Pad pad;
    private final double step;
    private final EpisodeControl episode = new EpisodeControl();
    private final Queue<TeleopEvent> events = new ArrayDeque<>();
    private boolean[] previous = new boolean[GLFW_GAMEPAD_BUTTON_LAST + 1];
    private boolean gripperOpen = true;
    private PadState last;

    GamepadTeleop(Pad pad, double stepMetres) {
        if (!(stepMetres > 0) || !Double.isFinite(stepMetres))
            throw new IllegalArgumentException("teleop step " + stepMetres + " m must be a positive number of metres");
        this.pad = pad;
        this.step = stepMetres;
    }

    @Override public Action action(Observation current) {
        poll();
        float[] a = last.axes();
        // GLFW's stick y axes point down (pushing up gives -1).
        double dx = -shaped(a[GLFW_GAMEPAD_AXIS_LEFT_Y]);
        double dy = -shaped(a[GLFW_GAMEPAD_AXIS_LEFT_X]);
        double dz = -shaped(a[GLFW_GAMEPAD_AXIS_RIGHT_Y]);
        return new Action.EndEffectorDelta(dx * step, dy * step, dz * step, gripperOpen ? 1 : -1);
    }

    @Override public Optional<TeleopEvent> pollEvent() {
        poll();
        return Optional.ofNullable(events.poll());
    }

    /** Dead zone, then rescaled so motion starts from zero at its edge and reaches ±1 at full deflection. */
    static double shaped(float v) {
        if (!Float.isFinite(v) || Math.abs(v) < DEAD_ZONE) return 0;
        double m = (Math.min(Math.abs(v), 1f) - DEAD_ZONE) / (1 - DEAD_ZONE);
        return Math.copySign(m, v);
    }

    private void poll() {
        last = pad.read();
        boolean[] b = last.buttons();
        if (pressed(b, GLFW_GAMEPAD_BUTTON_A)) gripperOpen = !gripperOpen;
        if (pressed(b, GLFW_GAMEPAD_BUTTON_START)) events.add(episode.startOrSave());
        if (pressed(b, GLFW_GAMEPAD_BUTTON_B)) events.add(episode.discard());
        if (pressed(b, GLFW_GAMEPAD_BUTTON_Y)) events.add(episode.redo());
        if (pressed(b, GLFW_GAMEPAD_BUTTON_BACK)) events.add(TeleopEvent.QUIT);
        previous = b.clone();
    }

    private boolean pressed(boolean[] now, int button) {
        return now[button] && !previous[button];
    }
}
