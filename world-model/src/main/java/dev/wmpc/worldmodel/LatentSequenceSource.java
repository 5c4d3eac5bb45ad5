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
     * The episodes held out for evaluation: every tenth (episodes 9, 19, 29, ...; with fewer than ten, the last one)
     * when there are two or more episodes, none otherwise. Spread over the dataset, they sample every task of a
     * dataset recorded task after task, as {@code wmpc train all} records it. Training uses the others.
     */
    default List<Integer> heldOut() {
        int n = episodes();
        if (n < 2) return List.of();
        if (n < 10) return List.of(n - 1);
        return java.util.stream.IntStream.range(0, n).filter(e -> e % 10 == 9).boxed().toList();
    }

    default List<Integer> training() {
        java.util.Set<Integer> held = new java.util.HashSet<>(heldOut());
        return java.util.stream.IntStream.range(0, episodes()).filter(e -> !held.contains(e)).boxed().toList();
    }
}
