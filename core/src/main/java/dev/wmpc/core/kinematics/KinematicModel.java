package dev.wmpc.core.kinematics;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward kinematics of a whole URDF tree. The joint vector holds the movable joints in the URDF's order
 * ({@link #jointNames()}); {@link #linkPoses(double[])} gives every link's pose in the root link's frame.
 */
public final class KinematicModel {
    private final Urdf urdf;
    private final List<Urdf.Joint> movable;
    private final Map<String, Integer> jointIndex = new HashMap<>();
    /** Links in parent-before-child order, each with the joint that leads to it (null for the root). */
    private final List<String> linkOrder = new ArrayList<>();
    private final Map<String, Urdf.Joint> parentJoint = new HashMap<>();

    public KinematicModel(Urdf urdf) {
        this.urdf = urdf;
        this.movable = urdf.joints().stream().filter(j -> j.type().movable()).toList();
        for (int i = 0; i < movable.size(); i++) jointIndex.put(movable.get(i).name(), i);
        Map<String, List<Urdf.Joint>> childrenOf = new HashMap<>();
        for (Urdf.Joint j : urdf.joints()) {
            if (parentJoint.put(j.child(), j) != null)
                throw new IllegalArgumentException("URDF '" + urdf.name() + "': link '" + j.child() + "' has two parent joints");
            childrenOf.computeIfAbsent(j.parent(), k -> new ArrayList<>()).add(j);
        }
        Deque<String> queue = new ArrayDeque<>(List.of(urdf.rootLink()));
        while (!queue.isEmpty()) {
            String l = queue.removeFirst();
            linkOrder.add(l);
            for (Urdf.Joint j : childrenOf.getOrDefault(l, List.of())) queue.addLast(j.child());
        }
        if (linkOrder.size() != urdf.links().size())
            throw new IllegalArgumentException("URDF '" + urdf.name() + "': " + (urdf.links().size() - linkOrder.size())
                    + " link(s) are not connected to the root link '" + urdf.rootLink() + "'");
    }

    public Urdf urdf() { return urdf; }

    public List<String> jointNames() { return movable.stream().map(Urdf.Joint::name).toList(); }

    public int dof() { return movable.size(); }

    public Urdf.Joint joint(int index) { return movable.get(index); }

    public int jointIndex(String name) {
        Integer i = jointIndex.get(name);
        if (i == null) throw new IllegalArgumentException("unknown movable joint '" + name + "': known are " + jointNames());
        return i;
    }

    /** Links, parents before children. */
    public List<String> linkOrder() { return List.copyOf(linkOrder); }

    /** The transform a joint contributes at position {@code value}: origin, then the motion about/along its axis. */
    public static Pose jointTransform(Urdf.Joint j, double value) {
        return switch (j.type()) {
            case FIXED -> j.origin();
            case REVOLUTE, CONTINUOUS -> j.origin().compose(new Pose(Vec3.ZERO, Quat.fromAxisAngle(j.axis(), value)));
            case PRISMATIC -> j.origin().compose(Pose.of(j.axis().times(value)));
        };
    }

    /** Every link's pose in the root frame, in {@link #linkOrder()}. */
    public Map<String, Pose> linkPoses(double[] q) {
        checkLength(q);
        Map<String, Pose> poses = new LinkedHashMap<>();
        for (String link : linkOrder) {
            Urdf.Joint j = parentJoint.get(link);
            if (j == null) {
                poses.put(link, Pose.IDENTITY);
            } else {
                double v = j.type().movable() ? q[jointIndex.get(j.name())] : 0;
                poses.put(link, poses.get(j.parent()).compose(jointTransform(j, v)));
            }
        }
        return poses;
    }

    public Pose linkPose(String link, double[] q) {
        checkLength(q);
        Pose p = Pose.IDENTITY;
        String l = link;
        Urdf.Joint j;
        List<Urdf.Joint> path = new ArrayList<>();
        while ((j = parentJoint.get(l)) != null) {
            path.add(j);
            l = j.parent();
        }
        if (!urdf.link(link).isPresent()) throw new IllegalArgumentException("unknown link '" + link + "'");
        for (int i = path.size() - 1; i >= 0; i--) {
            Urdf.Joint pj = path.get(i);
            p = p.compose(jointTransform(pj, pj.type().movable() ? q[jointIndex.get(pj.name())] : 0));
        }
        return p;
    }

    /** The chain from the root link to {@code tipLink}, with a tool frame fixed to the tip. */
    public KinematicChain chain(String tipLink, Pose tool) {
        if (urdf.link(tipLink).isEmpty()) throw new IllegalArgumentException("unknown link '" + tipLink + "'");
        List<Urdf.Joint> path = new ArrayList<>();
        String l = tipLink;
        Urdf.Joint j;
        while ((j = parentJoint.get(l)) != null) {
            path.add(0, j);
            l = j.parent();
        }
        int[] modelIndex = path.stream().filter(pj -> pj.type().movable()).mapToInt(pj -> jointIndex.get(pj.name())).toArray();
        return new KinematicChain(path, tool, modelIndex);
    }

    public double[] lowerLimits() { return movable.stream().mapToDouble(Urdf.Joint::lower).toArray(); }

    public double[] upperLimits() { return movable.stream().mapToDouble(Urdf.Joint::upper).toArray(); }

    private void checkLength(double[] q) {
        if (q.length != movable.size())
            throw new IllegalArgumentException("joint vector has " + q.length + " entries but '" + urdf.name() + "' has "
                    + movable.size() + " movable joints " + Arrays.toString(jointNames().toArray()));
    }
}
