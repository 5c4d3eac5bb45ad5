package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.WmpcException;
import dev.wmpc.sim.render.EglSceneRenderer;
import dev.wmpc.sim.render.SampleScene;
import dev.wmpc.sim.render.Scene;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc bench render}: frames per second of the headless renderer on a typical tabletop scene (about 20
 * solids), including the read-back into an RGB8 frame.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Frames per second of the headless EGL renderer on a typical tabletop scene (~20 solids), read-back included.")
public final class BenchRenderCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--size", defaultValue = "224", paramLabel = "PIXELS",
            description = "Square frame size in pixels, " + CameraSpec.MIN_SIZE + ".." + CameraSpec.MAX_SIZE + " (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--frames", defaultValue = "1000", paramLabel = "N", description = "Frames to time (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--warmup", defaultValue = "50", paramLabel = "N", description = "Untimed frames first (default: ${DEFAULT-VALUE}).")
    int warmup;

    /** What the benchmark reports (the JSON object of --json). */
    public record Report(String benchmark, String renderer, int width, int height, int shapes, int frames, double seconds,
                         @JsonProperty("frames_per_second") double framesPerSecond,
                         @JsonProperty("ms_per_frame") double msPerFrame,
                         @JsonProperty("lp_num_threads") String lpNumThreads) {}

    @Override public Integer call() {
        common.applyLogging();
        if (size < CameraSpec.MIN_SIZE || size > CameraSpec.MAX_SIZE)
            throw WmpcException.usage("--size " + size + " is out of range: use " + CameraSpec.MIN_SIZE + " to " + CameraSpec.MAX_SIZE + " pixels");
        if (frames < 1) throw WmpcException.usage("--frames " + frames + " must be at least 1");
        if (warmup < 0) throw WmpcException.usage("--warmup " + warmup + " must not be negative");
        Scene scene = SampleScene.tabletop();
        CameraSpec camera = SampleScene.frontCamera(size);
        try (EglSceneRenderer renderer = new EglSceneRenderer()) {
            for (int i = 0; i < warmup; i++) renderer.render(scene, camera, i);
            long start = System.nanoTime();
            for (int i = 0; i < frames; i++) renderer.render(scene, camera, i);
            double seconds = (System.nanoTime() - start) / 1e9;
            Report r = new Report("render", renderer.description(), size, size, scene.shapes().size(), frames, seconds,
                    frames / seconds, seconds * 1000 / frames, System.getenv("LP_NUM_THREADS"));
            System.out.printf("render %dx%d, %d shapes: %.0f frames/s (%.3f ms/frame) over %d frames on %s%n",
                    size, size, r.shapes(), r.framesPerSecond(), r.msPerFrame(), frames, r.renderer());
            common.report(r);
        }
        return 0;
    }
}
