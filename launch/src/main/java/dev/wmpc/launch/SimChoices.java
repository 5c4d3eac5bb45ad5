package dev.wmpc.launch;

import dev.wmpc.core.WmpcException;
import dev.wmpc.sim.policy.PolicyKind;
import dev.wmpc.sim.Task;

/** The simulator's named choices as command-line arguments: an unknown name is a usage error listing the valid ones. */
final class SimChoices {
    private SimChoices() {}

    static Task task(String name) {
        try {
            return Task.byName(name);
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage());
        }
    }

    /** A comma-separated list of the simulator's camera names ({@code front,side}), in order, each once. */
    static java.util.List<String> cameras(String csv) {
        java.util.List<String> names = java.util.Arrays.stream(csv == null ? new String[0] : csv.split(","))
                .map(String::trim).filter(n -> !n.isEmpty()).toList();
        if (names.isEmpty()) throw WmpcException.usage("--cameras is empty: name one or more of " + dev.wmpc.sim.SimConfig.CAMERA_NAMES);
        for (String n : names)
            if (!dev.wmpc.sim.SimConfig.CAMERA_NAMES.contains(n))
                throw WmpcException.usage("unknown camera '" + n + "' in --cameras: choose from " + dev.wmpc.sim.SimConfig.CAMERA_NAMES);
        if (names.stream().distinct().count() != names.size()) throw WmpcException.usage("--cameras " + csv + " names a camera twice");
        return names;
    }

    static PolicyKind policy(String name) {
        try {
            return PolicyKind.byName(name);
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage());
        }
    }
}
