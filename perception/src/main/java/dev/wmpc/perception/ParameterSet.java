package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.WmpcException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Named weight tensors of a network, in declaration order, owned by one {@link NDManager}. Saved with DJL's
 * {@link NDList} encoding (each array keeps its name); loading checks names and shapes against the declaration
 * and names the first mismatch.
 */
public final class ParameterSet {
    /** How a parameter starts: truncated normal (std 0.02), zeros, ones, or He normal (std sqrt(2 / fan-in), convolutions). */
    public enum Init { NORMAL, ZEROS, ONES, HE }

    /** One declared parameter. */
    public record Spec(String name, Shape shape, Init init) {}

    /** The declaration of a network's parameters. */
    public static final class Layout {
        private final List<Spec> specs = new ArrayList<>();

        public Layout add(String name, Init init, long... shape) {
            specs.add(new Spec(name, new Shape(shape), init));
            return this;
        }

        /** weight [out, in] (normal) + bias [out] (zeros), as {@code ai.djl.nn.core.Linear.linear} takes them. */
        public Layout linear(String name, int in, int out) {
            return add(name + ".weight", Init.NORMAL, out, in).add(name + ".bias", Init.ZEROS, out);
        }

        public Layout layerNorm(String name, int dim) {
            return add(name + ".weight", Init.ONES, dim).add(name + ".bias", Init.ZEROS, dim);
        }

        /** Appends every parameter of another layout. */
        public Layout addAll(Layout other) {
            specs.addAll(other.specs);
            return this;
        }

        public List<Spec> specs() { return Collections.unmodifiableList(specs); }
    }

    private final NDManager manager;
    private final Map<String, NDArray> arrays;

    private ParameterSet(NDManager manager, Map<String, NDArray> arrays) {
        this.manager = manager;
        this.arrays = arrays;
    }

    /** Fresh parameters for the layout, drawn from the seed. */
    public static ParameterSet create(NDManager manager, Layout layout, long seed) {
        Random rng = new Random(seed);
        Map<String, NDArray> map = new LinkedHashMap<>();
        for (Spec s : layout.specs()) {
            int n = Math.toIntExact(s.shape().size());
            float[] v = new float[n];
            switch (s.init()) {
                case ONES -> java.util.Arrays.fill(v, 1f);
                case ZEROS -> { }
                case HE -> {
                    long fanIn = s.shape().size() / s.shape().get(0);
                    double std = Math.sqrt(2.0 / fanIn);
                    for (int i = 0; i < n; i++) v[i] = (float) (std * rng.nextGaussian());
                }
                case NORMAL -> {
                    for (int i = 0; i < n; i++) {
                        double g;
                        do { g = rng.nextGaussian(); } while (Math.abs(g) > 2.0);
                        v[i] = (float) (0.02 * g);
                    }
                }
            }
            NDArray a = manager.create(v, s.shape());
            a.setName(s.name());
            map.put(s.name(), a);
        }
        return new ParameterSet(manager, map);
    }

    /** Reads a parameter file written by {@link #save(Path)} and checks it against the layout. */
    public static ParameterSet load(NDManager manager, Layout layout, Path file) {
        if (!Files.isRegularFile(file)) throw new WmpcException("parameter file " + file + " does not exist");
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            list = NDList.decode(manager, in);
        } catch (IOException | RuntimeException e) {
            throw new WmpcException("cannot read parameter file " + file + " (" + e.getMessage() + "): it is not a DJL NDList file", e);
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (NDArray a : list) byName.put(a.getName(), a);
        Map<String, NDArray> map = new LinkedHashMap<>();
        for (Spec s : layout.specs()) {
            NDArray a = byName.remove(s.name());
            if (a == null) {
                list.close();
                throw new WmpcException(file + ": layer '" + s.name() + "' is missing (expected shape " + s.shape()
                        + "): the file was written for a different encoder config");
            }
            if (!a.getShape().equals(s.shape())) {
                Shape got = a.getShape();
                list.close();
                throw new WmpcException(file + ": layer '" + s.name() + "' has shape " + got + " but config.json expects "
                        + s.shape() + ": the parameters do not match the config");
            }
            if (a.getDataType() != DataType.FLOAT32) {
                DataType got = a.getDataType();
                list.close();
                throw new WmpcException(file + ": layer '" + s.name() + "' is " + got + ", expected float32");
            }
            map.put(s.name(), a);
        }
        if (!byName.isEmpty()) {
            String extra = byName.keySet().iterator().next();
            list.close();
            throw new WmpcException(file + ": unexpected layer '" + extra + "' not in the config's layout");
        }
        return new ParameterSet(manager, map);
    }

    /** Writes all parameters (names kept) to the file. */
    public void save(Path file) throws IOException {
        NDList list = new NDList();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            e.getValue().setName(e.getKey());
            list.add(e.getValue());
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            list.encode(out);
        }
    }

    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) throw new IllegalArgumentException("no parameter '" + name + "'");
        return a;
    }

    public Map<String, NDArray> arrays() { return Collections.unmodifiableMap(arrays); }

    public NDManager manager() { return manager; }

    /** A deep copy into another manager (same names). */
    public ParameterSet copy(NDManager target) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NDArray owned = target.create(e.getValue().toFloatArray(), e.getValue().getShape());
            owned.setName(e.getKey());
            map.put(e.getKey(), owned);
        }
        return new ParameterSet(target, map);
    }

    /** Copies values of the other set (same layout) into this one, in place. */
    public void copyFrom(ParameterSet other) {
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) e.getValue().set(other.get(e.getKey()).toByteBuffer());
    }

    /** Marks every array as trainable. */
    public void requireGradients() {
        for (NDArray a : arrays.values()) a.setRequiresGradient(true);
    }

    /** Total scalar count. */
    public long size() {
        long n = 0;
        for (NDArray a : arrays.values()) n += a.getShape().size();
        return n;
    }

    /** Temporarily attaches every array to the manager (so arithmetic on them lands there); they return when it closes. */
    public void tempAttach(NDManager scope) {
        for (NDArray a : arrays.values()) a.tempAttach(scope);
    }
}
