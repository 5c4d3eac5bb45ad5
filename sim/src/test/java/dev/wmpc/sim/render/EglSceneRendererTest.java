package dev.wmpc.sim.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Real EGL rendering (Mesa llvmpipe in CI): colours at known pixels, sizes, cameras, determinism. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EglSceneRendererTest {
    static final Shape.Color RED = new Shape.Color(1, 0, 0);
    static final Shape.Color GREEN = new Shape.Color(0, 1, 0);
    static final Shape.Color BLUE = new Shape.Color(0, 0, 1);
    static final Shape.Color GREY = new Shape.Color(0.2f, 0.2f, 0.2f);
    /** Light travelling down -z: faces whose normal is +z get full diffuse. */
    static final Vec3 DOWN = new Vec3(0, 0, -1);

    EglSceneRenderer renderer;

    @BeforeAll void open() { renderer = new EglSceneRenderer(); }
    @AfterAll void close() { renderer.close(); }

    static CameraSpec topDown(int size) {
        return new CameraSpec("top", new Vec3(0, 0, 2), Vec3.ZERO, new Vec3(0, 1, 0), 60, size, size);
    }

    static Scene redBox() {
        return new Scene(List.of(Shape.box(new Vec3(0.6, 0.6, 0.2), Vec3.ZERO, Quat.IDENTITY, RED)), DOWN, GREY);
    }

    @Test void redBoxFillsTheCentreAndBackgroundShowsInTheCorners() {
        CameraFrame f = renderer.render(redBox(), topDown(64), 1.5);
        assertThat(f.width()).isEqualTo(64);
        assertThat(f.height()).isEqualTo(64);
        assertThat(f.camera()).isEqualTo("top");
        assertThat(f.timestamp()).isEqualTo(1.5);
        // The top face faces the light: full red.
        assertThat(f.rgbAt(32, 32)).containsExactly(255, 0, 0);
        assertThat(f.rgbAt(28, 36)).containsExactly(255, 0, 0);
        // Background (0.2 grey -> 51) in every corner.
        for (int[] p : new int[][] {{0, 0}, {63, 0}, {0, 63}, {63, 63}})
            assertThat(f.rgbAt(p[0], p[1])).containsExactly(51, 51, 51);
    }

    @Test void imageIsTopRowFirstAndNotMirrored() {
        // Camera looks down with +y up in the image: a blue sphere at +y is in the top half, green at +x on the right.
        Scene scene = new Scene(List.of(
                Shape.sphere(0.15, new Vec3(0, 0.5, 0), BLUE),
                Shape.sphere(0.15, new Vec3(0.5, 0, 0), GREEN)), DOWN, GREY);
        CameraFrame f = renderer.render(scene, topDown(128), 0);
        int[] top = centroid(f, 2);
        int[] right = centroid(f, 1);
        assertThat(top[0]).isBetween(60, 68);
        assertThat(top[1]).isLessThan(40);
        assertThat(right[0]).isGreaterThan(88);
        assertThat(right[1]).isBetween(60, 68);
    }

    @Test void unlitSidesGetOnlyAmbient() {
        // Seen from the side with light from above, the box's side is lit by the ambient term only.
        CameraSpec side = new CameraSpec("side", new Vec3(3, 0, 0), Vec3.ZERO, new Vec3(0, 0, 1), 30, 64, 64);
        CameraFrame f = renderer.render(redBox(), side, 0);
        int ambient = Math.round(SceneDrawer.AMBIENT * 255);
        assertThat(f.rgbAt(32, 32)[0]).isBetween(ambient - 1, ambient + 1);
        assertThat(f.rgbAt(32, 32)[1]).isZero();
    }

    @Test void lightDirectionIsWhereTheLightTravels() {
        // Light travelling up (from below): the top face the camera sees gets only the ambient share.
        Scene fromBelow = new Scene(redBox().shapes(), new Vec3(0, 0, 1), GREY);
        int ambient = Math.round(SceneDrawer.AMBIENT * 255);
        assertThat(renderer.render(fromBelow, topDown(64), 0).rgbAt(32, 32)[0]).isBetween(ambient - 1, ambient + 1);
        // Light at 60 degrees from the vertical: diffuse = cos 60 = 0.5.
        Scene slanted = new Scene(redBox().shapes(), new Vec3(Math.sin(Math.PI / 3), 0, -Math.cos(Math.PI / 3)), GREY);
        int expected = Math.round((SceneDrawer.AMBIENT + (1 - SceneDrawer.AMBIENT) * 0.5f) * 255);
        assertThat(renderer.render(slanted, topDown(64), 0).rgbAt(32, 32)[0]).isBetween(expected - 1, expected + 1);
    }

    @Test void orientationTurnsShapes() {
        // A bar along x, turned 90 degrees about z, lies along y: image rows (top-down camera with +y up).
        Shape bar = Shape.box(new Vec3(1.0, 0.1, 0.1), Vec3.ZERO, Quat.fromAxisAngle(new Vec3(0, 0, 1), Math.PI / 2), RED);
        CameraFrame f = renderer.render(new Scene(List.of(bar), DOWN, GREY), topDown(64), 0);
        assertThat(f.rgbAt(32, 20)).containsExactly(255, 0, 0);
        assertThat(f.rgbAt(32, 44)).containsExactly(255, 0, 0);
        assertThat(f.rgbAt(20, 32)).containsExactly(51, 51, 51);
        assertThat(f.rgbAt(44, 32)).containsExactly(51, 51, 51);
        // A cylinder laid along x (turned about y) shows a lit top line and darker flanks.
        Shape rod = Shape.cylinder(0.1, 1.0, Vec3.ZERO, Quat.fromAxisAngle(new Vec3(0, 1, 0), Math.PI / 2), GREEN);
        CameraFrame g = renderer.render(new Scene(List.of(rod), DOWN, GREY), topDown(64), 0);
        assertThat(g.rgbAt(20, 32)[1]).isGreaterThan(240);
        assertThat(g.rgbAt(32, 20)).containsExactly(51, 51, 51);
        assertThat(g.rgbAt(20, 30)[1]).isLessThan(g.rgbAt(20, 32)[1]);
    }

    @Test void emptySceneIsAllBackground() {
        Shape.Color bg = new Shape.Color(0.1f, 0.5f, 0.9f);
        CameraFrame f = renderer.render(new Scene(List.of(), DOWN, bg), topDown(48), 0);
        assertThat(distinctColours(f)).isEqualTo(1);
        int[] p = f.rgbAt(7, 30);
        assertThat(p[0]).isBetween(25, 26);
        assertThat(p[1]).isBetween(127, 128);
        assertThat(p[2]).isBetween(229, 230);
    }

    @Test void nearerSolidHidesFartherOne() {
        Scene scene = new Scene(List.of(
                Shape.box(new Vec3(1.0, 1.0, 0.1), new Vec3(0, 0, 0.0), Quat.IDENTITY, RED),
                Shape.cylinder(0.1, 0.2, new Vec3(0, 0, 0.3), Quat.IDENTITY, GREEN)), DOWN, GREY);
        CameraFrame f = renderer.render(scene, topDown(64), 0);
        assertThat(f.rgbAt(32, 32)).containsExactly(0, 255, 0);
        assertThat(f.rgbAt(22, 32)).containsExactly(255, 0, 0);
        // The order of shapes in the scene does not matter: depth decides.
        Scene reversed = new Scene(List.of(scene.shapes().get(1), scene.shapes().get(0)), DOWN, GREY);
        assertThat(hash(renderer.render(reversed, topDown(64), 0))).isEqualTo(hash(f));
    }

    @Test void sameSceneAndCameraGiveIdenticalBytes() {
        Scene scene = tabletop();
        CameraSpec cam = new CameraSpec("front", new Vec3(1.2, 0.4, 0.9), new Vec3(0.4, 0, 0.2), new Vec3(0, 0, 1), 50, 224, 224);
        String first = hash(renderer.render(scene, cam, 0));
        renderer.render(scene, topDown(96), 0); // a different size in between (framebuffer reallocated)
        assertThat(hash(renderer.render(scene, cam, 0))).isEqualTo(first);
        try (EglSceneRenderer other = new EglSceneRenderer()) {
            assertThat(hash(other.render(scene, cam, 0))).isEqualTo(first);
        }
    }

    @Test void smallestAndLargestSizes() {
        CameraFrame small = renderer.render(redBox(), topDown(32), 0);
        assertThat(small.data()).hasSize(32 * 32 * 3);
        assertThat(small.rgbAt(16, 16)).containsExactly(255, 0, 0);
        CameraFrame large = renderer.render(redBox(), topDown(1024), 0);
        assertThat(large.data()).hasSize(1024 * 1024 * 3);
        assertThat(large.rgbAt(512, 512)).containsExactly(255, 0, 0);
        assertThat(large.rgbAt(5, 1018)).containsExactly(51, 51, 51);
        // Non-square frames keep the aspect: the box is still centred.
        CameraFrame wide = renderer.render(redBox(), topDown(64).withSize(200, 48), 0);
        assertThat(wide.rgbAt(100, 24)).containsExactly(255, 0, 0);
        assertThat(wide.rgbAt(2, 24)).containsExactly(51, 51, 51);
    }

    @Test void severalCamerasSeeDifferentViews() {
        Scene scene = tabletop();
        List<CameraSpec> cams = List.of(
                new CameraSpec("front", new Vec3(1.5, 0, 0.8), new Vec3(0.4, 0, 0.1), new Vec3(0, 0, 1), 45, 64, 64),
                new CameraSpec("left", new Vec3(0.4, 1.3, 0.8), new Vec3(0.4, 0, 0.1), new Vec3(0, 0, 1), 45, 64, 64),
                new CameraSpec("wrist", new Vec3(0.45, 0.0, 0.5), new Vec3(0.45, 0, 0.0), new Vec3(1, 0, 0), 70, 96, 64));
        List<CameraFrame> frames = renderer.render(scene, cams, 2.0);
        assertThat(frames).extracting(CameraFrame::camera).containsExactly("front", "left", "wrist");
        assertThat(frames.get(2).width()).isEqualTo(96);
        assertThat(frames.stream().map(EglSceneRendererTest::hash).distinct()).hasSize(3);
        for (CameraFrame f : frames) assertThat(distinctColours(f)).isGreaterThan(5);
    }

    @Test void outOfRangeSizesAreRejected() {
        assertThatThrownBy(() -> topDown(31)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 32 and 1024");
        assertThatThrownBy(() -> topDown(1025)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 32 and 1024");
    }

    @Test void closeTwiceIsSafeAndRenderAfterCloseFails() {
        EglSceneRenderer r = new EglSceneRenderer();
        r.render(redBox(), topDown(32), 0);
        r.close();
        r.close();
        assertThatThrownBy(() -> r.render(redBox(), topDown(32), 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        // The other renderer is unaffected.
        assertThat(renderer.render(redBox(), topDown(32), 0).rgbAt(16, 16)).containsExactly(255, 0, 0);
    }

    @Test void otherThreadIsRefused() throws Exception {
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(() -> {
            try { renderer.render(redBox(), topDown(32), 0); } catch (Throwable e) { seen[0] = e; }
        });
        t.start();
        t.join();
        assertThat(seen[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("thread");
    }

    /** A table, an arm-ish chain of cylinders and boxes, three cubes and a goal marker: about 20 shapes. */
    static Scene tabletop() {
        return SampleScene.tabletop();
    }

    static int[] centroid(CameraFrame f, int channel) {
        long sx = 0, sy = 0, n = 0;
        for (int y = 0; y < f.height(); y++)
            for (int x = 0; x < f.width(); x++) {
                int[] p = f.rgbAt(x, y);
                if (p[channel] > 120 && p[(channel + 1) % 3] < 60 && p[(channel + 2) % 3] < 60) { sx += x; sy += y; n++; }
            }
        assertThat(n).as("pixels of channel %d", channel).isPositive();
        return new int[] {(int) (sx / n), (int) (sy / n)};
    }

    static long distinctColours(CameraFrame f) {
        java.util.Set<Integer> s = new java.util.HashSet<>();
        byte[] d = f.data();
        for (int i = 0; i < d.length; i += 3) s.add(((d[i] & 0xff) << 16) | ((d[i + 1] & 0xff) << 8) | (d[i + 2] & 0xff));
        return s.size();
    }

    static String hash(CameraFrame f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(f.data()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
