package dev.wmpc.sim;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.kinematics.Pose;
import dev.wmpc.core.kinematics.Urdf;
import dev.wmpc.sim.render.Scene;
import dev.wmpc.sim.render.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns the simulator's state into a {@link Scene}: arm links, gripper, table, cubes and the goal marker. */
final class SceneBuilder {
    static final Shape.Color ARM = new Shape.Color(0.86f, 0.86f, 0.90f);
    static final Shape.Color GRIPPER = new Shape.Color(0.15f, 0.15f, 0.18f);
    static final Shape.Color TABLE = new Shape.Color(0.62f, 0.46f, 0.30f);
    static final Shape.Color GOAL = new Shape.Color(0.10f, 0.80f, 0.20f);
    static final Shape.Color BACKGROUND = new Shape.Color(0.70f, 0.80f, 0.92f);
    /** Cube 0 red, cube 1 blue, cube 2 yellow. */
    static final List<Shape.Color> CUBES = List.of(new Shape.Color(0.85f, 0.12f, 0.10f),
            new Shape.Color(0.12f, 0.30f, 0.90f), new Shape.Color(0.95f, 0.80f, 0.10f));
    static final Vec3 LIGHT = new Vec3(-0.4, 0.3, -1).normalized();

    private SceneBuilder() {}

    static Scene build(Urdf urdf, Map<String, Pose> links, List<Pose> cubes, Task task, Vec3 goal, boolean showGoal) {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(Shape.box(PhysicsWorld.TABLE_SIZE, PhysicsWorld.TABLE_CENTER, Quat.IDENTITY, TABLE));
        for (Urdf.Link link : urdf.links()) {
            Pose lp = links.get(link.name());
            Shape.Color color = ArmModel.isGripperLink(link.name()) ? GRIPPER : ARM;
            for (Urdf.Geometry g : link.visuals()) {
                Pose p = lp.compose(g.origin());
                shapes.add(switch (g.kind()) {
                    case BOX -> Shape.box(g.size(), p.position(), p.rotation(), color);
                    case CYLINDER -> Shape.cylinder(g.size().x(), g.size().z(), p.position(), p.rotation(), color);
                    case SPHERE -> Shape.sphere(g.size().x(), p.position(), color);
                });
            }
        }
        for (int i = 0; i < cubes.size(); i++) {
            Pose c = cubes.get(i);
            shapes.add(Shape.box(new Vec3(Task.CUBE_SIZE, Task.CUBE_SIZE, Task.CUBE_SIZE), c.position(), c.rotation(), CUBES.get(i)));
        }
        if (showGoal) {
            if (task instanceof Task.Reach) {
                shapes.add(Shape.sphere(0.015, goal, GOAL));
            } else {
                // A flat square under the goal position of cube 0 (on the table, or on cube 1 when stacking).
                double z = goal.z() - Task.CUBE_HALF + 0.001;
                shapes.add(Shape.box(new Vec3(0.06, 0.06, 0.002), new Vec3(goal.x(), goal.y(), z), Quat.IDENTITY, GOAL));
            }
        }
        return new Scene(shapes, LIGHT, BACKGROUND);
    }
}
