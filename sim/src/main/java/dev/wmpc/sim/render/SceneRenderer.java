package dev.wmpc.sim.render;

import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import java.util.List;

/**
 * Draws a {@link Scene} from cameras into RGB8 frames. Deterministic: the same scene and camera give byte-identical
 * frames. Owns a native context, so close it; use it from the thread that created it.
 */
public interface SceneRenderer extends AutoCloseable {
    CameraFrame render(Scene scene, CameraSpec camera, double timestamp);

    default List<CameraFrame> render(Scene scene, List<CameraSpec> cameras, double timestamp) {
        return cameras.stream().map(c -> render(scene, c, timestamp)).toList();
    }

    @Override void close();
}
