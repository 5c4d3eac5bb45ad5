package dev.wmpc.sim.render;

import dev.wmpc.core.Vec3;
import java.util.List;

/**
 * Everything a camera can see at one instant: solids, a directional light and the background colour.
 *
 * @param lightDirection the direction the light travels, from the light towards the scene (need not be unit
 *                       length): {@code (0, 0, -1)} is light straight from above. Faces turned towards the light
 *                       get their full colour; faces turned away keep an ambient share of it.
 */
public record Scene(List<Shape> shapes, Vec3 lightDirection, Shape.Color background) {
    public Scene {
        shapes = List.copyOf(shapes);
    }
}
