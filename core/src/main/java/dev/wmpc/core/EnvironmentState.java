package dev.wmpc.core;

import java.util.List;

/**
 * Privileged simulator state (e.g. where the cubes are), one named float per entry: the dataset's
 * {@code observation.environment_state}, as in LeRobot. Real robots report {@link #EMPTY}.
 */
public record EnvironmentState(List<String> names, float[] values) {
    /** No environment state: what a real robot (or a simulator without objects) reports. */
    public static final EnvironmentState EMPTY = new EnvironmentState(List.of(), new float[0]);

    public EnvironmentState {
        names = List.copyOf(names);
        values = values.clone();
        if (names.size() != values.length)
            throw new IllegalArgumentException("environment state has " + names.size() + " names " + names
                    + " but " + values.length + " values; give one name per value");
    }

    @Override public float[] values() { return values.clone(); }

    public boolean isEmpty() { return values.length == 0; }

    public int size() { return values.length; }

    /** The value named {@code name}, or NaN when there is none. */
    public float get(String name) {
        int i = names.indexOf(name);
        return i < 0 ? Float.NaN : values[i];
    }
}
