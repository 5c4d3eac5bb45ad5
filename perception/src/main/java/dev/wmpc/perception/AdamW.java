package dev.wmpc.perception;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The project's optimizer: AdamW (decoupled weight decay, on matrices only) with global-norm gradient clipping, over
 * named arrays that carry their gradients. It owns its moments, so a trainer checkpoints them with {@link #save} and a
 * resumed run continues exactly after {@link #load}. Written out rather than DJL's {@code Optimizer.adamW()} for that
 * reason. Updates the arrays in place and zeroes their gradients.
 */
public final class AdamW implements AutoCloseable {
    private static final float BETA1 = 0.9f, BETA2 = 0.999f, EPS = 1e-8f;
    private final NDManager manager;
    private final float weightDecay, clipNorm;
    private final Predicate<String> noDecay;
    private final Map<String, NDArray> first = new HashMap<>();
    private final Map<String, NDArray> second = new HashMap<>();
    private long updates;

    /**
     * @param parent      the moments live in a sub-manager of it (on its device)
     * @param weightDecay decoupled decay of every matrix (an array of two or more dimensions); vectors never decay
     * @param clipNorm    the global gradient norm is clipped to this (0: no clipping)
     */
    public AdamW(NDManager parent, float weightDecay, float clipNorm) {
        this(parent, weightDecay, clipNorm, name -> false);
    }

    /** As {@link #AdamW(NDManager, float, float)}, with the names of matrices that do not decay either. */
    public AdamW(NDManager parent, float weightDecay, float clipNorm, Predicate<String> noDecay) {
        this.manager = parent.newSubManager();
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        this.noDecay = noDecay;
    }

    /** The updates made so far (the step count a checkpoint stores). */
    public long updates() { return updates; }

    /** One update of DJL parameters (by name) with learning rate {@code lr}; returns the gradient norm before clipping. */
    public float step(List<Parameter> parameters, float lr) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (Parameter p : parameters) named.put(p.getName(), p.getArray());
        return step(named, lr);
    }

    /** One update of named arrays with learning rate {@code lr}; returns the gradient norm before clipping. */
    public float step(Map<String, NDArray> parameters, float lr) {
        updates++;
        double c1 = 1 - Math.pow(BETA1, updates), c2 = 1 - Math.pow(BETA2, updates);
        try (NDScope ignored = new NDScope()) {
            double sq = 0;
            for (NDArray w : parameters.values()) sq += w.getGradient().square().sum().getFloat();
            float norm = (float) Math.sqrt(sq);
            float scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1f;
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray w = e.getValue();
                NDArray g = w.getGradient();
                NDArray m = state(first, e.getKey(), w);
                NDArray v = state(second, e.getKey(), w);
                NDArray gs = scale == 1f ? g : g.mul(scale);
                m.muli(BETA1).addi(gs.mul(1 - BETA1));
                v.muli(BETA2).addi(gs.square().mul(1 - BETA2));
                NDArray update = m.div(c1).div(v.div(c2).sqrt().add(EPS)).mul(lr);
                if (weightDecay > 0 && w.getShape().dimension() >= 2 && !noDecay.test(e.getKey())) w.muli(1 - lr * weightDecay);
                w.subi(update);
                g.subi(g); // zero the accumulated gradient in place
            }
            return norm;
        }
    }

    private NDArray state(Map<String, NDArray> map, String name, NDArray like) {
        return map.computeIfAbsent(name, k -> {
            NDArray z = manager.zeros(like.getShape());
            NDScope.unregister(z);
            return z;
        });
    }

    /** Writes the moments (NPZ, arrays named {@code m/<name>} and {@code v/<name>}). */
    public void save(Path file) throws IOException {
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

    /** Reads moments written by {@link #save}; the next update is number {@code updateCount + 1}. */
    public void load(Path file, long updateCount) {
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
