package dev.wmpc.launch;

import ai.djl.Device;
import dev.wmpc.core.WmpcException;
import dev.wmpc.launch.TrainingRecipe.Kind;
import dev.wmpc.perception.VideoEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc train all}: the whole recipe of a planning model ({@link TrainingRecipe}), reproducible from the seed:
 * collect noisy-expert episodes on reach, push and pick-place in the simulator (a LeRobot dataset), then train the
 * world model on them end to end, and write the model folder (encoder/, predictor/, manifest.json). {@code --recipe
 * vjepa} keeps the earlier pipeline as a baseline. This command reads the options and reports; the stages are the
 * recipe's.
 */
@Command(name = "all", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Collect data in the simulator, then train the world model end to end: a model folder for --model.",
                "The shipped default model is " + DefaultModel.RECIPE + "."})
public final class TrainAllCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--preset", defaultValue = "default", paramLabel = "NAME",
            description = "Run sizes: default (the shipped model, ~30 min on 2 cores) or tiny (seconds; learns little) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model folder to write (encoder/, predictor/, manifest.json).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every random choice: episodes, weights, batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--episodes", paramLabel = "N", description = "Episodes per task (reach, push and pick-place) (default: the preset's).")
    Integer episodes;

    @Option(names = "--recipe", defaultValue = "world-model", paramLabel = "world-model|vjepa",
            converter = RecipeConverter.class,
            description = "world-model: the encoder and predictor trained together end to end (the shipped model); vjepa: "
                    + "a V-JEPA encoder trained alone, then a predictor on its frozen latents, and a state readout "
                    + "(the earlier pipeline, kept as a baseline) (default: ${DEFAULT-VALUE}).")
    Kind recipe;

    static final class RecipeConverter implements picocli.CommandLine.ITypeConverter<Kind> {
        @Override public Kind convert(String v) {
            for (Kind k : Kind.values()) if (k.label().equals(v.toLowerCase(Locale.ROOT))) return k;
            throw WmpcException.usage("unknown --recipe '" + v + "': choose world-model or vjepa");
        }
    }

    @Option(names = "--steps", paramLabel = "K", description = "World-model optimizer steps (default: the preset's).")
    Integer steps;

    @Option(names = "--encoder-steps", paramLabel = "K", description = "vjepa recipe: encoder optimizer steps (default: the preset's).")
    Integer encoderSteps;

    @Option(names = "--predictor-steps", paramLabel = "K", description = "vjepa recipe: predictor optimizer steps (default: the preset's).")
    Integer predictorSteps;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Folder for the dataset, checkpoints and latent cache (default: $XDG_CACHE_HOME/wmpc/train-all/<preset>-seed<S>; the dataset is reused when the run is repeated).")
    Path work;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "PyTorch threads (default: ${DEFAULT-VALUE}: fastest on a busy or 2-core machine; more threads only pay on idle cores).")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Override public Integer call() throws IOException {
        common.applyLogging();
        TrainAllPreset p = TrainAllPreset.of(TrainAllPreset.Name.parse(preset));
        if (episodes != null) {
            if (episodes < 2) throw WmpcException.usage("--episodes " + episodes + " must be at least 2 (one is held out)");
            p = p.withEpisodes(episodes);
        }
        if (encoderSteps != null) {
            if (encoderSteps < 1) throw WmpcException.usage("--encoder-steps must be >= 1, got " + encoderSteps);
            p = p.withEncoderSteps(encoderSteps);
        }
        if (predictorSteps != null) {
            if (predictorSteps < 1) throw WmpcException.usage("--predictor-steps must be >= 1, got " + predictorSteps);
            p = p.withPredictorSteps(predictorSteps);
        }
        if (steps != null) {
            if (steps < 1) throw WmpcException.usage("--steps must be >= 1, got " + steps);
            p = p.withWorldModelSteps(steps);
        }
        if (threads < 1) throw WmpcException.usage("--threads must be >= 1, got " + threads);
        Torch.threads(threads);
        Device dev = VideoEncoder.parseDevice(device);
        Path workDir = work != null ? work : Torch.cacheDir().resolve("train-all").resolve(p.name() + "-seed" + seed);
        TrainingRecipe run = new TrainingRecipe(recipe, p, workDir, seed, dev, System.err, commandLine());
        TrainingRecipe.Collected data = run.collect();
        TrainingRecipe.Trained trained = run.train(data);
        Map<String, Object> summary = run.publish(data, trained, out).summary();
        if (!common.json && recipe == Kind.VJEPA)
            System.out.printf(Locale.ROOT, "model in %s: %d episodes (%d frames), encoder loss %.4f -> %.4f, predictor loss %.4f -> %.4f, %.0f s in all%n",
                    out, data.episodes(), data.frames(),
                    summary.get("encoder_first_loss"), summary.get("encoder_final_loss"),
                    summary.get("predictor_first_loss"), summary.get("predictor_final_loss"), summary.get("seconds"));
        if (!common.json && recipe == Kind.WORLD_MODEL)
            System.out.printf(Locale.ROOT, "model in %s: %d episodes (%d frames), world-model loss %.4f -> %.4f, %.0f s in all%n",
                    out, data.episodes(), data.frames(),
                    summary.get("first_loss"), summary.get("final_loss"), summary.get("seconds"));
        common.report(summary);
        return 0;
    }

    private String commandLine() {
        StringBuilder b = new StringBuilder("wmpc train all --preset ").append(preset).append(" --out ").append(out)
                .append(" --seed ").append(seed);
        if (recipe == Kind.VJEPA) b.append(" --recipe vjepa");
        if (steps != null) b.append(" --steps ").append(steps);
        if (episodes != null) b.append(" --episodes ").append(episodes);
        if (encoderSteps != null) b.append(" --encoder-steps ").append(encoderSteps);
        if (predictorSteps != null) b.append(" --predictor-steps ").append(predictorSteps);
        return b.toString();
    }
}
