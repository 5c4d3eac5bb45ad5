package dev.wmpc.core;

/**
 * Anything that chooses actions from observations: scripted experts, random play, the latent planner's closed loop.
 * Stateful policies reset at the start of each episode.
 */
public interface Policy {
    /** Called at the start of an episode; random choices flow from the seed. */
    default void reset(long seed) {}

    /** The action for this control step. */
    Action act(Observation observation);
}
