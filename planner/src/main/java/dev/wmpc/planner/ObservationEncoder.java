package dev.wmpc.planner;

import dev.wmpc.core.CameraFrame;

/** The encoder as the planner sees it: one camera frame (any size or encoding it accepts) to a flattened latent. */
@FunctionalInterface
public interface ObservationEncoder {
    float[] encode(CameraFrame frame);
}
