package dev.wmpc.perception;

/**
 * One kind of V-JEPA multi-block 3D mask: {@code blocks} boxes, each covering {@code spatialScale} of the patch grid
 * (aspect ratio drawn from [minAspect, maxAspect]) and {@code temporalScale} of the tubelets; the mask is their union.
 */
public record MaskSpec(String name, int blocks, double spatialScale, double minAspect, double maxAspect, double temporalScale) {
    public MaskSpec {
        if (blocks < 1) throw new IllegalArgumentException("mask '" + name + "' needs at least one block");
        if (!(spatialScale > 0 && spatialScale <= 1)) throw new IllegalArgumentException("mask '" + name + "' spatialScale must be in (0, 1]");
        if (!(temporalScale > 0 && temporalScale <= 1)) throw new IllegalArgumentException("mask '" + name + "' temporalScale must be in (0, 1]");
        if (!(minAspect > 0 && maxAspect >= minAspect)) throw new IllegalArgumentException("mask '" + name + "' aspect range is empty");
    }

    /** V-JEPA's short-range mask: 8 blocks of 15% of the frame each, across all time. */
    public static MaskSpec shortRange() { return new MaskSpec("short-range", 8, 0.15, 0.75, 1.5, 1.0); }

    /** V-JEPA's long-range mask: 2 blocks of 70% of the frame each, across all time. */
    public static MaskSpec longRange() { return new MaskSpec("long-range", 2, 0.7, 0.75, 1.5, 1.0); }
}
