package dev.wmpc.launch;

import ai.djl.Device;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.video.EncodedVideo;
import dev.wmpc.dataset.video.Mp4Writer;
import dev.wmpc.planner.CemPlanner;
import dev.wmpc.planner.EnergyMode;
import dev.wmpc.planner.EpisodeMonitor;
import dev.wmpc.planner.EpisodeSummary;
import dev.wmpc.planner.PlannerKind;
import java.util.OptionalDouble;
import dev.wmpc.planner.EvalSummary;
import dev.wmpc.planner.GoalSequence;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.planner.MppiPlanner;
import dev.wmpc.planner.Planner;
import dev.wmpc.planner.PlannerConfig;
import dev.wmpc.planner.RandomPlanner;
import dev.wmpc.planner.RecedingHorizonController;
import dev.wmpc.planner.StepRecord;
import dev.wmpc.sim.SimConfig;
import dev.wmpc.sim.SimRobot;
import dev.wmpc.sim.Task;
import dev.wmpc.sim.render.EglSceneRenderer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc demo}: the default model planning in the simulator, headless. For each task, episodes run closed loop:
 * render the camera, encode it, plan with CEM in latent space toward the goal image's latent, act the first action,
 * repeat until success or the task's step budget. Prints success and plan times, writes an mp4 (camera beside goal)
 * and a PNG summary (a row of frames per episode, the goal last).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watch the default model plan: reach, push and pick-place episodes in the simulator, closed loop, headless.",
                "Writes OUT/demo.mp4 (camera | goal image) and OUT/demo.png, prints success rate and plan times."})
public final class DemoCommand implements Callable<Integer> {
    static final int SCALE = 4, CAPTION = 24, FPS = 5;

    @Mixin CommonOptions common;

    @Option(names = "--model", defaultValue = "default", paramLabel = "default|DIR",
            description = "The shipped model, or a model folder from 'wmpc train all' (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--episodes", defaultValue = "2", paramLabel = "N", description = "Episodes per task (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--tasks", defaultValue = "reach,push,pick-place", split = ",", paramLabel = "TASK",
            description = "Tasks to run, comma separated: reach, push, pick-place (default: ${DEFAULT-VALUE}).")
    List<String> tasks;

    @Option(names = "--planner", defaultValue = "cem", paramLabel = "NAME", description = "cem, mppi or random (default: ${DEFAULT-VALUE}).")
    String planner;

    @Option(names = "--seed", defaultValue = "1000", paramLabel = "S",
            description = "Episode i of a task uses seed S + i; the planner's randomness flows from it too (default: ${DEFAULT-VALUE}).")
    long seed;

    /** --samples, --iters, --horizon, --device, --threads (demo: 48 / 4 / 3). */
    @Mixin PlannerOptions plannerOptions = new PlannerOptions(48, 4, 3);

    @Option(names = "--max-steps", paramLabel = "N", description = "Step budget per episode (default: the task's episode length).")
    Integer maxSteps;

    @Mixin SimGoalOptions goals;

    @Option(names = "--out", defaultValue = "wmpc-out", paramLabel = "DIR", description = "Where demo.mp4 and demo.png go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override public Integer call() throws IOException {
        common.applyLogging();
        plannerOptions.applyThreads();
        if (episodes < 1) throw WmpcException.usage("--episodes " + episodes + " must be at least 1");
        if (maxSteps != null && maxSteps < 1) throw WmpcException.usage("--max-steps " + maxSteps + " must be at least 1");
        List<Task> taskList = new ArrayList<>();
        for (String t : tasks) taskList.add(SimChoices.task(t.trim()));
        String plannerName = planner.toLowerCase(Locale.ROOT);
        if (!List.of("cem", "mppi", "random").contains(plannerName))
            throw WmpcException.usage("unknown --planner '" + planner + "': choose one of cem, mppi, random");
        PlannerKind kind = PlannerKind.valueOf(plannerName.toUpperCase(Locale.ROOT));
        int samples = plannerOptions.samples();
        PlannerConfig config = plannerOptions.config(b -> b.topK(Math.max(2, Math.min(8, samples / 4))), "");
        Device dev = plannerOptions.device();
        Path dir = DefaultModel.resolve(model);
        DefaultModel.Info info = DefaultModel.inspect(dir);
        int size = info.imageSize();
        Files.createDirectories(out);
        long t0 = System.nanoTime();

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", dir.toString());
        report.put("planner", plannerName);
        report.put("samples", plannerOptions.samples());
        report.put("iterations", plannerOptions.iterations());
        report.put("horizon", plannerOptions.horizon());
        report.put("goals", goals.name());
        report.put("privileged", goals.privileged());
        List<EpisodeSummary> all = new ArrayList<>();
        List<BufferedImage> rows = new ArrayList<>();
        List<byte[]> videoFrames = new ArrayList<>();
        int videoW = 2 * size * SCALE, videoH = size * SCALE + CAPTION;
        Map<String, Object> perTask = new LinkedHashMap<>();
        try (LearnedWorldModel wm = LearnedWorldModel.load(dir, dev)) {
            report.putAll(plannerOptions.controller(kind, config, EnergyMode.SUM).describe(wm));
            for (Task task : taskList) {
                List<EpisodeSummary> results = new ArrayList<>();
                SimConfig sc = SimConfig.defaults(task).withCameraSize(size);
                int budget = maxSteps != null ? maxSteps : task.episodeLength();
                try (SimRobot sim = new SimRobot(sc, new EglSceneRenderer())) {
                    for (int i = 0; i < episodes; i++) {
                        long s = seed + i;
                        Observation obs = sim.reset(s);
                        GoalController.Goals goalSet = goals.goals(sim);
                        CameraFrame goalFrame = goalSet.images().get(goalSet.images().size() - 1);
                        RecedingHorizonController controller = plannerOptions.controller(kind, config, EnergyMode.SUM).build(wm, goalSet, s);
                        List<CameraFrame> frames = new ArrayList<>();
                        String label = task.name() + " #" + (i + 1);
                        EpisodeMonitor monitor = new EpisodeMonitor() {
                            @Override public boolean success(Observation o) { return sim.success(); }
                            @Override public OptionalDouble distance(Observation o) { return OptionalDouble.of(sim.distanceToGoal()); }
                        };
                        EpisodeSummary e = controller.run(sim, obs, s, monitor, budget, o -> {
                            frames.add(o.primaryFrame());
                            List<StepRecord> log = controller.steps();
                            StepRecord r = log.isEmpty() ? null : log.get(log.size() - 1);
                            videoFrames.add(compose(o.primaryFrame(), goalFrame, r == null ? label + "  start  d=" + fmt(sim.distanceToGoal())
                                    : String.format(Locale.ROOT, "%s  step %d  d=%s  plan %.0f ms%s", label, r.step() + 1,
                                    fmt(sim.distanceToGoal()), r.planMs(), r.held() ? "  HOLD" : "")));
                        });
                        boolean success = e.success();
                        int steps = e.steps();
                        results.add(e);
                        byte[] last = compose(frames.get(frames.size() - 1), goalFrame, label + (success ? "  SUCCESS" : "  not reached") + "  d=" + fmt(e.finalDistance()));
                        for (int k = 0; k < FPS; k++) videoFrames.add(last);
                        rows.add(row(frames, goalFrame));
                        double[] ms = e.planMs();
                        System.out.printf(Locale.ROOT, "%s episode %d (seed %d): %s after %d steps, final distance %.3f m, plan %.0f ms median%n",
                                task.name(), i + 1, s, success ? "success" : "failure", steps, e.finalDistance(),
                                ms.length == 0 ? 0 : EvalSummary.percentile(ms, 50));
                    }
                }
                EvalSummary es = EvalSummary.of(results);
                perTask.put(task.name(), es.toJsonMap());
                all.addAll(results);
                System.out.printf(Locale.ROOT, "%s: %d/%d succeeded (%.0f%%), plan p50 %.0f ms, p95 %.0f ms%n", task.name(),
                        Math.round(es.successRate() * es.episodes()), es.episodes(), 100 * es.successRate(), es.planMsP50(), es.planMsP95());
            }
        }
        Path mp4 = out.resolve("demo.mp4"), png = out.resolve("demo.png");
        writeVideo(mp4, videoFrames, videoW, videoH);
        writePng(png, rows);
        EvalSummary overall = EvalSummary.of(all);
        report.put("tasks", perTask);
        report.putAll(overall.toJsonMap());
        report.put("seconds", (System.nanoTime() - t0) / 1e9);
        report.put("video", mp4.toString());
        report.put("png", png.toString());
        System.out.printf(Locale.ROOT, "overall: %.0f%% success over %d episodes, plan p50 %.0f ms; %s and %s written (%.0f s)%n",
                100 * overall.successRate(), overall.episodes(), overall.planMsP50(), mp4, png, (System.nanoTime() - t0) / 1e9);
        common.report(report);
        return 0;
    }

    private static String fmt(double d) { return String.format(Locale.ROOT, "%.3f m", d); }

    /** Camera | goal, scaled up, with a caption bar on top, as RGB24. */
    static byte[] compose(CameraFrame camera, CameraFrame goal, String caption) {
        int w = camera.width() * SCALE, h = camera.height() * SCALE;
        BufferedImage img = new BufferedImage(2 * w, h + CAPTION, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(toImage(camera), 0, CAPTION, w, h, null);
            g.drawImage(toImage(goal), w, CAPTION, w, h, null);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(caption, 6, CAPTION - 7);
            g.drawString("goal", w + 6, CAPTION - 7);
        } finally {
            g.dispose();
        }
        byte[] rgb = new byte[img.getWidth() * img.getHeight() * 3];
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        for (int i = 0; i < px.length; i++) {
            rgb[3 * i] = (byte) (px[i] >> 16);
            rgb[3 * i + 1] = (byte) (px[i] >> 8);
            rgb[3 * i + 2] = (byte) px[i];
        }
        return rgb;
    }

    static BufferedImage toImage(CameraFrame f) {
        BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < f.height(); y++)
            for (int x = 0; x < f.width(); x++) {
                int[] p = f.rgbAt(x, y);
                img.setRGB(x, y, (p[0] << 16) | (p[1] << 8) | p[2]);
            }
        return img;
    }

    /** Up to 8 frames of the episode, evenly spaced from first to last, then the goal image, at 2x. */
    static BufferedImage row(List<CameraFrame> frames, CameraFrame goal) {
        int n = Math.min(8, frames.size());
        int[] pick = new int[n];
        for (int k = 0; k < n; k++) pick[k] = n == 1 ? 0 : (int) Math.round(k * (frames.size() - 1) / (double) (n - 1));
        int w = goal.width() * 2, h = goal.height() * 2;
        BufferedImage img = new BufferedImage((8 + 1) * w + 8, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            for (int k = 0; k < n; k++) g.drawImage(toImage(frames.get(pick[k])), k * w, 0, w, h, null);
            g.setColor(Color.DARK_GRAY);
            g.fillRect(8 * w, 0, 8, h);
            g.drawImage(toImage(goal), 8 * w + 8, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return img;
    }

    static void writePng(Path file, List<BufferedImage> rows) throws IOException {
        int w = rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = rows.stream().mapToInt(BufferedImage::getHeight).sum() + 4 * Math.max(0, rows.size() - 1);
        BufferedImage img = new BufferedImage(w, Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            int y = 0;
            for (BufferedImage r : rows) {
                g.drawImage(r, 0, y, null);
                y += r.getHeight() + 4;
            }
        } finally {
            g.dispose();
        }
        if (!javax.imageio.ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer for " + file);
    }

    static void writeVideo(Path file, List<byte[]> frames, int w, int h) throws IOException {
        EncodedVideo video;
        try (dev.wmpc.dataset.video.H264Encoder enc = new dev.wmpc.dataset.video.H264Encoder(w, h, FPS)) {
            for (byte[] f : frames) enc.encode(f);
            video = enc.finish();
        }
        Files.deleteIfExists(file);
        Mp4Writer.write(file, List.of(video));
    }
}
