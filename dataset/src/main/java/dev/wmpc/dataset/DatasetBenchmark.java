package dev.wmpc.dataset;

import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.Observation;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Quat;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Measures the dataset's two hot paths on synthetic data: recording (RGB frames to H.264 + parquet, durable, one
 * camera) and training-time clip sampling after warm-up.
 */
public final class DatasetBenchmark {
    private DatasetBenchmark() {}

    /** Figures: frames/s written (encoding and fsync included), cold decode frames/s, clip sampling frames/s warm. */
    public record Result(int size, int episodes, int framesPerEpisode, long framesWritten, double writeSeconds, double writeFramesPerSecond,
                         double writeCpuSeconds, double writeFramesPerCpuSecond,
                         double coldReadFramesPerSecond, int clipLength, long clipsSampled, double sampleFramesPerSecond, long datasetBytes) {}

    public static Result run(Path workDir, int size, int episodes, int framesPerEpisode, int clipLength, int workers) throws IOException {
        Path root = workDir.resolve("bench-dataset");
        deleteTree(root);
        DatasetSpec spec = new DatasetSpec(5, "synthetic", List.of(new DatasetSpec.Camera("front", size, size)),
                List.of("j0", "j1", "j2", "j3", "j4", "j5", "ee_x", "ee_y", "ee_z", "ee_qx", "ee_qy", "ee_qz", "ee_qw", "gripper"),
                List.of("dx", "dy", "dz", "gripper"));
        // A pool of moving-gradient frames, made before timing starts.
        byte[][] pool = new byte[64][];
        for (int k = 0; k < pool.length; k++) {
            pool[k] = new byte[size * size * 3];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    int o = (y * size + x) * 3;
                    pool[k][o] = (byte) (x * 2 + k * 3); pool[k][o + 1] = (byte) (y * 2 + k); pool[k][o + 2] = (byte) ((x + y) + k * 5);
                }
        }
        // Warm-up: load the native codecs and DuckDB, JIT the hot loops.
        try (DatasetWriter w = DatasetWriter.open(workDir.resolve("bench-warmup"), spec, DatasetWriter.Options.defaults())) {
            for (int e = 0; e < 4; e++) w.append(episode(spec, pool, e, framesPerEpisode, size));
        }
        deleteTree(workDir.resolve("bench-warmup"));
        long t0 = System.nanoTime(), cpu0 = processCpuNanos();
        try (DatasetWriter w = DatasetWriter.open(root, spec, DatasetWriter.Options.defaults())) {
            Thread[] threads = new Thread[Math.max(1, workers)];
            RuntimeException[] error = new RuntimeException[1];
            for (int t = 0; t < threads.length; t++) {
                int worker = t;
                threads[t] = new Thread(() -> {
                    try {
                        for (int e = worker; e < episodes; e += threads.length) w.append(episode(spec, pool, e, framesPerEpisode, size));
                    } catch (RuntimeException ex) {
                        error[0] = ex;
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) t.join();
            if (error[0] != null) throw error[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        long frames = (long) episodes * framesPerEpisode;
        long bytes = treeSize(root);
        double cold, warm;
        long clips = 0;
        try (EpisodeDataset ds = EpisodeDataset.open(root)) {
            long c0 = System.nanoTime();
            for (int e = 0; e < ds.episodes(); e++) ds.clip(e, 0, 1);
            cold = frames / ((System.nanoTime() - c0) / 1e9);
            ClipSampler sampler = new ClipSampler(ds, clipLength, 7);
            for (int i = 0; i < 200; i++) sampler.next();
            long s0 = System.nanoTime();
            while (System.nanoTime() - s0 < 1_000_000_000L) { sampler.next(); clips++; }
            warm = clips * clipLength / ((System.nanoTime() - s0) / 1e9);
        }
        deleteTree(root);
        return new Result(size, episodes, framesPerEpisode, frames, writeSeconds, frames / writeSeconds, cpuSeconds,
                cpuSeconds > 0 ? frames / cpuSeconds : 0, cold, clipLength, clips, warm, bytes);
    }

    /** CPU time of this process (all threads): a figure that does not depend on what else the machine runs. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getProcessCpuTime();
        return 0;
    }

    private static RecordedEpisode episode(DatasetSpec spec, byte[][] pool, int e, int n, int size) {
        SplittableRandom r = new SplittableRandom(e);
        try (EpisodeRecorder rec = new EpisodeRecorder(spec, "benchmark task", e)) {
            for (int i = 0; i < n; i++) {
                double[] q = new double[6];
                for (int j = 0; j < 6; j++) q[j] = r.nextDouble(-1, 1);
                RobotState st = new RobotState(q, new Vec3(r.nextDouble(), r.nextDouble(), r.nextDouble()), Quat.IDENTITY, 1);
                CameraFrame f = new CameraFrame("front", size, size, PixelEncoding.RGB8, pool[(e + i) % pool.length], i * 0.2);
                rec.add(new Observation(Map.of("front", f), st, i * 0.2), new float[] {0.01f, 0, -0.01f, 1}, i == n - 1, false);
            }
            return rec.finish(false);
        }
    }

    private static long treeSize(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
