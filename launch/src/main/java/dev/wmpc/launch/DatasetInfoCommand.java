package dev.wmpc.launch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wmpc.dataset.DatasetSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wmpc dataset info DIR}: episodes, frames, fps, features, tasks, success rate and size of a LeRobot v3 dataset. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a LeRobot v3 dataset: episodes, frames, fps, features, tasks, success rate, size on disk.")
public final class DatasetInfoCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The dataset directory (holding meta/info.json).")
    Path dir;

    /** The JSON object of --json. */
    public record Report(String path, @JsonProperty("codebase_version") String codebaseVersion, @JsonProperty("robot_type") String robotType,
                         int episodes, long frames, int fps, List<String> tasks, List<String> cameras, Map<String, String> features,
                         @JsonProperty("success_rate") Double successRate, @JsonProperty("size_bytes") long sizeBytes,
                         @JsonProperty("staged_episodes") int stagedEpisodes, @JsonProperty("mean_episode_length") double meanEpisodeLength) {}

    @Override public Integer call() {
        common.applyLogging();
        DatasetSummary s = DatasetSummary.of(dir);
        System.out.printf("dataset %s (LeRobot %s, robot %s)%n", s.path(), s.codebaseVersion(), s.robotType());
        System.out.printf("  episodes %d, frames %d, fps %d, mean length %.1f frames (%.1f s)%n", s.episodes(), s.frames(), s.fps(),
                s.meanEpisodeLength(), s.meanEpisodeLength() / Math.max(1, s.fps()));
        System.out.printf("  success rate %s%n", s.successRate() == null ? "unknown"
                : String.format("%.1f%% (%d episodes with an outcome)", 100 * s.successRate(), s.episodesWithOutcome()));
        System.out.printf("  size %.2f MB%n", s.sizeBytes() / 1e6);
        System.out.println("  tasks:");
        for (int i = 0; i < s.tasks().size(); i++) System.out.printf("    %d: %s%n", i, s.tasks().get(i));
        System.out.println("  features:");
        s.features().forEach((k, v) -> System.out.printf("    %-32s %s%n", k, v));
        if (s.stagedEpisodes() > 0)
            System.out.printf("  %d staged episodes from an interrupted recording: resume it (--resume) to fold them in%n", s.stagedEpisodes());
        common.report(new Report(s.path(), s.codebaseVersion(), s.robotType(), s.episodes(), s.frames(), s.fps(), s.tasks(), s.cameras(),
                s.features(), s.successRate(), s.sizeBytes(), s.stagedEpisodes(), s.meanEpisodeLength()));
        return 0;
    }
}
