package dev.wmpc.bridge.node;

import dev.wmpc.core.Vec3;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a policy planned at its last step, for people watching, never for control: the end-effector displacement of
 * each planned step in order (the first is the one acted on), named values (energy terms, the goal pursued, plan time;
 * in insertion order), and why it held instead of acting, when it did.
 */
public record PlanView(List<Vec3> steps, Map<String, String> values, Optional<String> holdReason) {
    public PlanView {
        steps = List.copyOf(steps);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A policy that can show what it planned; {@link ControllerNode} publishes it every control step. */
    public interface Source {
        /** The plan of the last {@code act}, or empty when it did not plan (e.g. a stand-in policy). */
        Optional<PlanView> lastPlan();
    }
}
