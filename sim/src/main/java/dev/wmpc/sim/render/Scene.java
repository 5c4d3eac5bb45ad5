package dev.wmpc.sim.render;

import dev.wmpc.core.Vec3;
import java.util.List;

/** Everything a camera can see at one instant: solids, a directional light and the background colour. */
public record Scene(List<Shape> shapes, Vec3 lightDirection, Shape.Color background) {
    public Scene {
        shapes = List.copyOf(shapes);
    }
}
