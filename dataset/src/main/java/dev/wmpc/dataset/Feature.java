package dev.wmpc.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One column of a LeRobot v3 dataset, as {@code meta/info.json} describes it: dtype ("float32", "int64", "bool",
 * "video", ...), shape, optional names per entry and, for videos, an {@code info} map (codec, pixel format, ...).
 */
public record Feature(String dtype, List<Integer> shape, List<String> names, Map<String, Object> info) {
    public Feature {
        shape = List.copyOf(shape);
        names = names == null ? null : List.copyOf(names);
        info = info == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
    }

    public static Feature scalar(String dtype) { return new Feature(dtype, List.of(1), null, null); }

    public static Feature vector(String dtype, List<String> names) {
        return new Feature(dtype, List.of(names.size()), names, null);
    }

    public boolean isVisual() { return dtype.equals("video") || dtype.equals("image"); }

    /** Number of values per frame (product of the shape). */
    public int size() {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }
}
