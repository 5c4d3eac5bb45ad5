package dev.wmpc.perception;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.wmpc.core.CameraFrame;

/**
 * An encoder as a planner uses it: one camera frame in, the latent of that frame out ({@code tokens × width}
 * numbers). Implemented by the end-to-end world model's {@link ConvEncoder} (one compact latent per frame) and by the
 * V-JEPA {@link VideoEncoder} (a grid of patch tokens; the frame repeated to fill its tubelet). Owns native memory:
 * close it.
 */
public interface FrameEncoder extends AutoCloseable {
    /** Side of the square frames it reads, in pixels (other sizes are resized). */
    int imageSize();

    /** Latent tokens per frame (1 for a compact latent). */
    int tokens();

    /** Numbers per token. */
    int width();

    Device device();

    /** One frame → its latent {@code [tokens, width]}, created in {@code scope} (raw: not normalised). */
    NDArray encodeFrame(NDManager scope, CameraFrame frame);

    @Override void close();
}
