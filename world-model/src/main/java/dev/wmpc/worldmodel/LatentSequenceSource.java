package dev.wmpc.worldmodel;

import java.util.List;

/**
 * Episodes of encoded frames for training and evaluating the predictor: the frozen encoder's latents with the states
 * and actions that go with them (a latent cache on disk, or synthetic sequences in tests).
 */
public interface LatentSequenceSource {
    LatentSpec spec();

    int episodes();

    LatentEpisode episode(int index);

    /** Names of the state entries (the dataset's {@code observation.state} names), or empty when unknown. */
    default List<String> stateNames() { return List.of(); }

    /**
     * The episodes held out for evaluation: the last tenth (at least one) when there are two or more episodes, none
     * otherwise. Training uses the others.
     */
    default List<Integer> heldOut() {
        int n = episodes();
        if (n < 2) return List.of();
        int k = Math.max(1, Math.round(n / 10f));
        return java.util.stream.IntStream.range(n - k, n).boxed().toList();
    }

    default List<Integer> training() {
        int n = episodes();
        int k = heldOut().size();
        return java.util.stream.IntStream.range(0, n - k).boxed().toList();
    }
}
