package dev.wmpc.sim;

import com.jme3.bullet.CollisionConfiguration;
import com.jme3.bullet.PhysicsSpace;
import com.jme3.bullet.collision.PhysicsCollisionObject;
import com.jme3.bullet.collision.shapes.BoxCollisionShape;
import com.jme3.bullet.collision.shapes.CollisionShape;
import com.jme3.bullet.collision.shapes.CompoundCollisionShape;
import com.jme3.bullet.collision.shapes.CylinderCollisionShape;
import com.jme3.bullet.collision.shapes.SphereCollisionShape;
import com.jme3.bullet.objects.PhysicsRigidBody;
import com.jme3.math.Quaternion;
import com.jme3.math.Transform;
import com.jme3.math.Vector3f;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.kinematics.Pose;
import dev.wmpc.core.kinematics.Urdf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Bullet world: a static table (top at z = 0), the arm's links as kinematic bodies (their collision geometry from
 * the URDF; they push cubes but are not pushed back: the arm is position-controlled and stiff) and the cubes as
 * dynamic bodies with mass and friction. Fixed time step. {@link #reload()} empties contact caches and broadphase so
 * that runs from the same state replay exactly, without the cost of a new world.
 */
final class PhysicsWorld implements AutoCloseable {
    static final float CUBE_MASS = 0.1f, CUBE_FRICTION = 0.6f, TABLE_FRICTION = 0.5f, FINGER_FRICTION = 1.0f;
    static final Vec3 TABLE_SIZE = new Vec3(1.2, 1.2, 0.05), TABLE_CENTER = new Vec3(0.4, 0, -0.025);
    private static final float MARGIN = 0.001f;

    private final PhysicsSpace space;
    private final PhysicsRigidBody table;
    private final String[] linkNames;
    private final PhysicsRigidBody[] links;
    /** The pose each link body was last moved to: unchanged links are not sent to Bullet again. */
    private final Pose[] linkPoses;
    private final PhysicsRigidBody[] cubes;
    private final float dt;
    private final Vector3f tmpV = new Vector3f();
    private final Quaternion tmpQ = new Quaternion();

    PhysicsWorld(Urdf urdf, int cubeCount, double dt) {
        BulletNative.load();
        this.dt = (float) dt;
        // A small manifold pool: Bullet's default (4096 manifolds, megabytes) would make every world, and so every
        // reset and restore, slow and large. A handful of bodies never needs more than a few dozen.
        space = new PhysicsSpace(new Vector3f(-2, -2, -1), new Vector3f(2, 2, 2), PhysicsSpace.BroadphaseType.DBVT,
                1, new CollisionConfiguration(64, 0));
        space.setGravity(new Vector3f(0, 0, -9.81f));
        space.setAccuracy(this.dt);
        space.setMaxSubSteps(1);
        space.setForceUpdateAllAabbs(false);
        // Split impulse: penetration is resolved by moving bodies apart, not by adding velocity, so a kinematic finger
        // that overlaps a cube pushes it out without launching it.
        space.getSolverInfo().setSplitImpulseEnabled(true);
        space.getSolverInfo().setSplitImpulseThreshold(0f);

        BoxCollisionShape tableShape = new BoxCollisionShape(half(TABLE_SIZE));
        tableShape.setMargin(MARGIN);
        table = new PhysicsRigidBody(tableShape, PhysicsRigidBody.massForStatic);
        table.setPhysicsLocation(v(TABLE_CENTER));
        table.setFriction(TABLE_FRICTION);
        table.setRestitution(0);
        // Collision groups: cubes touch everything; the table and the arm's links only touch cubes, so Bullet never
        // runs narrow-phase tests between link pairs or links and the table (neither could move the other).
        table.setCollisionGroup(PhysicsCollisionObject.COLLISION_GROUP_03);
        table.setCollideWithGroups(PhysicsCollisionObject.COLLISION_GROUP_01);
        space.addCollisionObject(table);

        List<String> names = new ArrayList<>();
        List<PhysicsRigidBody> bodies = new ArrayList<>();
        for (Urdf.Link link : urdf.links()) {
            if (link.collisions().isEmpty()) continue;
            CompoundCollisionShape shape = new CompoundCollisionShape(link.collisions().size());
            for (Urdf.Geometry g : link.collisions()) {
                CollisionShape child = switch (g.kind()) {
                    case BOX -> new BoxCollisionShape(half(g.size()));
                    case CYLINDER -> new CylinderCollisionShape(new Vector3f((float) g.size().x(), (float) g.size().x(), (float) (g.size().z() / 2)), PhysicsSpace.AXIS_Z);
                    case SPHERE -> new SphereCollisionShape((float) g.size().x());
                };
                if (g.kind() != Urdf.GeometryKind.SPHERE) child.setMargin(MARGIN);
                shape.addChildShape(child, new Transform(v(g.origin().position()), q(g.origin().rotation())));
            }
            PhysicsRigidBody body = new PhysicsRigidBody(shape, 1f);
            body.setKinematic(true);
            body.setFriction(ArmModel.isGripperLink(link.name()) ? FINGER_FRICTION : TABLE_FRICTION);
            body.setRestitution(0);
            body.setCollisionGroup(PhysicsCollisionObject.COLLISION_GROUP_02);
            body.setCollideWithGroups(PhysicsCollisionObject.COLLISION_GROUP_01);
            space.addCollisionObject(body);
            names.add(link.name());
            bodies.add(body);
        }
        linkNames = names.toArray(String[]::new);
        links = bodies.toArray(PhysicsRigidBody[]::new);
        linkPoses = new Pose[links.length];

        cubes = new PhysicsRigidBody[cubeCount];
        for (int i = 0; i < cubeCount; i++) {
            BoxCollisionShape cubeShape = new BoxCollisionShape((float) Task.CUBE_HALF);
            cubeShape.setMargin(MARGIN);
            PhysicsRigidBody cube = new PhysicsRigidBody(cubeShape, CUBE_MASS);
            cube.setFriction(CUBE_FRICTION);
            cube.setRestitution(0);
            cube.setEnableSleep(true);
            cube.setCollisionGroup(PhysicsCollisionObject.COLLISION_GROUP_01);
            cube.setCollideWithGroups(PhysicsCollisionObject.COLLISION_GROUP_01 | PhysicsCollisionObject.COLLISION_GROUP_02
                    | PhysicsCollisionObject.COLLISION_GROUP_03);
            space.addCollisionObject(cube);
            cubes[i] = cube;
        }
    }

    /**
     * Takes every body out of the world and puts them back in their original order, with all cubes dynamic and at
     * rest: contact caches and broadphase pairs start empty, as in a new world, without allocating one.
     */
    void reload() {
        List<PhysicsRigidBody> all = new ArrayList<>();
        all.add(table);
        all.addAll(List.of(links));
        all.addAll(List.of(cubes));
        for (int i = all.size() - 1; i >= 0; i--) space.removeCollisionObject(all.get(i));
        for (PhysicsRigidBody c : cubes) {
            if (c.isKinematic()) c.setKinematic(false);
            c.setLinearVelocity(new Vector3f());
            c.setAngularVelocity(new Vector3f());
            c.clearForces();
        }
        java.util.Arrays.fill(linkPoses, null);
        for (PhysicsRigidBody b : all) space.addCollisionObject(b);
    }

    /** Moves every kinematic link body to its pose. */
    void setLinkPoses(Map<String, Pose> poses) {
        for (int i = 0; i < links.length; i++) {
            Pose p = poses.get(linkNames[i]);
            if (p.equals(linkPoses[i])) continue;
            linkPoses[i] = p;
            links[i].setPhysicsLocation(v(p.position()));
            links[i].setPhysicsRotation(q(p.rotation()));
        }
    }

    int cubeCount() { return cubes.length; }

    SimState.Body cube(int i) {
        PhysicsRigidBody c = cubes[i];
        Vec3 p = w(c.getPhysicsLocation(tmpV));
        Quaternion r = c.getPhysicsRotation(tmpQ);
        Quat rot = new Quat(r.getX(), r.getY(), r.getZ(), r.getW());
        if (c.isKinematic()) return new SimState.Body(p, rot, Vec3.ZERO, Vec3.ZERO);
        Vec3 lin = w(c.getLinearVelocity(tmpV));
        Vec3 ang = w(c.getAngularVelocity(tmpV));
        return new SimState.Body(p, rot, lin, ang);
    }

    Pose cubePose(int i) {
        PhysicsRigidBody c = cubes[i];
        Vec3 p = w(c.getPhysicsLocation(tmpV));
        Quaternion r = c.getPhysicsRotation(tmpQ);
        return new Pose(p, new Quat(r.getX(), r.getY(), r.getZ(), r.getW()));
    }

    void setCube(int i, SimState.Body b) {
        PhysicsRigidBody c = cubes[i];
        c.setPhysicsLocation(v(b.position()));
        c.setPhysicsRotation(q(b.orientation()));
        if (!c.isKinematic()) {
            c.setLinearVelocity(v(b.linearVelocity()));
            c.setAngularVelocity(v(b.angularVelocity()));
            c.activate();
        }
    }

    /** A held cube moves with the hand (kinematic); a released one is dynamic again, starting at rest. */
    void setHeld(int i, boolean held) {
        PhysicsRigidBody c = cubes[i];
        if (c.isKinematic() == held) return;
        c.setKinematic(held);
        if (!held) {
            c.setLinearVelocity(new Vector3f());
            c.setAngularVelocity(new Vector3f());
            c.activate();
        }
    }

    void setCubePose(int i, Pose p) {
        cubes[i].setPhysicsLocation(v(p.position()));
        cubes[i].setPhysicsRotation(q(p.rotation()));
    }

    void step() {
        space.update(dt, 0, false, false, false);
    }

    @Override public void close() {
        // Bodies and shapes are freed by the cleaner thread (see BulletNative) once unreachable.
        space.destroy();
    }

    private static Vector3f half(Vec3 size) { return new Vector3f((float) size.x() / 2, (float) size.y() / 2, (float) size.z() / 2); }
    private static Vector3f v(Vec3 p) { return new Vector3f((float) p.x(), (float) p.y(), (float) p.z()); }
    private static Quaternion q(Quat r) { return new Quaternion((float) r.x(), (float) r.y(), (float) r.z(), (float) r.w()); }
    private static Vec3 w(Vector3f p) { return new Vec3(p.x, p.y, p.z); }
}
