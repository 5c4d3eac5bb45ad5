package dev.wmpc.core;

import java.util.Optional;

/** A person's input device (keyboard, gamepad, ROS2 Joy): turns what it reads into actions. */
public interface Teleoperator extends AutoCloseable {
    /** The action for this control step given the latest observation. */
    Action action(Observation current);

    /** Episode-control events the person pressed since the last call (start, save, discard, redo, quit). */
    default Optional<TeleopEvent> pollEvent() { return Optional.empty(); }

    enum TeleopEvent { START, SAVE, DISCARD, REDO, QUIT }

    @Override default void close() {}
}
