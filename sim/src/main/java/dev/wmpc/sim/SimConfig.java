package dev.wmpc.sim;

import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Vec3;
import java.util.List;

/**
 * How a {@link SimRobot} runs: the task, how many cubes (1..3), control and physics rates, the largest end-effector
 * step per control period, the workspace box, the cameras (may be empty: then observations carry no frames) and
 * whether the goal marker is drawn.
 */
public record SimConfig(Task task, int cubes, double controlHz, double physicsHz, double maxStep, Workspace workspace,
                        List<CameraSpec> cameras, boolean showGoalMarker) {
    public static final int MAX_CUBES = 3;

    public SimConfig {
        cameras = List.copyOf(cameras);
        if (cubes < 1 || cubes > MAX_CUBES) throw new IllegalArgumentException("cubes = " + cubes + ": use 1 to " + MAX_CUBES);
        if (!(controlHz > 0 && controlHz <= 100)) throw new IllegalArgumentException("control rate " + controlHz + " Hz: use (0, 100]");
        if (!(physicsHz >= controlHz && physicsHz <= 2000)) throw new IllegalArgumentException("physics rate " + physicsHz + " Hz: use the control rate up to 2000");
        if (!(maxStep > 0 && maxStep <= 0.5)) throw new IllegalArgumentException("max step " + maxStep + " m: use (0, 0.5]");
    }

    /**
     * 5 Hz control, 240 Hz physics, 0.05 m steps, one 64×64 camera, no goal marker: frames show what a camera on a real
     * table would (the marker tells where the goal is, which only the simulator knows; {@link #withGoalMarker} draws it).
     */
    public static SimConfig defaults(Task task) {
        return new SimConfig(task, 1, 5, 240, 0.05, Workspace.defaults(), List.of(defaultCamera(64)), false);
    }

    /** The front camera looking down at the table from the far side, square images of {@code size} pixels. */
    public static CameraSpec defaultCamera(int size) {
        return new CameraSpec("front", new Vec3(0.8, -0.38, 0.92), new Vec3(0.46, 0, 0.24), new Vec3(0, 0, 1), 52, size, size);
    }

    /** The cameras the simulator can record, by name: {@code front} (the default) and {@code side}. */
    public static final List<String> CAMERA_NAMES = List.of("front", "side");

    /**
     * A named camera: {@code front} ({@link #defaultCamera}) or {@code side}, low on the other side of the table
     * looking across it, so heights show as image rows (one view alone cannot tell a lifted cube from a resting one
     * further back).
     */
    public static CameraSpec camera(String name, int size) {
        return switch (name) {
            case "front" -> defaultCamera(size);
            case "side" -> new CameraSpec("side", new Vec3(0.47, 0.75, 0.3), new Vec3(0.47, 0, 0.14), new Vec3(0, 0, 1), 45, size, size);
            default -> throw new IllegalArgumentException("unknown camera '" + name + "': the simulator has " + CAMERA_NAMES);
        };
    }

    /** The named cameras ({@link #CAMERA_NAMES}), in the given order, with square images of {@code size} pixels. */
    public SimConfig withCameraNames(List<String> names, int size) {
        return withCameras(checkCameraNames(names).stream().map(n -> camera(n, size)).toList());
    }

    /** {@code names} when it names cameras of {@link #CAMERA_NAMES}, at least one, each once; else the reason. */
    public static List<String> checkCameraNames(List<String> names) {
        if (names.isEmpty()) throw new IllegalArgumentException("no cameras named: use one or more of " + CAMERA_NAMES);
        for (String n : names)
            if (!CAMERA_NAMES.contains(n)) throw new IllegalArgumentException("unknown camera '" + n + "': the simulator has " + CAMERA_NAMES);
        if (names.stream().distinct().count() != names.size()) throw new IllegalArgumentException("camera named twice in " + names);
        return List.copyOf(names);
    }

    public SimConfig withCameras(List<CameraSpec> c) { return new SimConfig(task, cubes, controlHz, physicsHz, maxStep, workspace, c, showGoalMarker); }
    public SimConfig withCameraSize(int size) {
        return withCameras(cameras.isEmpty() ? List.of(defaultCamera(size)) : cameras.stream().map(c -> c.withSize(size, size)).toList());
    }
    public SimConfig withoutCameras() { return withCameras(List.of()); }
    public SimConfig withCubes(int n) { return new SimConfig(task, n, controlHz, physicsHz, maxStep, workspace, cameras, showGoalMarker); }
    public SimConfig withGoalMarker(boolean show) { return new SimConfig(task, cubes, controlHz, physicsHz, maxStep, workspace, cameras, show); }
    public SimConfig withRates(double control, double physics) { return new SimConfig(task, cubes, control, physics, maxStep, workspace, cameras, showGoalMarker); }
    public SimConfig withMaxStep(double m) { return new SimConfig(task, cubes, controlHz, physicsHz, m, workspace, cameras, showGoalMarker); }

    /** Physics steps per control period (at least 1). */
    public int substeps() { return Math.max(1, (int) Math.round(physicsHz / controlHz)); }
}
