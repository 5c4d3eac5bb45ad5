package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * V-JEPA's narrow predictor: context latents (projected to the predictor width, with their positions) and one
 * learned mask token per target position go through pre-LN blocks; the outputs at the target positions are
 * projected back to the encoder width as predictions of the target encoder's latents.
 */
final class PredictorNetwork {
    static final String EMBED = "predictor_embed";
    static final String MASK_TOKEN = "mask_token";
    static final String PROJ = "predictor_proj";

    private final EncoderNetwork encoder;
    private final Transformer blocks;

    PredictorNetwork(EncoderNetwork encoder) {
        this.encoder = encoder;
        EncoderConfig c = encoder.config();
        this.blocks = new Transformer("predictor.", c.predictorDim(), c.predictorDepth(), c.predictorHeads(), c.mlpRatio());
    }

    static ParameterSet.Layout layout(EncoderConfig c) {
        ParameterSet.Layout layout = new ParameterSet.Layout()
                .linear(EMBED, c.dim(), c.predictorDim())
                .add(MASK_TOKEN, ParameterSet.Init.NORMAL, c.predictorDim());
        new PredictorNetwork(new EncoderNetwork(c)).blocks.declare(layout);
        return layout.linear(PROJ, c.predictorDim(), c.dim());
    }

    /**
     * @param context    context encoder output {@code [B, K, D]}
     * @param contextIdx token indices of the context {@code [B, K]} (int64)
     * @param targetIdx  token indices to predict {@code [B, M]} (int64)
     * @param tubelets   time steps in the clip
     * @return predicted target latents {@code [B, M, D]}
     */
    NDArray forward(ParameterSet p, NDArray context, NDArray contextIdx, NDArray targetIdx, int tubelets) {
        EncoderConfig c = encoder.config();
        long b = context.getShape().get(0), k = context.getShape().get(1), m = targetIdx.getShape().get(1);
        int dp = c.predictorDim();
        NDArray cached = encoder.positions(context.getManager(), tubelets, dp);
        // Broadcast in place into a step-local array: an op on the cached array itself would land in its manager.
        NDArray pos = context.getManager().zeros(new Shape(b, cached.getShape().get(1), dp)).addi(cached);
        NDArray z = Transformer.linear(p, EMBED, context).add(EncoderNetwork.gatherTokens(pos, contextIdx));
        NDArray masks = EncoderNetwork.gatherTokens(pos, targetIdx).add(p.get(MASK_TOKEN));
        NDArray x = blocks.forward(p, NDArrays.concat(new NDList(z, masks), 1));
        NDArray out = x.get(new NDIndex(":, {}:, :", k));
        return Transformer.linear(p, PROJ, out);
    }
}
