package dev.wmpc.sim.policy;

import dev.wmpc.core.Policy;
import dev.wmpc.sim.SimRobot;
import java.util.Arrays;
import java.util.List;

/** The simulator's built-in policies, by their command-line names. */
public enum PolicyKind {
    EXPERT("expert"), NOISY_EXPERT("noisy-expert"), RANDOM("random");

    public static final double DEFAULT_NOISE = 0.01;
    private final String cliName;

    PolicyKind(String cliName) { this.cliName = cliName; }

    public String cliName() { return cliName; }

    /** A policy for {@code sim}; {@code noise} (metres) is used by noisy-expert only. */
    public Policy create(SimRobot sim, double noise) {
        return switch (this) {
            case EXPERT -> new ExpertPolicy(sim);
            case NOISY_EXPERT -> new NoisyExpertPolicy(new ExpertPolicy(sim), noise);
            case RANDOM -> new RandomPolicy(sim.config().maxStep());
        };
    }

    public static List<String> names() { return Arrays.stream(values()).map(PolicyKind::cliName).toList(); }

    public static PolicyKind byName(String name) {
        for (PolicyKind k : values()) if (k.cliName.equalsIgnoreCase(name) || k.name().equalsIgnoreCase(name)) return k;
        throw new IllegalArgumentException("unknown policy '" + name + "': choose one of " + String.join(", ", names()));
    }
}
