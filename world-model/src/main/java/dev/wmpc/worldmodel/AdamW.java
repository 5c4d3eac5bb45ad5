package dev.wmpc.worldmodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, applied to matrices only) over DJL parameters, with global-norm gradient clipping.
 * Written out rather than DJL's {@code Optimizer.adamW()} so its moments can be checkpointed and a resumed run
 * continues exactly. Updates the parameter arrays in place and zeroes their gradients.
 */
final class AdamW implements AutoCloseable {
    private final NDManager manager;
    private final float beta1, beta2, eps, weightDecay, clipNorm;
    private final Map<String, NDArray> first = new HashMap<>();
    private final Map<String, NDArray> second = new HashMap<>();
    private long updates;

    AdamW(NDManager parent, float weightDecay, float clipNorm) {
        this.manager = parent.newSubManager();
        this.beta1 = 0.9f;
        this.beta2 = 0.999f;
        this.eps = 1e-8f;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
    }

    long updates() { return updates; }

    /** One update with learning rate {@code lr}; returns the gradient norm before clipping. */
    float step(List<Parameter> parameters, float lr) {
        updates++;
        double c1 = 1 - Math.pow(beta1, updates), c2 = 1 - Math.pow(beta2, updates);
        try (NDScope ignored = new NDScope()) {
            double sq = 0;
            for (Parameter p : parameters) sq += p.getArray().getGradient().square().sum().getFloat();
            float norm = (float) Math.sqrt(sq);
            float scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1f;
            for (Parameter p : parameters) {
                NDArray w = p.getArray();
                NDArray g = w.getGradient();
                NDArray m = state(first, p);
                NDArray v = state(second, p);
                NDArray gs = scale == 1f ? g : g.mul(scale);
                m.muli(beta1).addi(gs.mul(1 - beta1));
                v.muli(beta2).addi(gs.square().mul(1 - beta2));
                NDArray update = m.div(c1).div(v.div(c2).sqrt().add(eps)).mul(lr);
                if (weightDecay > 0 && w.getShape().dimension() >= 2) w.muli(1 - lr * weightDecay);
                w.subi(update);
                g.subi(g); // zero the accumulated gradient in place
            }
            return norm;
        }
    }

    private NDArray state(Map<String, NDArray> map, Parameter p) {
        return map.computeIfAbsent(p.getName(), k -> {
            NDArray z = manager.zeros(p.getArray().getShape());
            NDScope.unregister(z);
            return z;
        });
    }

    void save(Path file) throws IOException {
        NDList list = new NDList();
        for (var e : first.entrySet()) {
            e.getValue().setName("m/" + e.getKey());
            list.add(e.getValue());
        }
        for (var e : second.entrySet()) {
            e.getValue().setName("v/" + e.getKey());
            list.add(e.getValue());
        }
        try (OutputStream os = Files.newOutputStream(file)) {
            list.encode(os, NDList.Encoding.NPZ);
        }
    }

    void load(Path file, long updateCount) {
        try (InputStream in = Files.newInputStream(file)) {
            for (NDArray a : NDList.decode(manager, in)) {
                String name = a.getName();
                if (name.startsWith("m/")) first.put(name.substring(2), a);
                else if (name.startsWith("v/")) second.put(name.substring(2), a);
            }
            updates = updateCount;
        } catch (IOException e) {
            throw new WmpcException("cannot read optimizer state " + file + ": " + e.getMessage()
                    + " (delete the output folder or drop --resume to start afresh)", e);
        }
    }

    @Override public void close() {
        manager.close();
    }
}
