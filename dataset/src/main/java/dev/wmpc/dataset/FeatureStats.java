package dev.wmpc.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Normalisation statistics of one feature, as LeRobot's {@code meta/stats.json} keeps them: per entry min, max,
 * mean, std, quantiles q01..q99, and the sample count. Images have shape [3,1,1] (per channel, values in [0,1]).
 */
public record FeatureStats(List<Integer> shape, double[] min, double[] max, double[] mean, double[] std, long count, double[][] quantiles) {
    public static final double[] QUANTILES = {0.01, 0.10, 0.50, 0.90, 0.99};
    public static final List<String> QUANTILE_KEYS = List.of("q01", "q10", "q50", "q90", "q99");
    public static final List<String> KEYS = List.of("min", "max", "mean", "std", "count", "q01", "q10", "q50", "q90", "q99");

    /** Exact statistics of rows (one row per frame). */
    public static FeatureStats ofRows(float[][] rows) {
        int n = rows.length, d = rows.length == 0 ? 0 : rows[0].length;
        double[] min = new double[d], max = new double[d], mean = new double[d], std = new double[d];
        double[][] q = new double[QUANTILES.length][d];
        double[] col = new double[n];
        for (int j = 0; j < d; j++) {
            double s = 0, ss = 0;
            for (int i = 0; i < n; i++) { col[i] = rows[i][j]; s += col[i]; ss += col[i] * col[i]; }
            Arrays.sort(col);
            min[j] = col[0]; max[j] = col[n - 1];
            mean[j] = s / n;
            std[j] = Math.sqrt(Math.max(0, ss / n - mean[j] * mean[j]));
            for (int k = 0; k < QUANTILES.length; k++) q[k][j] = quantileSorted(col, QUANTILES[k]);
        }
        return new FeatureStats(List.of(d), min, max, mean, std, n, q);
    }

    static double quantileSorted(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Pools statistics of disjoint samples: weighted means, pooled variance, extreme min/max, count-weighted quantiles. */
    public static FeatureStats aggregate(List<FeatureStats> parts) {
        FeatureStats first = parts.get(0);
        int d = first.mean.length;
        double[] min = first.min.clone(), max = first.max.clone(), mean = new double[d], std = new double[d];
        double[][] q = new double[QUANTILES.length][d];
        long total = 0;
        for (FeatureStats p : parts) total += p.count;
        for (FeatureStats p : parts) {
            double w = (double) p.count / total;
            for (int j = 0; j < d; j++) {
                min[j] = Math.min(min[j], p.min[j]);
                max[j] = Math.max(max[j], p.max[j]);
                mean[j] += w * p.mean[j];
                for (int k = 0; k < QUANTILES.length; k++) q[k][j] += w * p.quantiles[k][j];
            }
        }
        for (FeatureStats p : parts) {
            double w = (double) p.count / total;
            for (int j = 0; j < d; j++) {
                double dm = p.mean[j] - mean[j];
                std[j] += w * (p.std[j] * p.std[j] + dm * dm);
            }
        }
        for (int j = 0; j < d; j++) std[j] = Math.sqrt(std[j]);
        return new FeatureStats(first.shape, min, max, mean, std, total, q);
    }

    /** This feature's statistics as the JSON object LeRobot writes (arrays nested to the feature's shape). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("min", nest(min));
        o.set("max", nest(max));
        o.set("mean", nest(mean));
        o.set("std", nest(std));
        o.putArray("count").add(count);
        for (int k = 0; k < QUANTILES.length; k++) o.set(QUANTILE_KEYS.get(k), nest(quantiles[k]));
        return o;
    }

    /** The values of one statistic, nested to the shape (e.g. [[[r]],[[g]],[[b]]] for images). */
    public Object nested(String key) {
        return switch (key) {
            case "count" -> List.of(count);
            case "min" -> nestList(min);
            case "max" -> nestList(max);
            case "mean" -> nestList(mean);
            case "std" -> nestList(std);
            default -> nestList(quantiles[QUANTILE_KEYS.indexOf(key)]);
        };
    }

    private Object nestList(double[] v) {
        if (shape.size() == 3) {
            List<Object> outer = new ArrayList<>();
            for (double x : v) outer.add(List.of(List.of(x)));
            return outer;
        }
        List<Double> l = new ArrayList<>();
        for (double x : v) l.add(x);
        return l;
    }

    private ArrayNode nest(double[] v) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (double x : v) {
            if (shape.size() == 3) a.addArray().addArray().add(x);
            else a.add(x);
        }
        return a;
    }

    /** Parses one feature's entry of stats.json (any nesting is flattened). */
    public static FeatureStats fromJson(JsonNode o, List<Integer> shape) {
        double[][] q = new double[QUANTILES.length][];
        double[] mean = flat(o.required("mean"));
        for (int k = 0; k < QUANTILES.length; k++)
            q[k] = o.has(QUANTILE_KEYS.get(k)) ? flat(o.get(QUANTILE_KEYS.get(k))) : mean.clone();
        JsonNode c = o.path("count");
        long count = c.isArray() && c.size() > 0 ? c.get(0).asLong() : c.asLong(1);
        return new FeatureStats(shape, flat(o.required("min")), flat(o.required("max")), mean, flat(o.required("std")), count, q);
    }

    private static double[] flat(JsonNode n) {
        List<Double> out = new ArrayList<>();
        collect(n, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode n, List<Double> out) {
        if (n.isArray()) for (JsonNode x : n) collect(x, out);
        else out.add(n.asDouble());
    }
}
