package dev.wmpc.worldmodel;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;

/**
 * Synthetic latent sequences whose dynamics depend on the actions: a point moves by the commanded Δxyz (clipped to the
 * unit box) and every latent entry is a fixed smooth function of its position, so copying the last frame is wrong by
 * about the motion and a predictor that reads the action can do much better. States are the position, so the first
 * three action entries integrate into the state exactly.
 */
public final class SyntheticLatentSource implements LatentSequenceSource {
    private final LatentSpec spec;
    private final LatentEpisode[] episodes;

    public SyntheticLatentSource(LatentSpec spec, int episodes, int length, long seed) {
        if (spec.stateDim() != 3 || spec.actionDim() < 3)
            throw new IllegalArgumentException("synthetic latents need stateDim 3 and actionDim >= 3");
        this.spec = spec;
        Random rng = new Random(seed);
        int f = spec.frameFloats();
        float[] freq = new float[f * 3];
        float[] phase = new float[f];
        for (int i = 0; i < freq.length; i++) freq[i] = (float) (rng.nextGaussian() * 0.8);
        for (int i = 0; i < f; i++) phase[i] = (float) (rng.nextDouble() * Math.PI * 2);
        this.episodes = new LatentEpisode[episodes];
        for (int e = 0; e < episodes; e++) {
            float[] latents = new float[length * f];
            float[] states = new float[length * 3];
            float[] actions = new float[length * spec.actionDim()];
            double[] p = {rng.nextDouble() * 2 - 1, rng.nextDouble() * 2 - 1, rng.nextDouble() * 2 - 1};
            for (int t = 0; t < length; t++) {
                for (int i = 0; i < f; i++) {
                    double arg = phase[i] + freq[3 * i] * p[0] + freq[3 * i + 1] * p[1] + freq[3 * i + 2] * p[2];
                    latents[t * f + i] = (float) Math.sin(arg);
                }
                for (int k = 0; k < 3; k++) states[t * 3 + k] = (float) p[k];
                for (int k = 0; k < spec.actionDim(); k++) {
                    float a = (float) (rng.nextDouble() * 0.6 - 0.3);
                    actions[t * spec.actionDim() + k] = a;
                }
                for (int k = 0; k < 3; k++) {
                    // keep the integration exact: the action is what the point actually moves
                    double next = Math.max(-1, Math.min(1, p[k] + actions[t * spec.actionDim() + k]));
                    actions[t * spec.actionDim() + k] = (float) (next - p[k]);
                    p[k] = next;
                }
            }
            this.episodes[e] = new LatentEpisode(spec, length, FloatBuffer.wrap(latents).asReadOnlyBuffer(), states,
                    actions);
        }
    }

    @Override public LatentSpec spec() { return spec; }

    @Override public int episodes() { return episodes.length; }

    @Override public LatentEpisode episode(int index) { return episodes[index]; }

    @Override public List<String> stateNames() { return List.of("ee_x", "ee_y", "ee_z"); }
}
