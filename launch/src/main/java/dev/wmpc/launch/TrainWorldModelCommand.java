package dev.wmpc.launch;

import ai.djl.Device;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.DatasetInfo;
import dev.wmpc.perception.ConvEncoder;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.worldmodel.FrameEpisodes;
import dev.wmpc.worldmodel.TrainOptions;
import dev.wmpc.worldmodel.WorldModelTrainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc train world-model}: the encoder and the action-conditioned predictor trained together from pixels
 * (next-latent prediction + SIGReg, as LeWorldModel) on any LeRobot v3 dataset with images, actions and state.
 */
@Command(name = "world-model", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the world model end to end (a CNN encoder to one compact latent per frame, and the "
                + "action-conditioned predictor) on a LeRobot v3 dataset with images, actions and state: next-latent "
                + "prediction plus SIGReg against collapse. Writes a model folder (encoder/, predictor/, manifest.json) "
                + "with checkpoints, loss.png and summary.json; --resume continues it.")
public final class TrainWorldModelCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "LeRobot v3 dataset folder (from collect, teleop or ros2 record).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Model folder to write.")
    Path out;

    @Option(names = "--steps", defaultValue = "3000", paramLabel = "K", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "Clips per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--clip-frames", defaultValue = "4", paramLabel = "T", description = "Frames per training clip (default: ${DEFAULT-VALUE}).")
    int clipFrames;

    @Option(names = "--rollout-steps", defaultValue = "3", paramLabel = "K", description = "Autoregressive steps of the rollout loss (default: ${DEFAULT-VALUE}).")
    int rolloutSteps;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--latent-dim", defaultValue = "64", paramLabel = "D", description = "Numbers in one frame's latent (default: ${DEFAULT-VALUE}).")
    int latentDim;

    @Option(names = "--channels", defaultValue = "32,64,128,128", split = ",", paramLabel = "C",
            description = "Channels of the encoder's stride-2 convolutions (default: ${DEFAULT-VALUE}).")
    int[] channels;

    @Option(names = "--predictor-width", defaultValue = "128", paramLabel = "W", description = "Predictor transformer width (default: ${DEFAULT-VALUE}).")
    int predictorWidth;

    @Option(names = "--predictor-depth", defaultValue = "4", paramLabel = "L", description = "Predictor transformer blocks (default: ${DEFAULT-VALUE}).")
    int predictorDepth;

    @Option(names = "--encoder", defaultValue = "conv", paramLabel = "conv|pixels",
            description = "conv: the CNN encoder trained with the predictor; pixels: no learned encoder, the frame "
                    + "average-pooled to --pixel-grid cells a side as the latent (a baseline) (default: ${DEFAULT-VALUE}).")
    String encoderType;

    @Option(names = "--pixel-grid", defaultValue = "16", paramLabel = "G",
            description = "With --encoder pixels: cells a side of the pooled frame; the latent has 3*G*G numbers (default: ${DEFAULT-VALUE}).")
    int pixelGrid;

    @Option(names = "--predictor-inputs", defaultValue = "summed", paramLabel = "tokens|summed",
            description = "How a frame's action and robot state enter the predictor: tokens (each a token beside the "
                    + "latent's) or summed (added to the latent's token: one token a frame, about a third of the work per "
                    + "imagined step) (default: ${DEFAULT-VALUE}).")
    String predictorInputs;

    @Option(names = "--sigreg-weight", defaultValue = "0.1", paramLabel = "LAMBDA", description = "Weight of SIGReg (default: ${DEFAULT-VALUE}, LeWorldModel's).")
    float sigregWeight;

    @Option(names = "--sigreg-directions", defaultValue = "256", paramLabel = "M", description = "Random projections per step (default: ${DEFAULT-VALUE}).")
    int sigregDirections;

    @Option(names = "--state-weight", defaultValue = "1", paramLabel = "BETA",
            description = "Weight of the state head's loss: a head on the latent, trained with the world model, that reads the "
                    + "robot's own end-effector position and gripper opening (observation.state ee_x/y/z, gripper) from a "
                    + "frame's latent; the planner's energy can compare what it reads in predictions and in the goal image; "
                    + "0: no head (default: ${DEFAULT-VALUE}).")
    float stateWeight;

    @Option(names = "--camera", paramLabel = "KEY", description = "Camera feature to learn from (default: the dataset's first).")
    String camera;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Steps between checkpoints (default: steps/4 within 50..500).")
    Integer checkpointEvery;

    @Option(names = "--watch-every", defaultValue = "250", paramLabel = "N", description = "Steps between collapse-watch reports (default: ${DEFAULT-VALUE}).")
    int watchEvery;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "PyTorch threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the weights and the batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue the run checkpointed in --out.")
    boolean resume;

    @Override public Integer call() {
        common.applyLogging();
        if (threads < 1) throw WmpcException.usage("--threads must be >= 1, got " + threads);
        Torch.threads(threads);
        if (!Files.isDirectory(data)) throw WmpcException.usage("--data " + data + " is not a folder: pass a LeRobot dataset folder");
        Device dev = VideoEncoder.parseDevice(device);
        PrintStream err = System.err;
        err.println("loading " + data + " ...");
        FrameEpisodes episodes = FrameEpisodes.load(data, camera);
        err.printf(Locale.ROOT, "%d episodes, %d frames of %dx%d from %s%n", episodes.episodes(), episodes.frames(),
                episodes.size(), episodes.size(), episodes.camera());
        Map<String, Object> manifest = manifest(episodes);
        WorldModelTrainer.Result r = WorldModelTrainer.train(episodes, options(episodes.size()), out, dev, manifest,
                listener(err, batch));
        print(r);
        common.report(WorldModelTrainer.summary(r));
        return 0;
    }

    /** {@code --predictor-inputs}: true for summed, false for tokens. */
    static boolean summedInputs(String inputs) {
        return switch (inputs) {
            case "tokens" -> false;
            case "summed" -> true;
            default -> throw WmpcException.usage("--predictor-inputs " + inputs + ": choose tokens or summed");
        };
    }

    /** The trainer's options from the flags; a bad combination is a usage error. */
    WorldModelTrainer.Options options(int imageSize) {
        try {
            TrainOptions d = TrainOptions.defaults(steps, seed);
            TrainOptions o = new TrainOptions(steps, batch, clipFrames, rolloutSteps, lr, lr / 30, d.warmupSteps(),
                    d.weightDecay(), d.gradClip(), checkpointEvery == null ? d.checkpointEvery() : checkpointEvery, seed, resume);
            ConvEncoder.Config encoder = switch (encoderType) {
                case "conv" -> new ConvEncoder.Config(imageSize, channels, 256, latentDim);
                case "pixels" -> ConvEncoder.Config.pixels(imageSize, pixelGrid);
                default -> throw WmpcException.usage("--encoder " + encoderType + ": choose conv or pixels");
            };
            return new WorldModelTrainer.Options(o, encoder,
                    predictorWidth, predictorDepth, 4, sigregWeight, sigregDirections, watchEvery, stateWeight)
                    .withSummedInputs(summedInputs(predictorInputs));
        } catch (IllegalArgumentException e) {
            throw WmpcException.usage(e.getMessage());
        }
    }

    /** How the model was made, and the robot and camera it learned from. */
    Map<String, Object> manifest(FrameEpisodes episodes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "wmpc " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        m.put("seed", seed);
        m.put("data", data.toString());
        m.put("episodes", episodes.episodes());
        m.put("frames", episodes.frames());
        m.put("camera", episodes.camera());
        m.put("camera_size", episodes.size());
        // the arm, where the dataset says which (the simulator's datasets do)
        ModelArm.ofDataset(DatasetInfo.read(data).robotType()).ifPresent(a -> m.put(ModelArm.KEY, a.toManifest()));
        m.put("state_names", episodes.stateNames());
        m.put("action_names", episodes.actionNames());
        m.put("energy", "latent-l1");
        return m;
    }

    static WorldModelTrainer.Listener listener(PrintStream err, int batch) {
        return new WorldModelTrainer.Listener() {
            @Override public void onStep(int step, int total, float loss, float prediction, float sigreg, float lr, double sec) {
                if (step % 10 == 0 || step == total)
                    TrainPredictorCommand.progress(err, "training", step, total, String.format(Locale.ROOT,
                            "loss %.4f (prediction %.4f, SIGReg %.3f)  lr %.2e  %.1f clips/s", loss, prediction, sigreg, lr,
                            sec > 0 ? batch / sec : 0));
            }

            @Override public void onWatch(WorldModelTrainer.Watch w) {
                err.printf(Locale.ROOT, "%nstep %d latents: spread %.3f, effective rank %.1f, SIGReg %.2f%n", w.step(),
                        w.spread(), w.effectiveRank(), w.sigreg());
            }
        };
    }

    static void print(WorldModelTrainer.Result r) {
        System.out.printf(Locale.ROOT, "world model %s: %d steps in %.0f s, loss %.4f -> %.4f, %d parameters%n", r.out(),
                r.steps(), r.seconds(), r.firstLoss(), r.finalLoss(), r.parameters());
        System.out.printf(Locale.ROOT, "latents: spread %.3f (at init %.3f), effective rank %.1f (at init %.1f), SIGReg %.2f%n",
                r.watch().spread(), r.watchAtInit().spread(), r.watch().effectiveRank(), r.watchAtInit().effectiveRank(), r.watch().sigreg());
        var h = r.heldOut();
        if (h != null) {
            System.out.printf(Locale.ROOT, "held-out prediction MSE by step %s vs copy-last %s%n", Arrays.toString(round(h.predictionMse())),
                    Arrays.toString(round(h.copyLastMse())));
            System.out.printf(Locale.ROOT, "held-out linear probe R2: end effector %.3f (random init %.3f), object %.3f (random init %.3f)%n",
                    h.eeR2(), h.eeR2RandomInit(), h.objectR2(), h.objectR2RandomInit());
            if (!Double.isNaN(h.stateHeadEeRmse()))
                System.out.printf(Locale.ROOT, "held-out state head: end effector RMS error %.1f mm, gripper mean error %.3f%n",
                        1e3 * h.stateHeadEeRmse(), h.stateHeadGripperMae());
        }
    }

    private static double[] round(double[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) o[i] = Math.round(v[i] * 1e4) / 1e4;
        return o;
    }
}
