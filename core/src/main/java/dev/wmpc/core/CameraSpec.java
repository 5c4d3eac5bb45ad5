package dev.wmpc.core;

/**
 * A pinhole camera: where it is, what it looks at, vertical field of view and image size (32..1024 pixels a side).
 */
public record CameraSpec(String name, Vec3 eye, Vec3 target, Vec3 up, double fovYDegrees, int width, int height) {
    public static final int MIN_SIZE = 32;
    public static final int MAX_SIZE = 1024;

    public CameraSpec {
        if (width < MIN_SIZE || width > MAX_SIZE || height < MIN_SIZE || height > MAX_SIZE)
            throw new IllegalArgumentException("camera '" + name + "' size " + width + "x" + height
                    + " is out of range: width and height must be between " + MIN_SIZE + " and " + MAX_SIZE);
        if (!(fovYDegrees > 1 && fovYDegrees < 179))
            throw new IllegalArgumentException("camera '" + name + "' field of view " + fovYDegrees + " must be between 1 and 179 degrees");
        if (!eye.isFinite() || !target.isFinite() || !up.isFinite() || eye.distance(target) == 0)
            throw new IllegalArgumentException("camera '" + name + "' pose is degenerate: eye and target must be finite and distinct");
    }

    public CameraSpec withSize(int w, int h) { return new CameraSpec(name, eye, target, up, fovYDegrees, w, h); }
}
