package dev.wmpc.launch;

import ai.djl.Device;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.planner.PlannerConfig;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The planner settings every planning command shares (eval, demo, bench plan, ros2 controller): --samples, --iters,
 * --horizon, --device and --threads. A command whose defaults differ from {@link PlannerConfig#defaults()} gives them
 * when it makes the mixin, e.g. {@code @Mixin PlannerOptions plannerOptions = new PlannerOptions(64, 4, 3);} (picocli
 * keeps an instance the field already holds, and shows its values as the defaults in the help).
 */
final class PlannerOptions {
    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    @Option(names = "--samples", paramLabel = "S", description = "Candidate sequences per planner iteration (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--iters", paramLabel = "I", description = "Planner iterations per plan (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--horizon", paramLabel = "H", description = "Steps per candidate sequence (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--proprio-weight", defaultValue = "0", paramLabel = "W",
            description = "Weight of the proprio term, a named extra beside the world model: how far a plan leaves the end "
                    + "effector (moved by the planned actions) from where a readout puts it in the goal image, on the latent "
                    + "energy's scale; needs a model with a state readout; 0 plans on the world model's latent energy alone "
                    + "(default: ${DEFAULT-VALUE}).")
    double proprioWeight;

    @Option(names = "--state-weight", defaultValue = "1", paramLabel = "W",
            description = "Weight of the world model's state head in the energy: the robot state it reads from each predicted "
                    + "latent against the state it reads from the goal image (standardised units); 0 plans on the latent "
                    + "distance alone; used when the model has a state head (default: ${DEFAULT-VALUE}).")
    double stateWeight;

    @Option(names = "--switch-distance", defaultValue = "" + GoalController.DEFAULT_SWITCH_DISTANCE, paramLabel = "D",
            description = "With several goal images: move on to the next when the camera frame's latent is within this mean "
                    + "|difference| per entry of the current one's (default: ${DEFAULT-VALUE}).")
    double switchDistance;

    @Option(names = "--switch-steps", defaultValue = "" + GoalController.DEFAULT_SWITCH_STEPS, paramLabel = "N",
            description = "With several goal images: move on to the next after this many steps on one (default: ${DEFAULT-VALUE}).")
    int switchSteps;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu",
            description = "Where the world model runs: cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "PyTorch threads; one is fastest for small models on a busy 2-core machine (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The sizes of {@link PlannerConfig#defaults()}: S=64, 6 iterations, H=5. */
    PlannerOptions() {
        this(PlannerConfig.defaults().samples(), PlannerConfig.defaults().iterations(), PlannerConfig.defaults().horizon());
    }

    /** This command's defaults of --samples, --iters and --horizon. */
    PlannerOptions(int samples, int iterations, int horizon) {
        this.samples = samples;
        this.iterations = iterations;
        this.horizon = horizon;
    }

    int samples() { return samples; }
    int iterations() { return iterations; }
    int horizon() { return horizon; }
    int threads() { return threads; }

    /** --proprio-weight, checked. */
    double proprioWeight() {
        if (!(proprioWeight >= 0) || !Double.isFinite(proprioWeight))
            throw WmpcException.usage("--proprio-weight must be 0 or more, got " + proprioWeight);
        return proprioWeight;
    }
    String deviceName() { return device; }

    /** The controller these options describe, around {@code planner} with {@code config} and the latent energy {@code energy}. */
    GoalController controller(dev.wmpc.planner.PlannerKind planner, PlannerConfig config, dev.wmpc.planner.EnergyMode energy) {
        if (!(switchDistance > 0)) throw WmpcException.usage("--switch-distance must be positive, got " + switchDistance);
        if (switchSteps < 1) throw WmpcException.usage("--switch-steps must be at least 1, got " + switchSteps);
        if (!(stateWeight >= 0) || !Double.isFinite(stateWeight)) throw WmpcException.usage("--state-weight must be 0 or more, got " + stateWeight);
        return new GoalController(planner, config, energy, proprioWeight(), stateWeight, switchDistance, switchSteps);
    }

    /** The --device as a DJL device; a bad name is a usage error. */
    Device device() {
        return VideoEncoder.parseDevice(device);
    }

    /** Whether the user gave this option (e.g. "--samples") rather than taking the command's default. */
    boolean given(String option) {
        ParseResult r = mixee == null || mixee.commandLine() == null ? null : mixee.commandLine().getParseResult();
        return r != null && r.hasMatchedOption(option);
    }

    /** Checks --threads and fixes PyTorch's thread counts ({@link Torch#threads}); call before the engine starts. */
    void applyThreads() {
        if (threads < 1) throw WmpcException.usage("--threads must be >= 1, got " + threads);
        Torch.threads(threads);
    }

    /**
     * The planner settings: defaults with these sizes and top-k = samples / 8 (at least 2), then whatever {@code tune}
     * changes. A bad combination is a usage error naming the options to check: --samples, --iters, --horizon and
     * {@code alsoCheck} (e.g. "--top-k, --max-norm"; empty for none).
     */
    PlannerConfig config(Consumer<PlannerConfig.Builder> tune, String alsoCheck) {
        PlannerConfig.Builder b = PlannerConfig.defaults().toBuilder()
                .samples(samples).iterations(iterations).horizon(horizon).topK(Math.max(2, samples / 8));
        tune.accept(b);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage() + " (check --samples, --iters, --horizon"
                    + (alsoCheck.isEmpty() ? "" : ", " + alsoCheck) + ")");
        }
    }
}
