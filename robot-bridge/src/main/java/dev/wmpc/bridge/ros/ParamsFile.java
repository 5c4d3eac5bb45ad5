package dev.wmpc.bridge.ros;

import dev.wmpc.core.WmpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a ROS 2 parameters YAML file (the subset ros2 param dump writes):
 * <pre>
 * /**:                 # or the node name, /ns/node_name, or a pattern with *
 *   ros__parameters:
 *     control_rate_hz: 10.0
 *     safety:
 *       max_step: 0.01  # becomes safety.max_step
 *     joint_names: [j1, j2]
 * </pre>
 * Values stay strings (lists as "[a, b]"); {@link NodeParams} converts them.
 */
public final class ParamsFile {
    private ParamsFile() {}

    /** The parameters of {@code node} (in namespace {@code ns}) from one file: wildcard sections first, then exact ones. */
    public static Map<String, String> read(Path file, String ns, String node) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new WmpcException("cannot read parameters file " + file + ": " + e.getMessage());
        }
        Map<String, Map<String, String>> sections = parse(file, lines);
        String fq = (ns.equals("/") ? "" : ns) + "/" + node;
        Map<String, String> out = new LinkedHashMap<>();
        for (boolean exactPass : new boolean[] {false, true})
            for (var e : sections.entrySet()) {
                String key = e.getKey();
                boolean wildcard = key.contains("*");
                boolean exact = key.equals(node) || key.equals(fq) || key.equals("/" + node);
                boolean matches = wildcard ? fq.matches(wildcardRegex(key.startsWith("/") ? key : "/" + key)) : exact;
                if (matches && wildcard != exactPass) out.putAll(e.getValue());
            }
        return out;
    }

    /** ROS node-name patterns: ** = any number of levels, * = within one level. */
    static String wildcardRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') { re.append(".*"); i++; }
            else if (c == '*') re.append("[^/]*");
            else re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return re.toString();
    }

    private static Map<String, Map<String, String>> parse(Path file, List<String> lines) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        List<Integer> indents = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        String pendingListKey = null;
        List<String> pendingList = null;
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = stripComment(raw);
            if (line.isBlank() || line.strip().equals("---")) continue;
            int indent = line.length() - line.stripLeading().length();
            String body = line.strip();
            if (body.startsWith("- ")) {
                if (pendingList == null) throw bad(file, n, "list item without a key");
                pendingList.add(unquote(body.substring(2).strip()));
                continue;
            }
            if (pendingList != null && !pendingList.isEmpty()) put(sections, file, n, keys, pendingListKey, "[" + String.join(", ", pendingList) + "]");
            pendingList = null;
            int colon = keyColon(body);
            if (colon < 0) throw bad(file, n, "expected 'key: value'");
            String key = unquote(body.substring(0, colon).strip());
            String value = body.substring(colon + 1).strip();
            while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) { indents.remove(indents.size() - 1); keys.remove(keys.size() - 1); }
            if (value.isEmpty()) {
                indents.add(indent);
                keys.add(key);
                pendingListKey = key;
                pendingList = new ArrayList<>();
                continue;
            }
            put(sections, file, n, keys, key, unquote(value));
        }
        if (pendingList != null && !pendingList.isEmpty()) put(sections, file, n, keys, pendingListKey, "[" + String.join(", ", pendingList) + "]");
        return sections;
    }

    private static void put(Map<String, Map<String, String>> sections, Path file, int line, List<String> path, String key, String value) {
        // path[0] = node section, path[1] = ros__parameters, then nested names
        List<String> p = new ArrayList<>(path);
        if (p.size() >= 1 && p.get(p.size() - 1).equals(key)) p.remove(p.size() - 1);
        if (p.size() < 2 || !p.get(1).equals("ros__parameters"))
            throw bad(file, line, "parameters must sit under '<node>: ros__parameters:'");
        String name = String.join(".", p.subList(2, p.size()));
        name = name.isEmpty() ? key : name + "." + key;
        sections.computeIfAbsent(p.get(0), k -> new LinkedHashMap<>()).put(name, value);
    }

    private static int keyColon(String body) {
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' || c == '\'') quoted = !quoted;
            if (c == ':' && !quoted && (i + 1 == body.length() || body.charAt(i + 1) == ' ')) return i;
        }
        return -1;
    }

    private static String stripComment(String s) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') quoted = !quoted;
            if (c == '#' && !quoted && (i == 0 || s.charAt(i - 1) == ' ')) return s.substring(0, i);
        }
        return s;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) return s.substring(1, s.length() - 1);
        return s;
    }

    private static WmpcException bad(Path file, int line, String what) {
        return WmpcException.usage("parameters file " + file + " line " + line + ": " + what);
    }
}
