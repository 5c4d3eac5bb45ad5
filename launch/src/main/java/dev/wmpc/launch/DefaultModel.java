package dev.wmpc.launch;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.ConvEncoder;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where models live and how {@code --model default|DIR} finds one. A model folder holds {@code encoder/} (the video
 * encoder: config.json + encoder.params), {@code predictor/} (the action-conditioned predictor: config.json +
 * parameters.npz) and {@code manifest.json} (how it was trained: command, seed, data size, losses, times).
 *
 * <p>{@code default} is the shipped model, {@code models/default/} at the root of the wmpc checkout: under
 * {@code $WMPC_HOME} (set by {@code bin/wmpc}), else in the current directory or the nearest parent holding it.
 */
public final class DefaultModel {
    public static final String DEFAULT = "default";
    public static final String MANIFEST = "manifest.json";
    public static final Path FOLDER = Path.of("models", "default");
    /** The command that rebuilds the shipped model. */
    public static final String RECIPE = "wmpc train all --preset default --out models/default --seed 0";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a model folder holds, read from its config files (no weights loaded): the frames its encoder reads, the
     * latent per frame (tokens × width), the predictor, the manifest, and whether it is the end-to-end world model.
     */
    public record Info(Path dir, int imageSize, int tokens, int width, PredictorConfig predictor, JsonNode manifest,
                       boolean endToEnd) {}

    private DefaultModel() {}

    /** Resolves {@code default} or a folder, with this process's WMPC_HOME and working directory. */
    public static Path resolve(String model) {
        return resolve(model, System.getenv("WMPC_HOME"), Path.of("").toAbsolutePath());
    }

    static Path resolve(String model, String home, Path cwd) {
        if (model == null || model.isBlank()) model = DEFAULT;
        if (!model.equals(DEFAULT)) {
            Path dir = Path.of(model);
            if (!Files.isDirectory(dir))
                throw new WmpcException("--model " + model + " is not a folder: pass a model folder written by 'wmpc train all', or --model default");
            return dir;
        }
        if (home != null && !home.isBlank()) {
            Path dir = Path.of(home).resolve(FOLDER);
            if (Files.isRegularFile(dir.resolve(MANIFEST))) return dir;
            throw missing(dir);
        }
        for (Path p = cwd.toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolve(FOLDER);
            if (Files.isRegularFile(dir.resolve(MANIFEST))) return dir;
        }
        throw missing(cwd.toAbsolutePath().resolve(FOLDER));
    }

    /** The shipped model's encoder folder for {@code default}, else the folder given ({@code --encoder default|DIR}). */
    public static Path encoder(String encoder) {
        return part(encoder, LearnedWorldModel.ENCODER_DIR, System.getenv("WMPC_HOME"), Path.of("").toAbsolutePath());
    }

    /** The shipped model's predictor folder for {@code default}, else the folder given ({@code --model default|DIR}). */
    public static Path predictor(String predictor) {
        return part(predictor, LearnedWorldModel.PREDICTOR_DIR, System.getenv("WMPC_HOME"), Path.of("").toAbsolutePath());
    }

    /** {@code sub} (encoder or predictor) of the default model, found as {@link #resolve}; any other value is a folder. */
    static Path part(String value, String sub, String home, Path cwd) {
        if (value != null && !value.isBlank() && !value.equals(DEFAULT)) return Path.of(value);
        return resolve(DEFAULT, home, cwd).resolve(sub);
    }

    private static WmpcException missing(Path dir) {
        return new WmpcException("no default model at " + dir + ": build it with '" + RECIPE
                + "' in the wmpc checkout (about 30 min on 2 cores), or pass --model DIR");
    }

    /** Reads and cross-checks the folder's configs: encoder and predictor must fit together. */
    public static Info inspect(Path dir) {
        Path enc = dir.resolve(LearnedWorldModel.ENCODER_DIR), pred = dir.resolve(LearnedWorldModel.PREDICTOR_DIR);
        boolean conv = ConvEncoder.isConvEncoder(enc);
        if (!Files.isRegularFile(enc.resolve(VideoEncoder.CONFIG_FILE)) || !Files.isRegularFile(pred.resolve(AcPredictor.CONFIG_FILE)))
            throw new WmpcException("'" + dir + "' is not a wmpc model folder: expected " + LearnedWorldModel.ENCODER_DIR + "/"
                    + VideoEncoder.CONFIG_FILE + " and " + LearnedWorldModel.PREDICTOR_DIR + "/" + AcPredictor.CONFIG_FILE
                    + " (train one with 'wmpc train world-model' or 'wmpc train all')");
        PredictorConfig p = PredictorConfig.read(pred.resolve(AcPredictor.CONFIG_FILE));
        int size, tokens, width;
        if (conv) {
            ConvEncoder.Config c = ConvEncoder.Config.read(enc.resolve(ConvEncoder.CONFIG_FILE));
            size = c.imageSize();
            tokens = 1;
            width = c.latentDim();
        } else {
            EncoderConfig e = EncoderConfig.read(enc.resolve(VideoEncoder.CONFIG_FILE));
            size = e.imageSize();
            tokens = e.tokensPerTubelet();
            width = e.dim();
            if (e.gridSize() != p.gridHeight() || e.gridSize() != p.gridWidth()) tokens = -1;
        }
        if (tokens != p.tokens() || width != p.latentDim())
            throw new WmpcException("the model in " + dir + " does not fit together: its encoder gives "
                    + (tokens < 0 ? "another token grid" : tokens + " tokens") + " of width " + width + " per frame but its predictor reads "
                    + p.gridHeight() + "x" + p.gridWidth() + " tokens of width " + p.latentDim()
                    + "; retrain the model ('wmpc train world-model' trains both together)");
        JsonNode manifest = null;
        Path m = dir.resolve(MANIFEST);
        if (Files.isRegularFile(m)) {
            try {
                manifest = JSON.readTree(m.toFile());
            } catch (IOException ex) {
                throw new WmpcException(m + " is not valid JSON: " + ex.getMessage() + " (retrain with 'wmpc train all')", ex);
            }
        }
        return new Info(dir, size, tokens, width, p, manifest, conv);
    }

    /** Resolves, checks and loads a model for planning. Close it. */
    public static LearnedWorldModel load(String model, Device device) {
        Path dir = resolve(model);
        inspect(dir);
        return LearnedWorldModel.load(dir, device);
    }
}
