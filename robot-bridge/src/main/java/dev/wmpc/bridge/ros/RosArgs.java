package dev.wmpc.bridge.ros;

import dev.wmpc.core.WmpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ROS 2 command-line arguments after {@code --ros-args} (up to an optional {@code --}): remaps
 * ({@code -r from:=to}, {@code -r node:from:=to}), node name ({@code -r __node:=name}), namespace
 * ({@code -r __ns:=/ns}), parameters ({@code -p name:=value}) and parameter files ({@code --params-file FILE}).
 * {@code --log-level} and {@code --enclave} are accepted and ignored.
 */
public record RosArgs(List<Remap> remaps, Optional<String> nodeName, Optional<String> namespace, List<Path> paramsFiles,
                      Map<String, String> params) {
    public record Remap(Optional<String> node, String from, String to) {}

    public RosArgs {
        remaps = List.copyOf(remaps);
        paramsFiles = List.copyOf(paramsFiles);
        params = Map.copyOf(params);
    }

    public static final RosArgs NONE = new RosArgs(List.of(), Optional.empty(), Optional.empty(), List.of(), Map.of());

    /** Splits a command line into the node's own arguments and the ROS arguments (there may be several --ros-args blocks). */
    public static Split split(List<String> argv) {
        List<String> own = new ArrayList<>(), ros = new ArrayList<>();
        boolean inRos = false;
        for (String a : argv) {
            if (a.equals("--ros-args")) { inRos = true; continue; }
            if (inRos && a.equals("--")) { inRos = false; continue; }
            (inRos ? ros : own).add(a);
        }
        return new Split(own, parse(ros));
    }

    public record Split(List<String> own, RosArgs ros) {}

    /** Parses the arguments of a --ros-args block. */
    public static RosArgs parse(List<String> args) {
        List<Remap> remaps = new ArrayList<>();
        String node = null, ns = null;
        List<Path> files = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-r", "--remap" -> {
                    String rule = value(args, ++i, a);
                    int eq = rule.indexOf(":=");
                    if (eq <= 0) throw WmpcException.usage("remap '" + rule + "' must look like from:=to (e.g. -r /camera/image_raw:=/cam0/image)");
                    String from = rule.substring(0, eq), to = rule.substring(eq + 2);
                    Optional<String> target = Optional.empty();
                    int colon = from.indexOf(':');
                    if (colon > 0) { target = Optional.of(from.substring(0, colon)); from = from.substring(colon + 1); }
                    if (to.isEmpty()) throw WmpcException.usage("remap '" + rule + "' has an empty target");
                    if (from.equals("__node") || from.equals("__name")) node = to;
                    else if (from.equals("__ns")) ns = to;
                    else remaps.add(new Remap(target, from, to));
                }
                case "-p", "--param" -> {
                    String p = value(args, ++i, a);
                    int eq = p.indexOf(":=");
                    if (eq <= 0) throw WmpcException.usage("parameter '" + p + "' must look like name:=value");
                    params.put(p.substring(0, eq), p.substring(eq + 2));
                }
                case "--params-file" -> {
                    Path f = Path.of(value(args, ++i, a));
                    if (!Files.isReadable(f)) throw WmpcException.usage("parameters file " + f + " does not exist or is not readable");
                    files.add(f);
                }
                case "--log-level", "-e", "--enclave" -> value(args, ++i, a);
                default -> throw WmpcException.usage("unknown ROS argument '" + a + "': supported are -r/--remap, -p/--param, --params-file, --log-level, --enclave");
            }
        }
        if (node != null && !node.matches("[A-Za-z_][A-Za-z0-9_]*"))
            throw WmpcException.usage("node name '" + node + "' is invalid: use letters, digits and underscores, not starting with a digit");
        if (ns != null && !ns.matches("/|(/[A-Za-z_][A-Za-z0-9_]*)+"))
            throw WmpcException.usage("namespace '" + ns + "' is invalid: it must be absolute, like /robot1");
        return new RosArgs(remaps, Optional.ofNullable(node), Optional.ofNullable(ns), files, params);
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size()) throw WmpcException.usage("ROS argument " + flag + " needs a value");
        return args.get(i);
    }

    /** The names of one node: its name, namespace and how it resolves topic names. */
    public Names names(String defaultNodeName) {
        return new Names(nodeName.orElse(defaultNodeName), namespace.orElse("/"), remaps);
    }

    /** Resolves topic names as rcl does: relative names go under the namespace, ~ under the node, then remaps apply. */
    public record Names(String node, String namespace, List<Remap> remaps) {
        public String resolve(String name) {
            String full = expand(name);
            for (Remap r : remaps) {
                if (r.node().isPresent() && !r.node().get().equals(node)) continue;
                if (expand(r.from()).equals(full)) return expand(r.to());
            }
            return full;
        }

        String expand(String name) {
            String ns = namespace.equals("/") ? "" : namespace;
            String out;
            if (name.startsWith("/")) out = name;
            else if (name.equals("~")) out = ns + "/" + node;
            else if (name.startsWith("~/")) out = ns + "/" + node + name.substring(1);
            else out = ns + "/" + name;
            if (!out.matches("(/[A-Za-z_][A-Za-z0-9_]*)+"))
                throw WmpcException.usage("topic name '" + name + "' is invalid: use letters, digits, underscores and slashes (like /camera/image_raw)");
            return out;
        }
    }
}
