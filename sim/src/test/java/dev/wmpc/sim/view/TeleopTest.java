package dev.wmpc.sim.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lwjgl.glfw.GLFW.*;

import dev.wmpc.core.Action;
import dev.wmpc.core.Teleoperator;
import dev.wmpc.core.Teleoperator.TeleopEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key and pad mappings, fed from scripted input (a window needs a display; the mapping does not). */
class TeleopTest {
    static final class ScriptedKeys implements KeyboardTeleop.Keys {
        final Set<Integer> down = new HashSet<>();
        final Queue<Integer> presses = new ArrayDeque<>();
        @Override public boolean isDown(int key) { return down.contains(key); }
        @Override public Queue<Integer> drainPresses() { Queue<Integer> q = new ArrayDeque<>(presses); presses.clear(); return q; }
    }

    static List<TeleopEvent> events(Teleoperator t) {
        List<TeleopEvent> out = new ArrayList<>();
        for (Optional<TeleopEvent> e = t.pollEvent(); e.isPresent(); e = t.pollEvent()) out.add(e.get());
        return out;
    }

    static Action.EndEffectorDelta act(Teleoperator t) {
        return (Action.EndEffectorDelta) t.action(null);
    }

    @Test void heldKeysMoveAlongTheirAxes() {
        ScriptedKeys keys = new ScriptedKeys();
        KeyboardTeleop t = new KeyboardTeleop(keys, 0.01);
        assertThat(act(t)).isEqualTo(new Action.EndEffectorDelta(0, 0, 0, 1));
        keys.down.addAll(List.of(GLFW_KEY_W, GLFW_KEY_D, GLFW_KEY_Q));
        assertThat(act(t)).isEqualTo(new Action.EndEffectorDelta(0.01, -0.01, 0.01, 1));
        keys.down.clear();
        keys.down.addAll(List.of(GLFW_KEY_S, GLFW_KEY_A, GLFW_KEY_E));
        assertThat(act(t)).isEqualTo(new Action.EndEffectorDelta(-0.01, 0.01, -0.01, 1));
        keys.down.add(GLFW_KEY_W); // opposite keys cancel
        assertThat(act(t).dx()).isZero();
    }

    @Test void spaceTogglesTheGripper() {
        ScriptedKeys keys = new ScriptedKeys();
        KeyboardTeleop t = new KeyboardTeleop(keys, 0.02);
        keys.presses.add(GLFW_KEY_SPACE);
        assertThat(act(t).gripper()).isEqualTo(-1);
        assertThat(act(t).gripper()).isEqualTo(-1); // holding is not toggling
        keys.presses.add(GLFW_KEY_SPACE);
        assertThat(act(t).gripper()).isEqualTo(1);
    }

    @Test void episodeKeys() {
        ScriptedKeys keys = new ScriptedKeys();
        KeyboardTeleop t = new KeyboardTeleop(keys, 0.02);
        keys.presses.addAll(List.of(GLFW_KEY_ENTER, GLFW_KEY_ENTER, GLFW_KEY_ENTER, GLFW_KEY_BACKSPACE, GLFW_KEY_ENTER,
                GLFW_KEY_R, GLFW_KEY_ENTER, GLFW_KEY_X, GLFW_KEY_ESCAPE));
        assertThat(events(t)).containsExactly(TeleopEvent.START, TeleopEvent.SAVE, TeleopEvent.START, TeleopEvent.DISCARD,
                TeleopEvent.START, TeleopEvent.REDO, TeleopEvent.SAVE, TeleopEvent.QUIT);
        assertThat(t.pollEvent()).isEmpty();
    }

    @Test void badStepIsRejected() {
        assertThatThrownBy(() -> new KeyboardTeleop(new ScriptedKeys(), 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new GamepadTeleop(() -> null, Double.NaN)).hasMessageContaining("positive");
    }

    static final class ScriptedPad implements GamepadTeleop.Pad {
        float[] axes = new float[GLFW_GAMEPAD_AXIS_LAST + 1];
        boolean[] buttons = new boolean[GLFW_GAMEPAD_BUTTON_LAST + 1];
        @Override public GamepadTeleop.PadState read() { return new GamepadTeleop.PadState(axes.clone(), buttons.clone()); }
    }

    @Test void sticksMapToDeltasWithDeadZone() {
        ScriptedPad pad = new ScriptedPad();
        GamepadTeleop t = new GamepadTeleop(pad, 0.05);
        pad.axes[GLFW_GAMEPAD_AXIS_LEFT_Y] = -1f;   // pushed up: +x
        pad.axes[GLFW_GAMEPAD_AXIS_LEFT_X] = 0.1f;  // inside the dead zone
        pad.axes[GLFW_GAMEPAD_AXIS_RIGHT_Y] = 1f;   // pulled down: -z
        Action.EndEffectorDelta a = act(t);
        assertThat(a.dx()).isEqualTo(0.05);
        assertThat(a.dy()).isZero();
        assertThat(a.dz()).isEqualTo(-0.05);
        pad.axes[GLFW_GAMEPAD_AXIS_LEFT_X] = 1f;    // right: -y
        assertThat(act(t).dy()).isEqualTo(-0.05);
        assertThat(GamepadTeleop.shaped(GamepadTeleop.DEAD_ZONE + (1 - GamepadTeleop.DEAD_ZONE) / 2)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(GamepadTeleop.shaped(Float.NaN)).isZero();
    }

    @Test void buttonsActOnPressNotHold() {
        ScriptedPad pad = new ScriptedPad();
        GamepadTeleop t = new GamepadTeleop(pad, 0.05);
        pad.buttons[GLFW_GAMEPAD_BUTTON_A] = true;
        assertThat(act(t).gripper()).isEqualTo(-1);
        assertThat(act(t).gripper()).isEqualTo(-1);
        pad.buttons[GLFW_GAMEPAD_BUTTON_A] = false;
        assertThat(act(t).gripper()).isEqualTo(-1);
        pad.buttons[GLFW_GAMEPAD_BUTTON_A] = true;
        assertThat(act(t).gripper()).isEqualTo(1);

        pad.buttons[GLFW_GAMEPAD_BUTTON_START] = true;
        assertThat(events(t)).containsExactly(TeleopEvent.START);
        pad.buttons[GLFW_GAMEPAD_BUTTON_START] = false;
        pad.buttons[GLFW_GAMEPAD_BUTTON_B] = true;
        assertThat(events(t)).containsExactly(TeleopEvent.DISCARD);
        pad.buttons[GLFW_GAMEPAD_BUTTON_B] = false;
        pad.buttons[GLFW_GAMEPAD_BUTTON_BACK] = true;
        assertThat(events(t)).containsExactly(TeleopEvent.QUIT);
    }
}
