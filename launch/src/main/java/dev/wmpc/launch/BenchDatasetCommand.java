package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.core.WmpcException;
import dev.wmpc.dataset.DatasetBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wmpc bench dataset}: recording speed (frames/s into a LeRobot v3 dataset, H.264 encoding and fsync
 * included, one camera) and training-time clip sampling speed after warm-up.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Frames/s written to a LeRobot v3 dataset (one camera, encoding included) and clip-sampling frames/s after warm-up.")
public final class BenchDatasetCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--size", defaultValue = "64", paramLabel = "PIXELS", description = "Square camera size (even, default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--episodes", defaultValue = "100", paramLabel = "N", description = "Episodes to write (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--frames", defaultValue = "50", paramLabel = "N", description = "Frames per episode (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--clip", defaultValue = "8", paramLabel = "T", description = "Clip length for sampling (default: ${DEFAULT-VALUE}).")
    int clip;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "K", description = "Recording threads (default: ${DEFAULT-VALUE}).")
    int workers;

    /** The JSON object printed. */
    public record Report(String benchmark, int width, int height, int episodes, @JsonProperty("frames_written") long framesWritten,
                         @JsonProperty("write_seconds") double writeSeconds, @JsonProperty("write_frames_per_second") double writeFramesPerSecond,
                         @JsonProperty("write_frames_per_cpu_second") double writeFramesPerCpuSecond,
                         @JsonProperty("cold_read_frames_per_second") double coldReadFramesPerSecond, @JsonProperty("clip_length") int clipLength,
                         @JsonProperty("sample_frames_per_second") double sampleFramesPerSecond, @JsonProperty("dataset_bytes") long datasetBytes,
                         int workers, int cores) {}

    @Override public Integer call() {
        common.applyLogging();
        if (size < 16 || size > 1024 || size % 2 != 0) throw WmpcException.usage("--size " + size + " must be even, 16..1024");
        if (episodes < 1 || frames < 1) throw WmpcException.usage("--episodes and --frames must be at least 1");
        if (clip < 1 || clip > frames) throw WmpcException.usage("--clip " + clip + " must be 1.." + frames);
        if (workers < 1) throw WmpcException.usage("--workers must be at least 1");
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("wmpc-bench-dataset");
            DatasetBenchmark.Result r = DatasetBenchmark.run(tmp, size, episodes, frames, clip, workers);
            Report rep = new Report("dataset", size, size, episodes, r.framesWritten(), r.writeSeconds(), r.writeFramesPerSecond(),
                    r.writeFramesPerCpuSecond(), r.coldReadFramesPerSecond(), clip, r.sampleFramesPerSecond(), r.datasetBytes(), workers, Runtime.getRuntime().availableProcessors());
            System.out.printf("write %dx%d, 1 camera: %.0f frames/s (%d frames in %.2f s, %.1f KB/frame on disk)%n", size, size,
                    r.writeFramesPerSecond(), r.framesWritten(), r.writeSeconds(), r.datasetBytes() / 1024.0 / r.framesWritten());
            System.out.printf("  %.0f frames per CPU-second (%.2f CPU-s: on an idle 2-core machine about twice this is the wall-clock ceiling)%n",
                    r.writeFramesPerCpuSecond(), r.writeCpuSeconds());
            System.out.printf("read: %.0f frames/s decoding cold, %.0f frames/s sampling %d-frame clips warm%n",
                    r.coldReadFramesPerSecond(), r.sampleFramesPerSecond(), clip);
            System.out.println(CommonOptions.toJson(rep));
        } catch (IOException e) {
            throw new WmpcException("dataset benchmark failed: " + e.getMessage(), e);
        } finally {
            if (tmp != null) try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* temp dir */ }
        }
        return 0;
    }
}
