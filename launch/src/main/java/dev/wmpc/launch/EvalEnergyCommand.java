package dev.wmpc.launch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.ConvEncoder;
import dev.wmpc.perception.FrameEncoder;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.policy.PolicyKind;
import dev.wmpc.sim.render.EglSceneRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc eval energy}: does the encoder give the planner an energy it can descend? Runs the scripted expert on
 * held-out seeds and, at every step, compares the planner's energy (mean L1 between the frame's latent and the goal
 * image's latent, both layer-normalised as the planner sees them) with the true distance to the goal. A usable
 * encoder ranks frames by distance (Spearman ρ near 1) and its energy falls whenever the expert gets closer. The same
 * architecture at random init and raw pixels are scored alongside as baselines.
 */
@Command(name = "energy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score the latent energy the planner descends: along the scripted expert's path on held-out seeds,",
                "how well the L1 distance between the frame's latent and the goal image's latent follows the true distance",
                "to the goal (Spearman rho per episode, and the share of steps where both fall together). The same",
                "encoder at random init and raw pixels are scored as baselines."})
public final class EvalEnergyCommand implements Runnable {
    @Mixin CommonOptions common;

    @Option(names = "--task", defaultValue = "reach", paramLabel = "TASK", description = "reach, push or pick-place (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--model", defaultValue = "default", paramLabel = "default|DIR",
            description = "Model folder (its encoder/ is scored), an encoder folder, or default (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--episodes", defaultValue = "10", paramLabel = "N", description = "Expert episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed-start", defaultValue = "100000", paramLabel = "S",
            description = "Episode i uses seed S + i; the default is held out from data-collection seeds (default: ${DEFAULT-VALUE}).")
    long seedStart;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    /** One encoder's (or the pixels') scores over all episodes. */
    record Score(double spearman, double descentAgreement, double goalToStartRatio) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("spearman", finite(spearman));
            m.put("descent_agreement", finite(descentAgreement));
            m.put("goal_to_start_ratio", finite(goalToStartRatio));
            return m;
        }
    }

    @Override public void run() {
        common.applyLogging();
        Task t = SimChoices.task(task);
        if (episodes < 1) throw WmpcException.usage("--episodes " + episodes + " must be at least 1");
        Path encoderDir = encoderFolder(model);
        var dev = VideoEncoder.parseDevice(device);
        try (FrameEncoder trained = loadEncoder(encoderDir, dev); FrameEncoder random = randomLike(trained)) {
            int size = trained.imageSize();
            SimConfig sc = SimConfig.defaults(t).withCameraSize(size);
            List<double[]> dist = new ArrayList<>();
            List<double[]> eTrained = new ArrayList<>(), eRandom = new ArrayList<>(), ePixels = new ArrayList<>();
            try (SimRobot sim = new SimRobot(sc, new EglSceneRenderer())) {
                Policy expert = PolicyKind.EXPERT.create(sim, 0);
                for (int i = 0; i < episodes; i++) {
                    long seed = seedStart + i;
                    Observation obs = sim.reset(seed);
                    expert.reset(seed);
                    CameraFrame goal = sim.goalFrames().get(0);
                    List<CameraFrame> frames = new ArrayList<>();
                    List<Double> d = new ArrayList<>();
                    frames.add(obs.primaryFrame());
                    d.add(sim.distanceToGoal());
                    while (!sim.done()) {
                        sim.act(expert.act(obs));
                        obs = sim.observe();
                        frames.add(obs.primaryFrame());
                        d.add(sim.distanceToGoal());
                    }
                    dist.add(d.stream().mapToDouble(Double::doubleValue).toArray());
                    eTrained.add(energies(trained, frames, goal));
                    eRandom.add(energies(random, frames, goal));
                    ePixels.add(pixelEnergies(frames, goal));
                }
            }
            Score st = score(eTrained, dist), sr = score(eRandom, dist), sp = score(ePixels, dist);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task", t.name());
            out.put("episodes", episodes);
            out.put("encoder", encoderDir.toString());
            out.putAll(st.json());
            out.put("random_init", sr.json());
            out.put("pixels", sp.json());
            if (!common.json) {
                System.out.printf(Locale.ROOT, "%s, %d expert episodes: energy vs true distance to the goal%n", t.name(), episodes);
                System.out.printf(Locale.ROOT, "  %-12s spearman %.3f  falls with distance %.0f%% of steps  goal/start energy %.2f%n", "encoder", st.spearman(), 100 * st.descentAgreement(), st.goalToStartRatio());
                System.out.printf(Locale.ROOT, "  %-12s spearman %.3f  falls with distance %.0f%% of steps  goal/start energy %.2f%n", "random init", sr.spearman(), 100 * sr.descentAgreement(), sr.goalToStartRatio());
                System.out.printf(Locale.ROOT, "  %-12s spearman %.3f  falls with distance %.0f%% of steps  goal/start energy %.2f%n", "pixels", sp.spearman(), 100 * sp.descentAgreement(), sp.goalToStartRatio());
            }
            common.report(out);
        }
    }

    /** {@code default}, a model folder (with encoder/) or an encoder folder. */
    static Path encoderFolder(String model) {
        if (model.equals(DefaultModel.DEFAULT)) return DefaultModel.encoder(model);
        Path dir = DefaultModel.resolve(model);
        Path sub = dir.resolve(dev.wmpc.planner.LearnedWorldModel.ENCODER_DIR);
        return java.nio.file.Files.isDirectory(sub) ? sub : dir;
    }

    /**
     * The planner's energy of each frame: mean |z - g| over tokens and width, with z and g layer-normalised per token
     * (no affine), as {@code LearnedWorldModel} feeds them to the predictor and the planner compares them.
     */
    static double[] energies(FrameEncoder enc, List<CameraFrame> frames, CameraFrame goal) {
        float[] g = latent(enc, goal);
        double[] e = new double[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            float[] z = latent(enc, frames.get(i));
            double s = 0;
            for (int k = 0; k < z.length; k++) s += Math.abs(z[k] - g[k]);
            e[i] = s / z.length;
        }
        return e;
    }

    private static float[] latent(FrameEncoder enc, CameraFrame frame) {
        try (NDManager m = NDManager.newBaseManager(enc.device())) {
            float[] v = enc.encodeFrame(m, frame).toFloatArray(); // [N, D]
            dev.wmpc.planner.StateReadout.layerNorm(v, enc.width());
            return v;
        }
    }

    /** The encoder in {@code dir}: the end-to-end world model's CNN, or a V-JEPA encoder. */
    static FrameEncoder loadEncoder(Path dir, ai.djl.Device dev) {
        return ConvEncoder.isConvEncoder(dir) ? ConvEncoder.load(dir, dev) : VideoEncoder.load(dir, dev);
    }

    /** The same architecture at random init (the baseline a trained encoder must beat). */
    static FrameEncoder randomLike(FrameEncoder e) {
        return switch (e) {
            case ConvEncoder c -> ConvEncoder.create(c.config(), c.device(), 12345);
            case VideoEncoder v -> VideoEncoder.create(v.config(), 12345, v.device());
            default -> throw new IllegalArgumentException("unknown encoder " + e.getClass().getSimpleName());
        };
    }

    static double[] pixelEnergies(List<CameraFrame> frames, CameraFrame goal) {
        byte[] g = goal.toRgb8().data();
        double[] e = new double[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i).toRgb8().data();
            long s = 0;
            for (int k = 0; k < f.length; k++) s += Math.abs((f[k] & 0xff) - (g[k] & 0xff));
            e[i] = s / (255.0 * f.length);
        }
        return e;
    }

    /** Mean per-episode Spearman ρ, share of steps with a ≥ 1 cm fall in distance whose energy also falls, and the mean ratio of the last frame's energy to the first's. */
    static Score score(List<double[]> energy, List<double[]> distance) {
        double rho = 0, ratio = 0;
        int n = 0, agree = 0, falls = 0;
        for (int i = 0; i < energy.size(); i++) {
            double[] e = energy.get(i), d = distance.get(i);
            double r = spearman(e, d);
            if (Double.isFinite(r)) { rho += r; n++; }
            ratio += e[e.length - 1] / Math.max(e[0], 1e-12);
            for (int k = 1; k < e.length; k++)
                if (d[k] < d[k - 1] - 0.01) {
                    falls++;
                    if (e[k] < e[k - 1]) agree++;
                }
        }
        return new Score(n == 0 ? Double.NaN : rho / n, falls == 0 ? Double.NaN : (double) agree / falls, ratio / energy.size());
    }

    static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0), mb = Arrays.stream(rb).average().orElse(0);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /** Ranks from 1, ties sharing their mean rank. */
    static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) j++;
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) r[idx[k]] = mean;
            i = j + 1;
        }
        return r;
    }

    private static Double finite(double v) { return Double.isFinite(v) ? v : null; }
}
