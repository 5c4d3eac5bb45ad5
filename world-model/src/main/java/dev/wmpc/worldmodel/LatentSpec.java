package dev.wmpc.worldmodel;

/** What one frame of a latent sequence holds: a grid of patch latents, a proprio state and an action. */
public record LatentSpec(int gridHeight, int gridWidth, int latentDim, int stateDim, int actionDim) {
    public LatentSpec {
        if (gridHeight <= 0 || gridWidth <= 0 || latentDim <= 0 || stateDim <= 0 || actionDim <= 0)
            throw new IllegalArgumentException("latent spec sizes must be > 0: " + gridHeight + "x" + gridWidth
                    + " tokens of " + latentDim + ", state " + stateDim + ", action " + actionDim);
    }

    public int tokens() { return gridHeight * gridWidth; }

    /** Floats in one frame's latents. */
    public int frameFloats() { return tokens() * latentDim; }
}
