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
        try {
            return dev.wmpc.sim.SimConfig.checkCameraNames(java.util.Arrays.stream(csv == null ? new String[0] : csv.split(","))
                    .map(String::trim).filter(n -> !n.isEmpty()).toList());
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage("--cameras " + csv + ": " + e.getMessage());
        }
    }

    static PolicyKind policy(String name) {
        try {
            return PolicyKind.byName(name);
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage());
        }
    }
}
