package dev.wmpc.bridge.ros;

import dev.wmpc.core.WmpcException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A node's parameters (files in order, then -p overrides), with typed access and one clear error per bad value. */
public final class NodeParams {
    private final Map<String, String> values;

    public NodeParams(Map<String, String> values) { this.values = new LinkedHashMap<>(values); }

    /** Loads every --params-file for this node, then applies -p overrides. */
    public static NodeParams of(RosArgs args, RosArgs.Names names) {
        Map<String, String> v = new LinkedHashMap<>();
        for (Path f : args.paramsFiles()) v.putAll(ParamsFile.read(f, names.namespace(), names.node()));
        v.putAll(args.params());
        return new NodeParams(v);
    }

    public Map<String, String> asMap() { return Map.copyOf(values); }

    public Optional<String> string(String name) { return Optional.ofNullable(values.get(name)); }

    public String string(String name, String fallback) { return values.getOrDefault(name, fallback); }

    public double number(String name, double fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw WmpcException.usage("parameter " + name + "='" + v + "' is not a number");
        }
    }

    public boolean flag(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        return switch (v.strip().toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw WmpcException.usage("parameter " + name + "='" + v + "' is not true or false");
        };
    }

    public Optional<List<String>> strings(String name) {
        String v = values.get(name);
        if (v == null) return Optional.empty();
        String s = v.strip();
        if (!s.startsWith("[") || !s.endsWith("]")) throw WmpcException.usage("parameter " + name + "='" + v + "' is not a list like [a, b]");
        List<String> out = new ArrayList<>();
        for (String part : s.substring(1, s.length() - 1).split(",")) {
            String p = part.strip();
            if (p.length() >= 2 && (p.startsWith("\"") && p.endsWith("\"") || p.startsWith("'") && p.endsWith("'"))) p = p.substring(1, p.length() - 1);
            if (!p.isEmpty()) out.add(p);
        }
        return Optional.of(out);
    }

    public Optional<double[]> numbers(String name, int expectedLength) {
        Optional<List<String>> l = strings(name);
        if (l.isEmpty()) return Optional.empty();
        List<String> s = l.get();
        if (expectedLength >= 0 && s.size() != expectedLength)
            throw WmpcException.usage("parameter " + name + " has " + s.size() + " numbers, expected " + expectedLength);
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Double.parseDouble(s.get(i));
            } catch (NumberFormatException e) {
                throw WmpcException.usage("parameter " + name + " entry '" + s.get(i) + "' is not a number");
            }
        }
        return Optional.of(out);
    }
}
