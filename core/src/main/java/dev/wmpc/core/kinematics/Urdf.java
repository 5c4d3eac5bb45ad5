package dev.wmpc.core.kinematics;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A robot description parsed from URDF: links with box / cylinder / sphere visuals and collisions, and revolute,
 * continuous, prismatic or fixed joints with origin, axis and limits. Meshes are not supported (the parser names
 * the link that uses one). Links appear in the file's order; {@link #rootLink()} is the one no joint points to.
 */
public record Urdf(String name, List<Link> links, List<Joint> joints) {
    public Urdf {
        links = List.copyOf(links);
        joints = List.copyOf(joints);
    }

    public enum JointType { REVOLUTE, CONTINUOUS, PRISMATIC, FIXED;
        public boolean movable() { return this != FIXED; }
    }

    public enum GeometryKind { BOX, CYLINDER, SPHERE }

    /**
     * One visual or collision solid in its link's frame. {@code size}: a box's full extents; a cylinder's
     * (radius, radius, length); a sphere's (radius, radius, radius). {@code rgba} is null when no colour was given.
     */
    public record Geometry(GeometryKind kind, Vec3 size, Pose origin, String material, float[] rgba) {}

    public record Link(String name, List<Geometry> visuals, List<Geometry> collisions) {
        public Link {
            visuals = List.copyOf(visuals);
            collisions = List.copyOf(collisions);
        }
    }

    /** A joint: {@code lower/upper} in radians or metres (infinite for continuous joints). */
    public record Joint(String name, JointType type, String parent, String child, Pose origin, Vec3 axis,
                        double lower, double upper, double velocity, double effort) {}

    public Optional<Link> link(String linkName) { return links.stream().filter(l -> l.name().equals(linkName)).findFirst(); }

    public Optional<Joint> joint(String jointName) { return joints.stream().filter(j -> j.name().equals(jointName)).findFirst(); }

    /** The joint whose child is this link, if any. */
    public Optional<Joint> parentJoint(String linkName) {
        return joints.stream().filter(j -> j.child().equals(linkName)).findFirst();
    }

    public String rootLink() {
        Set<String> children = new HashSet<>();
        for (Joint j : joints) children.add(j.child());
        return links.stream().map(Link::name).filter(n -> !children.contains(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("URDF '" + name + "' has no root link (its joints form a cycle)"));
    }

    public static Urdf parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read URDF " + file + ": " + e.getMessage(), e);
        }
    }

    public static Urdf parse(String xml) {
        return parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "<string>");
    }

    /** Parses a URDF document; {@code source} names it in error messages. */
    public static Urdf parse(InputStream in, String source) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            doc = builder.parse(in);
        } catch (Exception e) {
            throw new IllegalArgumentException("URDF " + source + " is not well-formed XML: " + e.getMessage(), e);
        }
        Element robot = doc.getDocumentElement();
        if (!robot.getTagName().equals("robot"))
            throw new IllegalArgumentException("URDF " + source + ": root element is <" + robot.getTagName() + ">, expected <robot>");
        Map<String, float[]> materials = new HashMap<>();
        for (Element m : children(robot, "material")) {
            float[] c = color(m);
            if (c != null) materials.put(m.getAttribute("name"), c);
        }
        List<Link> links = new ArrayList<>();
        for (Element l : children(robot, "link")) {
            String ln = required(l, "name", source);
            links.add(new Link(ln, geometries(l, "visual", ln, materials, source), geometries(l, "collision", ln, materials, source)));
        }
        Set<String> linkNames = new HashSet<>();
        for (Link l : links) if (!linkNames.add(l.name())) throw new IllegalArgumentException("URDF " + source + ": link '" + l.name() + "' is defined twice");
        List<Joint> joints = new ArrayList<>();
        for (Element j : children(robot, "joint")) joints.add(joint(j, linkNames, source));
        Urdf urdf = new Urdf(robot.getAttribute("name"), links, joints);
        urdf.rootLink();
        return urdf;
    }

    private static Joint joint(Element j, Set<String> links, String source) {
        String name = required(j, "name", source);
        String typeName = required(j, "type", source);
        JointType type;
        try {
            type = JointType.valueOf(typeName.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("URDF " + source + ": joint '" + name + "' has unsupported type '" + typeName
                    + "': use revolute, continuous, prismatic or fixed");
        }
        String parent = required(child(j, "parent").orElseThrow(() -> missing(source, name, "<parent>")), "link", source);
        String child = required(child(j, "child").orElseThrow(() -> missing(source, name, "<child>")), "link", source);
        for (String l : List.of(parent, child))
            if (!links.contains(l)) throw new IllegalArgumentException("URDF " + source + ": joint '" + name + "' refers to unknown link '" + l + "'");
        Pose origin = child(j, "origin").map(Urdf::origin).orElse(Pose.IDENTITY);
        Vec3 axis = child(j, "axis").map(a -> vec(a.getAttribute("xyz"), new Vec3(1, 0, 0))).orElse(new Vec3(1, 0, 0));
        if (type.movable() && axis.norm() < 1e-9)
            throw new IllegalArgumentException("URDF " + source + ": joint '" + name + "' has a zero axis");
        axis = axis.normalized();
        double lower = Double.NEGATIVE_INFINITY, upper = Double.POSITIVE_INFINITY, velocity = Double.POSITIVE_INFINITY, effort = Double.POSITIVE_INFINITY;
        Optional<Element> limit = child(j, "limit");
        if (limit.isPresent()) {
            Element l = limit.get();
            if (type != JointType.CONTINUOUS) {
                lower = number(l, "lower", 0);
                upper = number(l, "upper", 0);
            }
            velocity = number(l, "velocity", Double.POSITIVE_INFINITY);
            effort = number(l, "effort", Double.POSITIVE_INFINITY);
        } else if (type == JointType.REVOLUTE || type == JointType.PRISMATIC) {
            throw new IllegalArgumentException("URDF " + source + ": " + typeName + " joint '" + name + "' needs a <limit lower= upper=>");
        }
        if (type == JointType.FIXED) { lower = 0; upper = 0; }
        if (lower > upper)
            throw new IllegalArgumentException("URDF " + source + ": joint '" + name + "' has lower limit " + lower + " above upper limit " + upper);
        return new Joint(name, type, parent, child, origin, axis, lower, upper, velocity, effort);
    }

    private static List<Geometry> geometries(Element link, String tag, String linkName, Map<String, float[]> materials, String source) {
        List<Geometry> out = new ArrayList<>();
        for (Element v : children(link, tag)) {
            Pose origin = child(v, "origin").map(Urdf::origin).orElse(Pose.IDENTITY);
            Element g = child(v, "geometry").orElseThrow(() -> new IllegalArgumentException(
                    "URDF " + source + ": a <" + tag + "> of link '" + linkName + "' has no <geometry>"));
            Geometry geom = null;
            String material = null;
            float[] rgba = null;
            Optional<Element> mat = child(v, "material");
            if (mat.isPresent()) {
                material = mat.get().getAttribute("name");
                rgba = color(mat.get());
                if (rgba == null) rgba = materials.get(material);
            }
            for (Element s : children(g, null)) {
                switch (s.getTagName()) {
                    case "box" -> geom = new Geometry(GeometryKind.BOX, vec(s.getAttribute("size"), null), origin, material, rgba);
                    case "cylinder" -> {
                        double r = number(s, "radius", Double.NaN), len = number(s, "length", Double.NaN);
                        geom = new Geometry(GeometryKind.CYLINDER, new Vec3(r, r, len), origin, material, rgba);
                    }
                    case "sphere" -> {
                        double r = number(s, "radius", Double.NaN);
                        geom = new Geometry(GeometryKind.SPHERE, new Vec3(r, r, r), origin, material, rgba);
                    }
                    default -> throw new IllegalArgumentException("URDF " + source + ": link '" + linkName + "' uses <" + s.getTagName()
                            + "> geometry: only box, cylinder and sphere are supported");
                }
            }
            if (geom == null || geom.size() == null || !geom.size().isFinite())
                throw new IllegalArgumentException("URDF " + source + ": a <" + tag + "> of link '" + linkName + "' has no valid box/cylinder/sphere size");
            out.add(geom);
        }
        return out;
    }

    private static float[] color(Element material) {
        return child(material, "color").map(c -> {
            String[] p = c.getAttribute("rgba").trim().split("\\s+");
            if (p.length != 4) return null;
            float[] rgba = new float[4];
            for (int i = 0; i < 4; i++) rgba[i] = Float.parseFloat(p[i]);
            return rgba;
        }).orElse(null);
    }

    private static Pose origin(Element e) {
        Vec3 xyz = vec(e.getAttribute("xyz"), Vec3.ZERO);
        Vec3 rpy = vec(e.getAttribute("rpy"), Vec3.ZERO);
        return new Pose(xyz, Quat.fromRpy(rpy.x(), rpy.y(), rpy.z()));
    }

    private static Vec3 vec(String text, Vec3 fallback) {
        if (text == null || text.isBlank()) {
            if (fallback == null) throw new IllegalArgumentException("URDF: missing vector attribute");
            return fallback;
        }
        String[] p = text.trim().split("\\s+");
        if (p.length != 3) throw new IllegalArgumentException("URDF: '" + text + "' is not a 3-vector");
        try {
            return new Vec3(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("URDF: '" + text + "' is not a 3-vector of numbers");
        }
    }

    private static double number(Element e, String attr, double fallback) {
        String s = e.getAttribute(attr);
        if (s.isBlank()) return fallback;
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("URDF: attribute " + attr + "='" + s + "' of <" + e.getTagName() + "> is not a number");
        }
    }

    private static String required(Element e, String attr, String source) {
        String s = e.getAttribute(attr);
        if (s.isBlank()) throw new IllegalArgumentException("URDF " + source + ": <" + e.getTagName() + "> is missing attribute '" + attr + "'");
        return s;
    }

    private static IllegalArgumentException missing(String source, String joint, String what) {
        return new IllegalArgumentException("URDF " + source + ": joint '" + joint + "' has no " + what);
    }

    private static Optional<Element> child(Element e, String tag) {
        List<Element> c = children(e, tag);
        return c.isEmpty() ? Optional.empty() : Optional.of(c.get(0));
    }

    private static List<Element> children(Element e, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element el && (tag == null || el.getTagName().equals(tag))) out.add(el);
        }
        return out;
    }
}
