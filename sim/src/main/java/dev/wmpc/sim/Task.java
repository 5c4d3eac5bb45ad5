package dev.wmpc.sim;

import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import dev.wmpc.core.kinematics.Pose;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tabletop task: how episodes start (from the seed), when they succeed, how long they last, and what the goal
 * looks like (the scene placed in its goal state). The table top is at z = 0; cubes are {@link #CUBE_SIZE} wide.
 */
public sealed interface Task permits Task.Reach, Task.Push, Task.PickPlace {
    double CUBE_SIZE = 0.05;
    double CUBE_HALF = CUBE_SIZE / 2;
    /** Where cubes start: x and y ranges on the table. */
    double CUBE_X_MIN = 0.38, CUBE_X_MAX = 0.64, CUBE_Y_MIN = -0.2, CUBE_Y_MAX = 0.2;
    List<String> NAMES = List.of("reach", "push", "pick-place");

    String name();

    /** Control steps before the episode times out. */
    int episodeLength();

    /** Success radius in metres. */
    double threshold();

    Episode sample(long seed, int cubes);

    /** The distance that must shrink below {@link #threshold()}: end effector (reach) or cube 0 (others) to the goal. */
    default double distance(SimRobot sim) {
        Vec3 p = this instanceof Reach ? sim.eePosition() : sim.cubePose(0).position();
        return p.distance(sim.episode().goal());
    }

    default boolean success(SimRobot sim) {
        return distance(sim) < threshold() && (!(this instanceof PickPlace) || !sim.isHolding(0));
    }

    static Task byName(String name) {
        return switch (name.toLowerCase()) {
            case "reach" -> new Reach();
            case "push" -> new Push();
            case "pick-place", "pick_place", "pickplace" -> new PickPlace();
            default -> throw new IllegalArgumentException("unknown task '" + name + "': choose one of " + String.join(", ", NAMES));
        };
    }

    /** Reach: bring the end effector within 2 cm of a point above the table. Cubes are distractors. */
    record Reach() implements Task {
        @Override public String name() { return "reach"; }
        @Override public int episodeLength() { return 30; }
        @Override public double threshold() { return 0.02; }
        @Override public Episode sample(long seed, int cubes) {
            Random r = new Random(seed);
            Vec3 goal = new Vec3(r.nextDouble(0.32, 0.68), r.nextDouble(-0.25, 0.25), r.nextDouble(0.06, 0.32));
            return new Episode(seed, goal, placeCubes(r, cubes, List.of(), List.of()));
        }
    }

    /** Push: slide cube 0 along the table to within 3 cm of a goal 8-15 cm away. */
    record Push() implements Task {
        @Override public String name() { return "push"; }
        @Override public int episodeLength() { return 60; }
        @Override public double threshold() { return 0.03; }
        @Override public Episode sample(long seed, int cubes) {
            Random r = new Random(seed);
            while (true) {
                Vec3 c = new Vec3(r.nextDouble(0.42, 0.6), r.nextDouble(-0.15, 0.15), CUBE_HALF);
                double a = r.nextDouble(0, 2 * Math.PI), d = r.nextDouble(0.08, 0.15);
                Vec3 g = c.plus(new Vec3(Math.cos(a) * d, Math.sin(a) * d, 0));
                if (g.x() < CUBE_X_MIN || g.x() > CUBE_X_MAX || g.y() < CUBE_Y_MIN || g.y() > CUBE_Y_MAX) continue;
                List<Pose> placed = new ArrayList<>(List.of(Pose.of(c)));
                return new Episode(seed, g, placeCubes(r, cubes - 1, placed, List.of(g, c.minus(g.minus(c).normalized().times(0.08)))));
            }
        }
    }

    /**
     * Pick-place: lift cube 0 and release it within 3 cm of a goal on the table, or (with 2+ cubes, every other seed on
     * average) on top of cube 1.
     */
    record PickPlace() implements Task {
        @Override public String name() { return "pick-place"; }
        @Override public int episodeLength() { return 60; }
        @Override public double threshold() { return 0.03; }
        @Override public Episode sample(long seed, int cubes) {
            Random r = new Random(seed);
            while (true) {
                Vec3 c = new Vec3(r.nextDouble(CUBE_X_MIN, CUBE_X_MAX), r.nextDouble(CUBE_Y_MIN, CUBE_Y_MAX), CUBE_HALF);
                Vec3 g = new Vec3(r.nextDouble(CUBE_X_MIN, CUBE_X_MAX), r.nextDouble(CUBE_Y_MIN, CUBE_Y_MAX), CUBE_HALF);
                if (c.distance(g) < 0.12) continue;
                boolean stack = cubes >= 2 && r.nextBoolean();
                List<Pose> placed = new ArrayList<>(List.of(Pose.of(c)));
                if (stack) {
                    placed.add(Pose.of(g));
                    g = g.plus(new Vec3(0, 0, CUBE_SIZE));
                    return new Episode(seed, g, placeCubes(r, cubes - 2, placed, List.of()));
                }
                return new Episode(seed, g, placeCubes(r, cubes - 1, placed, List.of(g)));
            }
        }
    }

    /** Adds {@code n} cubes (random yaw) at least 10 cm from every placed cube and from each point in {@code keepClear}. */
    private static List<Pose> placeCubes(Random r, int n, List<Pose> placed, List<Vec3> keepClear) {
        List<Pose> out = new ArrayList<>(placed);
        int added = 0;
        while (added < n) {
            Vec3 p = new Vec3(r.nextDouble(CUBE_X_MIN, CUBE_X_MAX), r.nextDouble(CUBE_Y_MIN, CUBE_Y_MAX), CUBE_HALF);
            double yaw = r.nextDouble(-Math.PI / 4, Math.PI / 4);
            boolean ok = out.stream().allMatch(q -> q.position().distance(p) > 0.1)
                    && keepClear.stream().allMatch(q -> new Vec3(q.x(), q.y(), CUBE_HALF).distance(p) > 0.1);
            if (ok) {
                out.add(new Pose(p, Quat.fromAxisAngle(new Vec3(0, 0, 1), yaw)));
                added++;
            }
        }
        return out;
    }
}
