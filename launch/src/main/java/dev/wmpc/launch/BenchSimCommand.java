package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.core.CameraSpec;
import dev.wmpc.core.WmpcException;
import dev.wmpc.sim.SimBenchmark;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.render.EglSceneRenderer;
import dev.wmpc.sim.render.SceneRenderer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc bench sim}: control steps per second of the simulator loop: physics substeps + IK + joint control and
 * one camera frame per control step, driven by the expert.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Control steps/s of the simulator: physics substeps + IK + one camera frame per step (expert actions).")
public final class BenchSimCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--task", defaultValue = "push", paramLabel = "TASK", description = "reach, push or pick-place (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--camera-size", defaultValue = "64", paramLabel = "PIXELS",
            description = "Square frame size, " + CameraSpec.MIN_SIZE + ".." + CameraSpec.MAX_SIZE + "; 0 for no camera (default: ${DEFAULT-VALUE}).")
    int cameraSize;

    @Option(names = "--steps", defaultValue = "2000", paramLabel = "N", description = "Control steps to time (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "300", paramLabel = "N", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "N",
            description = "Timed runs; the report gives the median and the best (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--physics-hz", defaultValue = "240", paramLabel = "HZ", description = "Physics rate (default: ${DEFAULT-VALUE}).")
    double physicsHz;

    @Option(names = "--control-hz", defaultValue = "5", paramLabel = "HZ", description = "Control rate (default: ${DEFAULT-VALUE}).")
    double controlHz;

    public record Report(String benchmark, String task, @JsonProperty("camera_size") int cameraSize,
                         @JsonProperty("control_hz") double controlHz, @JsonProperty("physics_hz") double physicsHz,
                         @JsonProperty("substeps_per_step") int substeps, int steps, double seconds,
                         @JsonProperty("steps_per_second") double stepsPerSecond,
                         @JsonProperty("act_ms_per_step") double actMs, @JsonProperty("render_ms_per_step") double renderMs,
                         String renderer, @JsonProperty("available_processors") int processors,
                         @JsonProperty("runs_steps_per_second") double[] runs,
                         @JsonProperty("best_steps_per_second") double best,
                         @JsonProperty("process_cpu_ms_per_step") double processCpuMs,
                         @JsonProperty("main_thread_cpu_ms_per_step") double threadCpuMs,
                         @JsonProperty("cpu_steps_per_second") double cpuStepsPerSecond,
                         @JsonProperty("load_average") double loadAverage) {}

    @Override public Integer call() {
        common.applyLogging();
        Task t = SimChoices.task(task);
        if (cameraSize != 0 && (cameraSize < CameraSpec.MIN_SIZE || cameraSize > CameraSpec.MAX_SIZE))
            throw WmpcException.usage("--camera-size " + cameraSize + " is out of range: use " + CameraSpec.MIN_SIZE + " to " + CameraSpec.MAX_SIZE + " pixels, or 0 for none");
        if (repeat < 1) throw WmpcException.usage("--repeat " + repeat + " must be at least 1");
        if (steps < 1 || warmup < 0) throw WmpcException.usage("--steps must be at least 1 and --warmup not negative");
        SimConfig config;
        try {
            config = SimConfig.defaults(t).withRates(controlHz, physicsHz);
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage());
        }
        int size = cameraSize;
        SimConfig base = size == 0 ? config.withoutCameras() : config.withCameraSize(size);
        List<SimBenchmark.Result> results = new ArrayList<>();
        String rendererName = "none";
        for (int i = 0; i < repeat; i++) {
            SceneRenderer renderer = null;
            if (size != 0) {
                EglSceneRenderer egl = new EglSceneRenderer();
                rendererName = egl.description();
                renderer = egl;
            }
            results.add(SimBenchmark.run(base, renderer, warmup, steps, 0));
        }
        double[] runs = results.stream().mapToDouble(SimBenchmark.Result::stepsPerSecond).toArray();
        SimBenchmark.Result r = results.stream().sorted(Comparator.comparingDouble(SimBenchmark.Result::stepsPerSecond))
                .toList().get(results.size() / 2);
        double best = Arrays.stream(runs).max().orElseThrow();
        Report report = new Report("sim", r.task(), cameraSize, controlHz, physicsHz, r.substeps(), r.steps(), r.seconds(),
                r.stepsPerSecond(), r.actMsPerStep(), r.renderMsPerStep(), rendererName, Runtime.getRuntime().availableProcessors(),
                runs, best, r.processCpuMsPerStep(), r.threadCpuMsPerStep(), 1000 / r.processCpuMsPerStep(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "sim %s, %d physics substeps/step, camera %s: %.0f control steps/s median of %d (best %.0f; act %.3f ms + render %.3f ms per step); "
                        + "CPU %.3f ms/step over all threads = %.0f steps/s per busy core; load average %.1f%n",
                r.task(), r.substeps(), cameraSize == 0 ? "none" : cameraSize + "x" + cameraSize, r.stepsPerSecond(), repeat, best, r.actMsPerStep(), r.renderMsPerStep(),
                r.processCpuMsPerStep(), 1000 / r.processCpuMsPerStep(), report.loadAverage());
        common.report(report);
        return 0;
    }
}
