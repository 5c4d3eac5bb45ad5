package dev.wmpc.worldmodel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.Durable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The action-conditioned latent predictor, in the way of V-JEPA 2-AC: a pre-LayerNorm transformer over frames of
 * tokens {@code [action, state, N patch latents]} with frame-causal (block-causal) attention and learned positions
 * over time and the patch grid; its patch outputs, projected back to the latent width and layer-normalised, predict
 * the next frame's latents.
 *
 * <p>Latent space: the model layer-normalises (no affine) every latent it reads and writes, as V-JEPA 2-AC does with
 * its encoder targets; compare predictions with {@link #normalize(NDArray)}ed latents.
 *
 * <p>The attention is written here with NDArray ops so {@link #rollout} can keep a per-layer key/value cache: each
 * rollout step pushes only the new frame's tokens through the network. Parameters are DJL {@link Parameter}s owned by
 * this object's manager; training differentiates through {@link #predict} with DJL's autograd.
 */
public final class AcPredictor implements AutoCloseable {
    /** File of the parameters inside a model folder (numpy npz, one named array per parameter). */
    public static final String PARAMETERS_FILE = "parameters.npz";
    public static final String CONFIG_FILE = "config.json";
    private static final float LN_EPS = 1e-6f;
    private static final float MASKED = -1e9f;
    /**
     * Rollouts compute their linear layers as 1x1 convolutions ({@link #dense}); {@code -Dwmpc.rollout.convLinear=false}
     * turns it off (plain linear layers everywhere, as in training).
     */
    static final boolean CONV_LINEAR = !"false".equals(System.getProperty("wmpc.rollout.convLinear"));
    private static final Shape CONV_ONE = new Shape(1, 1), CONV_ZERO = new Shape(0, 0), CONV_DILATION = new Shape(2, 2);

    private final PredictorConfig config;
    private final NDManager manager;
    private final List<Parameter> parameters;
    private final Map<String, NDArray> arrays;
    private final Layer[] layers;
    // constants derived from the config (not trained)
    private final NDArray actionMean, actionStd, stateMean, stateStd, integration, latentOnes, latentZeros;
    /**
     * 1/sqrt(headDim) as an array this predictor owns. Not {@code mul(double)}: DJL wraps a number in a tensor over a
     * direct buffer that only the (at once closed) wrapper keeps alive, autograd saves that tensor for the backward
     * pass, and a GC in between frees the buffer under it: the gradient then read freed memory.
     */
    private final NDArray queryScale;
    private final boolean integrates;

    private record Layer(NDArray norm1Gamma, NDArray norm1Beta, NDArray qkvWeight, NDArray qkvBias,
                         NDArray projWeight, NDArray projBias, NDArray norm2Gamma, NDArray norm2Beta,
                         NDArray fc1Weight, NDArray fc1Bias, NDArray fc2Weight, NDArray fc2Bias) {}

    /**
     * Key/value cache of one attention layer. Rollouts preallocate {@code kv} [2 (keys, values), S, heads, capacity,
     * headDim] and write each new frame's keys and values in place with one copy (no per-step copy of the cache);
     * {@code keys}/{@code values} collect the shared context prefix (grown by concatenation) before the buffer exists.
     */
    private static final class KvCache {
        NDArray keys;
        NDArray values;
        NDArray kv;
        int length;
    }

    private AcPredictor(PredictorConfig config, NDManager manager, Map<String, NDArray> values) {
        this.config = config;
        this.manager = manager;
        Map<String, Shape> expected = parameterShapes(config);
        List<Parameter> params = new ArrayList<>();
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (var e : expected.entrySet()) {
            NDArray a = values.get(e.getKey());
            String name = e.getKey();
            Parameter.Type type = name.endsWith(".gamma") ? Parameter.Type.GAMMA
                    : name.endsWith(".beta") ? Parameter.Type.BETA
                    : name.endsWith(".bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT;
            a.setName(name);
            Parameter p = Parameter.builder().setName(name).setType(type).optArray(a).build();
            p.initialize(manager, DataType.FLOAT32);
            params.add(p);
            byName.put(name, a);
        }
        this.parameters = Collections.unmodifiableList(params);
        this.arrays = Collections.unmodifiableMap(byName);
        this.layers = new Layer[config.depth()];
        for (int i = 0; i < layers.length; i++) {
            String b = "blocks." + i + ".";
            layers[i] = new Layer(arrays.get(b + "norm1.gamma"), arrays.get(b + "norm1.beta"),
                    arrays.get(b + "qkv.weight"), arrays.get(b + "qkv.bias"),
                    arrays.get(b + "proj.weight"), arrays.get(b + "proj.bias"),
                    arrays.get(b + "norm2.gamma"), arrays.get(b + "norm2.beta"),
                    arrays.get(b + "fc1.weight"), arrays.get(b + "fc1.bias"),
                    arrays.get(b + "fc2.weight"), arrays.get(b + "fc2.bias"));
        }
        actionMean = manager.create(config.actionMean());
        actionStd = manager.create(config.actionStd());
        stateMean = manager.create(config.stateMean());
        stateStd = manager.create(config.stateStd());
        float[] m = new float[config.actionDim() * config.stateDim()];
        boolean any = false;
        for (int i = 0; i < config.actionDim(); i++) {
            int target = config.stateIntegration()[i];
            if (target >= 0) {
                m[i * config.stateDim() + target] = 1f;
                any = true;
            }
        }
        integrates = any;
        integration = manager.create(m, new Shape(config.actionDim(), config.stateDim()));
        latentOnes = manager.ones(new Shape(config.latentDim()));
        latentZeros = manager.zeros(new Shape(config.latentDim()));
        queryScale = manager.create((float) (1.0 / Math.sqrt(config.headDim())));
    }

    /** A freshly initialised predictor (truncated normal 0.02, residual projections scaled down by depth). */
    public static AcPredictor create(PredictorConfig config, Device device, long seed) {
        Random rng = new Random(seed);
        NDManager manager = NDManager.newBaseManager(device);
        Map<String, NDArray> values = new LinkedHashMap<>();
        for (var e : parameterShapes(config).entrySet()) {
            String name = e.getKey();
            Shape shape = e.getValue();
            float[] data = new float[(int) shape.size()];
            if (name.endsWith(".gamma")) {
                Arrays.fill(data, 1f);
            } else if (!name.endsWith(".bias") && !name.endsWith(".beta")) {
                float scale = 1f;
                int layer = layerOf(name);
                if (layer >= 0 && (name.endsWith("proj.weight") || name.endsWith("fc2.weight")))
                    scale = (float) (1.0 / Math.sqrt(2.0 * (layer + 1)));
                for (int i = 0; i < data.length; i++) data[i] = truncatedNormal(rng) * 0.02f * scale;
            }
            values.put(name, manager.create(data, shape));
        }
        return new AcPredictor(config, manager, values);
    }

    /** The ordered names and shapes of every parameter (linear weights as [out, in]). */
    public static Map<String, Shape> parameterShapes(PredictorConfig c) {
        long w = c.width(), d = c.latentDim();
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("patch_embed.weight", new Shape(w, d));
        s.put("patch_embed.bias", new Shape(w));
        s.put("action_embed.weight", new Shape(w, c.actionDim()));
        s.put("action_embed.bias", new Shape(w));
        s.put("state_embed.weight", new Shape(w, c.stateDim()));
        s.put("state_embed.bias", new Shape(w));
        s.put("pos_time.weight", new Shape(c.maxFrames(), w));
        s.put("pos_space.weight", new Shape(c.tokens(), w));
        for (int i = 0; i < c.depth(); i++) {
            String b = "blocks." + i + ".";
            s.put(b + "norm1.gamma", new Shape(w));
            s.put(b + "norm1.beta", new Shape(w));
            s.put(b + "qkv.weight", new Shape(3 * w, w));
            s.put(b + "qkv.bias", new Shape(3 * w));
            s.put(b + "proj.weight", new Shape(w, w));
            s.put(b + "proj.bias", new Shape(w));
            s.put(b + "norm2.gamma", new Shape(w));
            s.put(b + "norm2.beta", new Shape(w));
            s.put(b + "fc1.weight", new Shape(c.hidden(), w));
            s.put(b + "fc1.bias", new Shape(c.hidden()));
            s.put(b + "fc2.weight", new Shape(w, c.hidden()));
            s.put(b + "fc2.bias", new Shape(w));
        }
        s.put("norm.gamma", new Shape(w));
        s.put("norm.beta", new Shape(w));
        s.put("head.weight", new Shape(d, w));
        s.put("head.bias", new Shape(d));
        return s;
    }

    public PredictorConfig config() { return config; }

    /** The trainable parameters in a fixed order (their arrays are updated in place by the optimiser). */
    public List<Parameter> parameters() { return parameters; }

    /** The manager that owns the parameters (closing this predictor closes it). */
    public NDManager manager() { return manager; }

    public Device device() { return manager.getDevice(); }

    // ------------------------------------------------------------------------------------------------ forward

    /** Layer-normalises latents over their last axis (no affine): the space predictions live in. */
    public NDArray normalize(NDArray latents) {
        return latents.getNDArrayInternal()
                .layerNorm(latents, new Shape(config.latentDim()), latentOnes, latentZeros, LN_EPS).singletonOrThrow();
    }

    /**
     * Teacher-forced prediction over whole clips: {@code latents [B, T, N, D]} (normalised), {@code actions [B, T, A]}
     * (action t leads from frame t to t + 1), {@code states [B, T, s]} → {@code [B, T, N, D]} where entry t predicts
     * frame t + 1 from frames 0..t. Results live in the latents' manager; differentiable.
     */
    public NDArray predict(NDArray latents, NDArray actions, NDArray states) {
        Shape zs = latents.getShape();
        requireShape("latents", zs, 4, -1, -1, config.tokens(), config.latentDim());
        long b = zs.get(0), t = zs.get(1);
        requireShape("actions", actions.getShape(), 3, b, t, config.actionDim());
        requireShape("states", states.getShape(), 3, b, t, config.stateDim());
        if (t > config.maxFrames())
            throw new IllegalArgumentException("clip of " + t + " frames exceeds the predictor's maxFrames "
                    + config.maxFrames());
        NDArray x = embed(latents, actions, states, 0);
        NDArray mask = frameCausalMask(latents.getManager(), (int) t, (int) t);
        for (Layer layer : layers) x = block(x, layer, null, mask);
        return head(x, (int) t, latents);
    }

    /**
     * Imagines {@code H} future frames for each of {@code S} action sequences from one shared context, with a key/value
     * cache (each step computes only the new frame's tokens).
     *
     * @param contextLatents {@code [N, D]} or {@code [T0, N, D]} (shared), or {@code [S, T0, N, D]} (one per sample)
     * @param contextStates {@code [s]} / {@code [T0, s]} / {@code [S, T0, s]}: proprio state at each context frame
     * @param pastActions actions between the context frames, {@code [T0 - 1, A]} / {@code [S, T0 - 1, A]}; null when T0 = 1
     * @param actions {@code [S, H, A]}: action h leads from frame T0 - 1 + h to the next
     * @return predicted latents {@code [S, H, N, D]} in the actions' manager (normalised latent space)
     */
    public NDArray rollout(NDArray contextLatents, NDArray contextStates, NDArray pastActions, NDArray actions) {
        return rollout(contextLatents, contextStates, pastActions, actions, true);
    }

    /**
     * Plain-Java rollout for callers without NDArrays (the planner's adapter): one context frame {@code latent}
     * ({@code N * D} numbers, as the encoder gives them), its proprio {@code state}, {@code actions} row-major
     * {@code [samples, horizon, A]} → predicted latents row-major {@code [samples, horizon, N * D]} (normalised latent
     * space: compare with {@link #normalizeFlat}ed goals). One native scope per call.
     */
    public float[] rollout(float[] latent, float[] state, float[] actions, int samples, int horizon) {
        int n = config.tokens(), d = config.latentDim(), a = config.actionDim();
        if (latent.length != n * d)
            throw new IllegalArgumentException("latent must have N*D = " + n + "*" + d + " = " + n * d + " numbers, got "
                    + latent.length);
        if (actions.length != samples * horizon * a)
            throw new IllegalArgumentException("actions must have samples*horizon*A = " + samples + "*" + horizon + "*"
                    + a + " numbers, got " + actions.length);
        try (NDManager m = manager.newSubManager()) {
            return rollout(m.create(latent, new Shape(n, d)), m.create(state), null,
                    m.create(actions, new Shape(samples, horizon, a))).toFloatArray();
        }
    }

    /** {@link #normalize} for a flat {@code N * D} latent: goals for comparing with {@link #rollout} outputs. */
    public float[] normalizeFlat(float[] latent) {
        int n = config.tokens(), d = config.latentDim();
        if (latent.length != n * d)
            throw new IllegalArgumentException("latent must have N*D = " + n * d + " numbers, got " + latent.length);
        try (NDManager m = manager.newSubManager()) {
            return normalize(m.create(latent, new Shape(n, d))).toFloatArray();
        }
    }

    /** The same rollout recomputing the whole sequence at every step (no KV cache): the reference and baseline. */
    public NDArray rolloutNaive(NDArray contextLatents, NDArray contextStates, NDArray pastActions, NDArray actions) {
        return rollout(contextLatents, contextStates, pastActions, actions, false);
    }

    private NDArray rollout(NDArray ctxLatents, NDArray ctxStates, NDArray past, NDArray actions, boolean cached) {
        Shape as = actions.getShape();
        requireShape("actions", as, 3, -1, -1, config.actionDim());
        int s = (int) as.get(0), h = (int) as.get(1);
        if (s < 1 || h < 1) throw new IllegalArgumentException("actions must be [S, H, A] with S, H >= 1, got " + as);
        Shape zs = ctxLatents.getShape();
        int n = config.tokens(), d = config.latentDim();
        int batched = switch (zs.dimension()) {
            case 2, 3 -> 1;
            case 4 -> s;
            default -> -1;
        };
        if (batched < 0) throw shapeError("context latents", zs, "[N, D], [T0, N, D] or [S, T0, N, D] with N="
                + n + ", D=" + d);
        int t0 = zs.dimension() == 2 ? 1 : (int) zs.get(zs.dimension() - 3);
        if (zs.dimension() == 2) requireShape("context latents", zs, 2, n, d);
        else if (zs.dimension() == 3) requireShape("context latents", zs, 3, -1, n, d);
        else requireShape("context latents", zs, 4, s, -1, n, d);
        Shape ss = ctxStates.getShape();
        if (ss.dimension() == 1 && t0 == 1 && batched == 1) requireShape("context states", ss, 1, config.stateDim());
        else if (batched == 1) requireShape("context states", ss, 2, t0, config.stateDim());
        else requireShape("context states", ss, 3, s, t0, config.stateDim());
        if (t0 > 1) {
            if (past == null)
                throw new IllegalArgumentException("past actions are required with " + t0 + " context frames: pass ["
                        + (t0 - 1) + ", " + config.actionDim() + "]");
            if (batched == 1) requireShape("past actions", past.getShape(), 2, t0 - 1, config.actionDim());
            else requireShape("past actions", past.getShape(), 3, s, t0 - 1, config.actionDim());
        }
        if (t0 + h - 1 > config.maxFrames())
            throw new IllegalArgumentException("context of " + t0 + " frames + horizon " + h + " needs " + (t0 + h - 1)
                    + " frames but the predictor holds at most maxFrames=" + config.maxFrames());

        NDManager caller = actions.getManager();
        try (NDManager scope = caller.newSubManager()) {
            List<NDArray> inputs = new ArrayList<>(List.of(ctxLatents, ctxStates, actions));
            if (past != null && t0 > 1) inputs.add(past);
            for (NDArray in : inputs) in.tempAttach(scope);
            NDArray z = normalize(ctxLatents.reshape(batched, t0, n, d));
            NDArray st = ctxStates.reshape(batched, t0, config.stateDim());
            NDArray pa = t0 > 1 ? past.reshape(batched, t0 - 1, config.actionDim()) : null;
            NDArray result = cached ? rolloutCached(z, st, pa, actions, s, h) : rolloutFull(z, st, pa, actions, s, h);
            result.attach(caller);
            return result;
        }
    }

    private NDArray rolloutCached(NDArray z, NDArray st, NDArray pa, NDArray actions, int s, int h) {
        int t0 = (int) z.getShape().get(1);
        int n = config.tokens();
        KvCache[] caches = new KvCache[layers.length];
        for (int i = 0; i < caches.length; i++) caches[i] = new KvCache();
        int capacity = (t0 - 1 + h) * config.frameTokens();
        NDManager m = z.getManager();
        if (t0 > 1) {
            // The context frames before the last are the same for every sample: push them once (with their batch).
            try (NDScope ignored = new NDScope()) {
                NDArray x = embed(z.get(":, :{}", t0 - 1), pa, st.get(":, :{}", t0 - 1), 0);
                NDArray mask = frameCausalMask(m, t0 - 1, t0 - 1);
                for (int i = 0; i < layers.length; i++) x = block(x, layers[i], caches[i], mask);
                for (KvCache c : caches) {
                    NDArray keys = c.keys, values = c.values;
                    int l = (int) keys.getShape().get(2);
                    allocate(c, m, s, capacity);
                    // broadcasts a shared prefix over the samples
                    c.kv.set(new NDIndex().addIndices(0).addAllDim(2).addSliceDim(0, l), keys);
                    c.kv.set(new NDIndex().addIndices(1).addAllDim(2).addSliceDim(0, l), values);
                    c.length = l;
                }
            }
        } else {
            for (KvCache c : caches) allocate(c, m, s, capacity);
        }
        NDArray frame = z.get(":, {}", t0 - 1); // [B, N, D]
        NDArray state = st.get(":, {}", t0 - 1); // [B, s]
        NDList outputs = new NDList(h);
        for (int step = 0; step < h; step++) {
            try (NDScope ignored = new NDScope()) {
                NDArray action = actions.get(new NDIndex().addAllDim().addIndices(step)); // [S, A]
                int t = t0 - 1 + step;
                boolean last = step == h - 1;
                NDArray x;
                NDArray qkv = null;
                if (config.summedInputs()) {
                    // One token per patch: the frame's patch, state and time embeddings (shared when B = 1) plus each
                    // sample's action embedding.
                    x = embedShared(frame, state, t).add(embedActionAt(action)); // [S, N, W]
                } else if (frame.getShape().get(0) != s) {
                    // The last context frame is shared (B = 1): only its action token differs between samples. Its
                    // state and patch tokens and their first-layer keys/values are computed once and broadcast.
                    NDArray shared = embedShared(frame, state, t); // [1, N + 1, W]
                    NDArray act = embedAction(action, t); // [S, 1, W]
                    Layer p = layers[0];
                    NDArray sharedQkv = dense(layerNorm(shared, p.norm1Gamma, p.norm1Beta), p.qkvWeight, p.qkvBias);
                    NDArray actQkv = dense(layerNorm(act, p.norm1Gamma, p.norm1Beta), p.qkvWeight, p.qkvBias);
                    x = NDArrays.concat(new NDList(act, shared.broadcast(s, n + 1, config.width())), 1);
                    qkv = NDArrays.concat(new NDList(actQkv, sharedQkv.broadcast(s, n + 1, 3L * config.width())), 1);
                } else {
                    if (state.getShape().get(0) != s) state = state.repeat(0, s);
                    // the tokens embed() makes for this frame: [S, N + 2, W]
                    x = NDArrays.concat(new NDList(embedAction(action, t), embedShared(frame, state, t)), 1);
                }
                for (int i = 0; i < layers.length; i++) {
                    // the last layer's action and state tokens feed nothing: only the patch tokens go past attention
                    NDArray next = stepBlock(x, i == 0 ? qkv : null, layers[i], caches[i], !last, i == layers.length - 1);
                    x.close();
                    x = next;
                }
                NDArray next = headPatches(x, frame); // [S, N, D]
                x.close();
                frame = next;
                if (integrates && !last) state = state.add(action.matMul(integration)); // [S, s] (broadcasts B = 1)
                NDScope.unregister(frame, state);
                outputs.add(frame);
            }
        }
        return NDArrays.stack(outputs, 1);
    }

    private void allocate(KvCache c, NDManager m, int samples, int capacity) {
        // uninitialised: a step reads only the slots written before it
        c.kv = m.create(new Shape(2, samples, config.heads(), capacity, config.headDim()), DataType.FLOAT32);
        NDScope.unregister(c.kv);
        c.keys = null;
        c.values = null;
    }

    private NDArray rolloutFull(NDArray z, NDArray st, NDArray pa, NDArray actions, int s, int h) {
        int batched = (int) z.getShape().get(0), t0 = (int) z.getShape().get(1);
        int n = config.tokens(), d = config.latentDim();
        NDArray frames = batched == s ? z : z.repeat(0, s); // [S, T0, N, D]
        NDArray states = batched == s ? st : st.repeat(0, s);
        NDArray acts = pa == null ? null : (batched == s ? pa : pa.repeat(0, s));
        NDList outputs = new NDList(h);
        for (int step = 0; step < h; step++) {
            try (NDScope ignored = new NDScope()) {
                NDArray action = actions.get(":, {}:{}", step, step + 1); // [S, 1, A]
                NDArray allActions = acts == null ? action : NDArrays.concat(new NDList(acts, action), 1);
                int t = t0 + step;
                NDArray pred = predict(frames, allActions, states);
                NDArray next = pred.get(":, {}", t - 1); // [S, N, D]
                NDArray previous = frames;
                frames = NDArrays.concat(new NDList(frames, next.reshape(s, 1, n, d)), 1);
                if (step > 0) previous.close();
                NDArray lastState = states.get(":, {}", t - 1);
                NDArray nextState = integrates ? lastState.add(action.reshape(s, config.actionDim()).matMul(integration))
                        : lastState;
                states = NDArrays.concat(new NDList(states, nextState.reshape(s, 1, config.stateDim())), 1);
                acts = allActions;
                NDScope.unregister(frames, states, acts, next);
                outputs.add(next);
            }
        }
        return NDArrays.stack(outputs, 1);
    }

    /** Tokens of F frames: [B, F * frameTokens, W], frame positions t0..t0+F-1. */
    private NDArray embed(NDArray latents, NDArray actions, NDArray states, int t0) {
        Shape zs = latents.getShape();
        long b = zs.get(0), f = zs.get(1);
        int w = config.width();
        NDArray a = linear(actions.sub(actionMean).div(actionStd), arrays.get("action_embed.weight"),
                arrays.get("action_embed.bias")).expandDims(2);
        NDArray st = linear(states.sub(stateMean).div(stateStd), arrays.get("state_embed.weight"),
                arrays.get("state_embed.bias")).expandDims(2);
        NDArray p = linear(latents, arrays.get("patch_embed.weight"), arrays.get("patch_embed.bias"))
                .add(arrays.get("pos_space.weight"));
        NDArray tokens = config.summedInputs() ? p.add(a).add(st) // [B, F, N, W]
                : NDArrays.concat(new NDList(a, st, p), 2); // [B, F, N + 2, W]
        NDArray time = arrays.get("pos_time.weight").get(latents.getManager(), new NDIndex("{}:{}", t0, t0 + f))
                .reshape(1, f, 1, w);
        return tokens.add(time).reshape(b, f * config.frameTokens(), w);
    }

    private NDArray block(NDArray x, Layer p, KvCache cache, NDArray mask) {
        return block(x, p, cache, mask, false, true);
    }

    /**
     * One pre-LN transformer block over x [B, L, W]. With a cache the new keys/values are appended to it and the
     * queries attend to everything cached (the cache keeps the new keys/values only with {@code append}). With
     * {@code scoped}, intermediates are freed before returning.
     */
    private NDArray block(NDArray x, Layer p, KvCache cache, NDArray mask, boolean scoped, boolean append) {
        try (NDScope scope = scoped ? new NDScope() : null) {
            Shape xs = x.getShape();
            long b = xs.get(0), l = xs.get(1);
            int w = config.width(), heads = config.heads(), hd = config.headDim();
            NDArray hN = layerNorm(x, p.norm1Gamma, p.norm1Beta);
            NDArray qkv = linear(hN, p.qkvWeight, p.qkvBias).reshape(b, l, 3, heads, hd).transpose(2, 0, 3, 1, 4);
            NDArray q = qkv.get(0).mul(queryScale);
            NDArray k = qkv.get(1);
            NDArray v = qkv.get(2);
            if (cache != null) {
                if (cache.keys != null) {
                    NDArray oldK = cache.keys, oldV = cache.values;
                    k = NDArrays.concat(new NDList(oldK, k), 2);
                    v = NDArrays.concat(new NDList(oldV, v), 2);
                    if (scoped && append) {
                        oldK.close();
                        oldV.close();
                    }
                }
                if (append) {
                    cache.keys = k;
                    cache.values = v;
                    if (scoped) NDScope.unregister(k, v);
                }
            }
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // [B, heads, l, lk]
            if (mask != null) scores = scores.add(mask);
            NDArray att = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, l, w);
            NDArray out = x.add(linear(att, p.projWeight, p.projBias));
            NDArray mlp = linear(Activation.gelu(linear(layerNorm(out, p.norm2Gamma, p.norm2Beta), p.fc1Weight,
                    p.fc1Bias)), p.fc2Weight, p.fc2Bias);
            NDArray y = out.add(mlp);
            if (scoped) NDScope.unregister(y);
            return y;
        }
    }

    /**
     * One block of a cached rollout step over the new frame's tokens x [S, F, W] (F = frameTokens): its keys/values go into
     * the layer's buffer (kept for later steps with {@code append}) and its queries attend to everything cached. The
     * same arithmetic as {@link #block}, with fewer copies; {@code qkv}, when given, is this block's
     * {@code linear(layerNorm(x))} computed by the caller. With {@code patchesOnly} (the last layer, whose action and
     * state outputs nothing reads) only the N patch tokens go past the attention: returns [S, N, W], else [S, F, W].
     */
    private NDArray stepBlock(NDArray x, NDArray qkv, Layer p, KvCache cache, boolean append, boolean patchesOnly) {
        try (NDScope ignored = new NDScope()) {
            Shape xs = x.getShape();
            long b = xs.get(0), l = xs.get(1);
            int w = config.width(), heads = config.heads(), hd = config.headDim();
            if (qkv == null) qkv = dense(layerNorm(x, p.norm1Gamma, p.norm1Beta), p.qkvWeight, p.qkvBias);
            NDArray parts = qkv.reshape(b, l, 3, heads, hd).transpose(2, 0, 3, 1, 4); // [3, B, heads, l, hd] (a view)
            int lk = cache.length + (int) l;
            cache.kv.set(new NDIndex().addAllDim(3).addSliceDim(cache.length, lk), parts.get(new NDIndex().addSliceDim(1, 3)));
            NDArray k = cache.kv.get(new NDIndex().addIndices(0).addAllDim(2).addSliceDim(0, lk)); // [B, heads, lk, hd]
            NDArray v = cache.kv.get(new NDIndex().addIndices(1).addAllDim(2).addSliceDim(0, lk));
            if (append) cache.length = lk;
            NDArray q = parts.get(0);
            NDArray residual = x;
            long lq = l;
            int lead = config.leadTokens();
            if (patchesOnly && lead > 0) {
                q = q.get(new NDIndex().addAllDim(2).addSliceDim(lead, l));
                residual = x.get(new NDIndex().addAllDim().addSliceDim(lead, l));
                lq = l - lead;
            }
            q = q.mul(queryScale);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // [B, heads, lq, lk]
            NDArray att = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, lq, w);
            NDArray out = dense(att, p.projWeight, p.projBias).addi(residual); // = residual + proj, as in block
            NDArray y = dense(Activation.gelu(dense(layerNorm(out, p.norm2Gamma, p.norm2Beta), p.fc1Weight, p.fc1Bias)),
                    p.fc2Weight, p.fc2Bias).addi(out);
            NDScope.unregister(y);
            return y;
        }
    }

    /** The action token of one frame at time t: [S, A] → [S, 1, W]. */
    private NDArray embedAction(NDArray actions, int t) {
        NDArray time = arrays.get("pos_time.weight").get(actions.getManager(), new NDIndex().addIndices(t));
        return embedActionAt(actions).add(time);
    }

    /** A frame's action embedding without its time: [S, A] → [S, 1, W]. */
    private NDArray embedActionAt(NDArray actions) {
        return linear(actions.sub(actionMean).div(actionStd), arrays.get("action_embed.weight"),
                arrays.get("action_embed.bias")).expandDims(1);
    }

    /**
     * The state and patch tokens of one frame at time t, as {@link #embed} makes them: [B, N, D], [B, s] → [B, N + 1, W];
     * with summed inputs the state is added to each patch token instead: [B, N, W] (the action is the caller's).
     */
    private NDArray embedShared(NDArray latents, NDArray states, int t) {
        NDArray st = linear(states.sub(stateMean).div(stateStd), arrays.get("state_embed.weight"),
                arrays.get("state_embed.bias")).expandDims(1);
        NDArray p = dense(latents, arrays.get("patch_embed.weight"), arrays.get("patch_embed.bias"))
                .add(arrays.get("pos_space.weight"));
        NDArray time = arrays.get("pos_time.weight").get(latents.getManager(), new NDIndex().addIndices(t));
        return (config.summedInputs() ? p.add(st) : NDArrays.concat(new NDList(st, p), 1)).add(time);
    }

    /**
     * Patch outputs x [B, N, W] of one frame → next-frame latents [B, N, D] (normalised), as {@link #head};
     * {@code frame} [B or 1, N, D] is the frame they read (added back with the residual head).
     */
    private NDArray headPatches(NDArray x, NDArray frame) {
        NDArray y = dense(layerNorm(x, arrays.get("norm.gamma"), arrays.get("norm.beta")),
                arrays.get("head.weight"), arrays.get("head.bias"));
        return normalize(config.residualHead() ? y.add(frame) : y);
    }

    /**
     * Patch outputs of F frames → next-frame latents [B, F, N, D] (normalised); {@code latents} [B, F, N, D] are the
     * frames read (added back with the residual head: the head predicts the change).
     */
    private NDArray head(NDArray x, int frames, NDArray latents) {
        long b = x.getShape().get(0);
        NDArray patches = x.reshape(b, frames, config.frameTokens(), config.width()).get(":, :, " + config.leadTokens() + ":");
        NDArray y = linear(layerNorm(patches, arrays.get("norm.gamma"), arrays.get("norm.beta")),
                arrays.get("head.weight"), arrays.get("head.bias"));
        return normalize(config.residualHead() ? y.add(latents) : y);
    }

    /** Additive mask [q, k] over frames: query frame i (the last qFrames of kFrames) sees key frames <= i. */
    private NDArray frameCausalMask(NDManager m, int qFrames, int kFrames) {
        int ft = config.frameTokens();
        int lq = qFrames * ft, lk = kFrames * ft, offset = kFrames - qFrames;
        float[] mask = new float[lq * lk];
        for (int i = 0; i < lq; i++) {
            int qf = i / ft + offset;
            for (int j = 0; j < lk; j++) mask[i * lk + j] = j / ft <= qf ? 0f : MASKED;
        }
        return m.create(mask, new Shape(lq, lk));
    }

    /**
     * {@link #linear} for the rollout's step blocks, as a 1x1 convolution over the rows of a contiguous x [..., K] when
     * {@link #CONV_LINEAR} is on and x is large enough: the engine runs such convolutions with its convolution library,
     * whose kernels use the CPU's widest vectors where its sgemm does not (AVX-512 vs AVX2 here), about 1.5-2x faster
     * at these shapes. The same sums in another order (float rounding apart). Call inside an {@link NDScope}: the
     * weight's reshaped view is freed with it.
     */
    private NDArray dense(NDArray x, NDArray weight, NDArray bias) {
        Shape xs = x.getShape();
        int rank = xs.dimension();
        long k = xs.get(rank - 1), rows = xs.size() / k, n = weight.getShape().get(0);
        // The engine takes its convolution library for a dilated 1x1 kernel on one image with more than 20480 inputs
        // (smaller ones run slowly elsewhere); dilation changes nothing for a 1x1 kernel.
        if (!CONV_LINEAR || rows * k <= 20480 || !Device.Type.CPU.equals(x.getDevice().getDeviceType())) return linear(x, weight, bias);
        NDArray in = x.reshape(1, rows, 1, k).transpose(0, 3, 1, 2); // [1, K, rows, 1], channels-last: no copy
        NDArray y = x.getNDArrayInternal().convolution(in, weight.reshape(n, k, 1, 1), bias, CONV_ONE, CONV_ZERO, CONV_DILATION, 1)
                .singletonOrThrow(); // [1, N, rows, 1], channels-last
        long[] out = xs.getShape();
        out[rank - 1] = n;
        return y.transpose(0, 2, 3, 1).reshape(new Shape(out));
    }

    private NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(config.width()), gamma, beta, LN_EPS).singletonOrThrow();
    }

    // ------------------------------------------------------------------------------------------------ files

    /**
     * Saves the model folder ({@value #CONFIG_FILE} + {@value #PARAMETERS_FILE}) atomically: written beside the
     * target, then renamed over it.
     */
    public void save(Path dir) {
        try {
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp-");
            config.write(tmp.resolve(CONFIG_FILE));
            try (OutputStream os = Files.newOutputStream(tmp.resolve(PARAMETERS_FILE))) {
                NDList list = new NDList();
                for (Parameter p : parameters) list.add(p.getArray());
                list.encode(os, NDList.Encoding.NPZ);
            }
            Durable.replaceDirectory(tmp, dir);
        } catch (IOException e) {
            throw new WmpcException("cannot save predictor to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads a model folder written by {@link #save}, checking every parameter's name and shape. */
    public static AcPredictor load(Path dir, Device device) {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path paramsFile = dir.resolve(PARAMETERS_FILE);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(paramsFile))
            throw new WmpcException("'" + dir + "' is not a predictor model folder: expected " + CONFIG_FILE + " and "
                    + PARAMETERS_FILE + " (train one with 'wmpc train predictor')");
        PredictorConfig config = PredictorConfig.read(configFile);
        NDManager manager = NDManager.newBaseManager(device);
        try (InputStream in = Files.newInputStream(paramsFile)) {
            NDList list = NDList.decode(manager, in);
            Map<String, NDArray> values = new LinkedHashMap<>();
            for (NDArray a : list) values.put(a.getName(), a);
            for (var e : parameterShapes(config).entrySet()) {
                NDArray a = values.remove(e.getKey());
                if (a == null)
                    throw new WmpcException("predictor " + dir + ": parameter '" + e.getKey() + "' " + e.getValue()
                            + " is missing from " + PARAMETERS_FILE + " (file and config.json do not match)");
                if (!a.getShape().equals(e.getValue()))
                    throw new WmpcException("predictor " + dir + ": parameter '" + e.getKey() + "' has shape "
                            + a.getShape() + " in " + PARAMETERS_FILE + " but config.json implies " + e.getValue());
                if (a.getDataType() != DataType.FLOAT32)
                    throw new WmpcException("predictor " + dir + ": parameter '" + e.getKey() + "' is "
                            + a.getDataType() + ", expected float32");
                values.put(e.getKey(), a);
            }
            Map<String, Shape> expected = parameterShapes(config);
            for (String name : values.keySet())
                if (!expected.containsKey(name))
                    throw new WmpcException("predictor " + dir + ": unexpected parameter '" + name + "' in "
                            + PARAMETERS_FILE + " (file and config.json do not match)");
            return new AcPredictor(config, manager, values);
        } catch (IOException | RuntimeException e) {
            manager.close();
            if (e instanceof WmpcException w) throw w;
            throw new WmpcException("cannot load predictor parameters from " + paramsFile + ": " + e.getMessage(), e);
        }
    }

    @Override public void close() {
        manager.close();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void requireShape(String what, Shape actual, int rank, long... dims) {
        boolean ok = actual.dimension() == rank && dims.length == rank;
        for (int i = 0; ok && i < rank; i++) ok = dims[i] < 0 || actual.get(i) == dims[i];
        if (!ok) throw shapeError(what, actual, describe(dims));
    }

    private static String describe(long[] dims) {
        String[] names = new String[dims.length];
        for (int i = 0; i < dims.length; i++) names[i] = dims[i] < 0 ? "*" : Long.toString(dims[i]);
        return "[" + String.join(", ", names) + "]";
    }

    private static IllegalArgumentException shapeError(String what, Shape actual, String expected) {
        return new IllegalArgumentException(what + " must have shape " + expected + ", got "
                + Arrays.toString(actual.getShape()));
    }

    private static int layerOf(String name) {
        if (!name.startsWith("blocks.")) return -1;
        return Integer.parseInt(name.substring(7, name.indexOf('.', 7)));
    }

    private static float truncatedNormal(Random rng) {
        double v;
        do v = rng.nextGaussian(); while (Math.abs(v) > 2);
        return (float) v;
    }
}
