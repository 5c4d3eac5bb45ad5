package dev.wmpc.sim.policy;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import dev.wmpc.core.Vec3;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;

/**
 * The scripted expert: reads the simulator's true state (cube and goal positions, what the gripper holds) and moves the
 * end effector in straight lines at up to the simulator's max step. Stateless: every decision comes from the state
 * now, so it recovers from pushes, slips and noise.
 */
public final class ExpertPolicy implements Policy {
    /** Heights of the tool centre point: pushing (pads just above the table) and travelling over cubes. */
    static final double PUSH_Z = 0.02, TRAVEL_Z = 0.10;
    /** How far behind the cube's centre the pusher sits. */
    static final double PUSH_OFFSET = Task.CUBE_HALF + 0.02;

    private final SimRobot sim;

    public ExpertPolicy(SimRobot sim) { this.sim = sim; }

    @Override public Action act(Observation observation) {
        return switch (sim.task()) {
            case Task.Reach r -> toward(sim.episode().goal(), 1);
            case Task.Push p -> push();
            case Task.PickPlace p -> pickPlace();
        };
    }

    private Action push() {
        Vec3 ee = sim.eePosition();
        Vec3 c = sim.cubePose(0).position();
        Vec3 g = sim.episode().goal();
        Vec3 d = flat(g.minus(c));
        double dist = d.norm();
        if (dist < 0.01) return toward(new Vec3(ee.x(), ee.y(), Math.max(ee.z(), PUSH_Z)), -1);
        Vec3 u = d.times(1 / dist);
        Vec3 behind = flat(c).minus(u.times(PUSH_OFFSET));
        Vec3 rel = flat(ee.minus(c));
        double along = rel.dot(u);
        double perp = rel.minus(u.times(along)).norm();
        boolean inPushPose = ee.z() < PUSH_Z + 0.012 && perp < 0.015 && along < -Task.CUBE_HALF && along > -(PUSH_OFFSET + 0.03);
        if (inPushPose) {
            Vec3 t = behind.plus(u.times(Math.min(dist, 0.03)));
            return toward(new Vec3(t.x(), t.y(), PUSH_Z), -1);
        }
        double h = flat(ee).minus(behind).norm();
        if (h > 0.01) {
            if (ee.z() < TRAVEL_Z - 0.03) {
                // Low and in the wrong place: rise first, unless already behind the cube and clear of it.
                boolean clear = along < -(PUSH_OFFSET - 0.005) || rel.norm() > PUSH_OFFSET + 0.05;
                if (!clear || h > 0.05) return toward(new Vec3(ee.x(), ee.y(), TRAVEL_Z), -1);
                return toward(new Vec3(behind.x(), behind.y(), PUSH_Z), -1);
            }
            return toward(new Vec3(behind.x(), behind.y(), TRAVEL_Z), -1);
        }
        return toward(new Vec3(behind.x(), behind.y(), PUSH_Z), -1);
    }

    private Action pickPlace() {
        Vec3 ee = sim.eePosition();
        Vec3 c = sim.cubePose(0).position();
        Vec3 g = sim.episode().goal();
        if (sim.isHolding(0)) {
            double carryZ = Math.max(g.z() + 0.07, 0.12);
            Vec3 off = flat(g.minus(c));
            double h = off.norm();
            Vec3 over = new Vec3(ee.x() + off.x(), ee.y() + off.y(), 0);
            if (h > 0.012) {
                if (ee.z() < carryZ - 0.02 && h > 0.03) return toward(new Vec3(ee.x(), ee.y(), carryZ), -1);
                return toward(new Vec3(over.x(), over.y(), carryZ), -1);
            }
            double dz = g.z() + 0.003 - c.z();
            if (Math.abs(dz) > 0.012 || h > 0.012) return toward(new Vec3(over.x(), over.y(), ee.z() + dz), -1);
            return toward(ee, 1);
        }
        if (c.distance(g) < 0.02) return toward(new Vec3(ee.x(), ee.y(), g.z() + 0.08), 1);
        double h = flat(ee.minus(c)).norm();
        // The open fingers clear the cube by 1.5 cm a side: descend once within about 1 cm, correcting on the way.
        if (h > 0.012) {
            if (ee.z() < c.z() + 0.05 && h > 0.025) return toward(new Vec3(ee.x(), ee.y(), c.z() + 0.08), 1);
            return toward(new Vec3(c.x(), c.y(), Math.max(c.z() + 0.08 * Math.min(1, h / 0.05), Math.min(ee.z(), c.z() + 0.08))), 1);
        }
        if (ee.z() > c.z() + 0.008) return toward(new Vec3(c.x(), c.y(), c.z()), 1);
        return toward(ee, -1);
    }

    private Action toward(Vec3 target, double gripper) {
        Vec3 d = target.minus(sim.eePosition());
        double max = sim.config().maxStep();
        double n = d.norm();
        if (n > max) d = d.times(max / n);
        return new Action.EndEffectorDelta(d.x(), d.y(), d.z(), gripper);
    }

    private static Vec3 flat(Vec3 v) { return new Vec3(v.x(), v.y(), 0); }
}
