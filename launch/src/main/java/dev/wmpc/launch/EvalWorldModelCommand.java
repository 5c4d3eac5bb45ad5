package dev.wmpc.launch;

import ai.djl.Device;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.LatentCache;
import dev.wmpc.worldmodel.WorldModelEval;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc eval world-model}: open-loop prediction error of a predictor on the held-out episodes of a dataset (the
 * every tenth episode), per step, next to copying the last frame.
 */
@Command(name = "world-model", mixinStandardHelpOptions = true,
        description = "Open-loop L1 of the predictor on held-out episodes at each step, next to the copy-last-frame baseline.")
public final class EvalWorldModelCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "LeRobot v3 dataset folder.")
    Path data;

    @Option(names = "--encoder", required = true, paramLabel = "MODEL",
            description = "Encoder model folder the predictor was trained with, or 'default' for the shipped model's encoder.")
    String encoderOption;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Predictor folder, or 'default' for the shipped model's predictor.")
    String model;

    @Option(names = "--horizon", defaultValue = "5", paramLabel = "H", description = "Steps to predict (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--episodes", paramLabel = "WHICH", defaultValue = "held-out", description = "held-out (every tenth episode) or all (default: ${DEFAULT-VALUE}).")
    String episodes;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--cache", paramLabel = "DIR", description = "Latent cache folder (default: as 'wmpc train predictor').")
    Path cache;

    @Option(names = "--camera", paramLabel = "KEY", description = "Camera feature to encode (default: the dataset's first).")
    String camera;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "N", description = "Frames per latent step, as in training (default: ${DEFAULT-VALUE}).")
    int stride;

    @Override public Integer call() {
        common.applyLogging();
        if (!Files.isDirectory(data)) throw WmpcException.usage("--data " + data + " is not a folder: pass a dataset folder");
        if (horizon < 1) throw WmpcException.usage("--horizon must be >= 1, got " + horizon);
        if (!episodes.equals("held-out") && !episodes.equals("all"))
            throw WmpcException.usage("--episodes must be held-out or all, got '" + episodes + "'");
        Device dev = VideoEncoder.parseDevice(device);
        Path modelDir = DefaultModel.predictor(model);
        Path encoder = DefaultModel.encoder(encoderOption);
        LatentCache latents;
        try (VideoEncoder enc = VideoEncoder.load(encoder, dev)) {
            latents = LatentCache.openOrBuild(TrainPredictorCommand.cacheRoot(cache), data, encoder, enc, camera, stride,
                    (done, total) -> TrainPredictorCommand.progress(System.err, "encoding", done, total, ""));
        }
        List<Integer> which = episodes.equals("all") || latents.heldOut().isEmpty()
                ? java.util.stream.IntStream.range(0, latents.episodes()).boxed().toList() : latents.heldOut();
        try (AcPredictor predictor = AcPredictor.load(modelDir, dev)) {
            var c = predictor.config();
            var s = latents.spec();
            if (c.latentDim() != s.latentDim() || c.tokens() != s.tokens() || c.stateDim() != s.stateDim()
                    || c.actionDim() != s.actionDim())
                throw new WmpcException("predictor " + modelDir + " expects " + c.tokens() + " tokens of " + c.latentDim()
                        + ", state " + c.stateDim() + ", action " + c.actionDim() + " but the encoded dataset has "
                        + s.tokens() + " tokens of " + s.latentDim() + ", state " + s.stateDim() + ", action "
                        + s.actionDim() + ": pass the encoder and dataset it was trained with");
            WorldModelEval.Report r = WorldModelEval.evaluate(predictor, latents, which, horizon, 64);
            System.out.printf(Locale.ROOT, "world model %s on %d episodes (%d starts):%n", modelDir, which.size(), r.samples());
            for (int h = 0; h < horizon; h++)
                System.out.printf(Locale.ROOT, "  step %d: L1 %.4f   copy-last %.4f   ratio %.2f%n", h + 1, r.l1().get(h),
                        r.copyLastL1().get(h), r.l1().get(h) / r.copyLastL1().get(h));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", modelDir.toString());
            json.put("episodes", which);
            json.put("starts", r.samples());
            json.put("horizon", horizon);
            json.put("l1", r.l1());
            json.put("copy_last_l1", r.copyLastL1());
            common.report(json);
        }
        return 0;
    }
}
