package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * A stack of pre-LayerNorm transformer blocks (multi-head self-attention + GELU MLP) over tokens {@code [B, N, D]},
 * written as functions of a {@link ParameterSet} so the context encoder, its EMA target and the predictor share the
 * code. Every result lands in the manager of the input tokens, never in the parameters' manager.
 */
final class Transformer {
    private final String prefix;
    private final int dim;
    private final int depth;
    private final int heads;
    private final int mlpRatio;

    Transformer(String prefix, int dim, int depth, int heads, int mlpRatio) {
        this.prefix = prefix;
        this.dim = dim;
        this.depth = depth;
        this.heads = heads;
        this.mlpRatio = mlpRatio;
    }

    /** Declares blocks.{i}.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2} and a final norm. */
    void declare(ParameterSet.Layout layout) {
        for (int i = 0; i < depth; i++) {
            String b = prefix + "blocks." + i + ".";
            layout.layerNorm(b + "norm1", dim)
                    .linear(b + "attn.qkv", dim, 3 * dim)
                    .linear(b + "attn.proj", dim, dim)
                    .layerNorm(b + "norm2", dim)
                    .linear(b + "mlp.fc1", dim, mlpRatio * dim)
                    .linear(b + "mlp.fc2", mlpRatio * dim, dim);
        }
        layout.layerNorm(prefix + "norm", dim);
    }

    /** All blocks and the final norm. */
    NDArray forward(ParameterSet p, NDArray x) {
        for (int i = 0; i < depth; i++) x = block(p, prefix + "blocks." + i + ".", x);
        return layerNorm(p, prefix + "norm", x);
    }

    private NDArray block(ParameterSet p, String b, NDArray x) {
        NDArray h = attention(p, b + "attn.", layerNorm(p, b + "norm1", x));
        x = x.add(h);
        NDArray m = linear(p, b + "mlp.fc1", layerNorm(p, b + "norm2", x));
        m = linear(p, b + "mlp.fc2", Activation.gelu(m));
        return x.add(m);
    }

    private NDArray attention(ParameterSet p, String a, NDArray x) {
        Shape s = x.getShape();
        long batch = s.get(0), n = s.get(1);
        int hd = dim / heads;
        NDArray qkv = linear(p, a + "qkv", x).reshape(batch, n, 3, heads, hd).transpose(2, 0, 3, 1, 4);
        // The scale is an array of the input's manager (a step's or an encode call's), not mul(double): DJL wraps a
        // number in a tensor over a direct buffer only its (at once closed) wrapper keeps alive; autograd saves that
        // tensor for the backward pass, and a garbage collection in between let the gradient read freed memory.
        NDArray q = qkv.get(0).mul(JepaTrainer.scalar(x, 1.0 / Math.sqrt(hd)));
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
        NDArray o = att.matMul(v).transpose(0, 2, 1, 3).reshape(batch, n, dim);
        return linear(p, a + "proj", o);
    }

    static NDArray linear(ParameterSet p, String name, NDArray x) {
        return Linear.linear(x, p.get(name + ".weight"), p.get(name + ".bias")).singletonOrThrow();
    }

    /** Per-token LayerNorm: normalises over the last axis only. */
    static NDArray layerNorm(ParameterSet p, String name, NDArray x) {
        NDArray w = p.get(name + ".weight");
        return LayerNorm.layerNorm(x, w.getShape(), w, p.get(name + ".bias"), 1e-6f).singletonOrThrow();
    }
}
