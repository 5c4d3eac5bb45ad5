package dev.wmpc.launch;

import dev.wmpc.dataset.DatasetValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code wmpc dataset validate DIR}: checks row counts against video frame counts, contiguous indices, tasks and
 * stats. Exit 0 when valid; exit 1 with one line per problem (file: problem) on stderr.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a LeRobot v3 dataset: data rows vs video frames per episode, contiguous indices, tasks, stats. "
                + "Exit 1 with each broken file and its problem.")
public final class DatasetValidateCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The dataset directory (holding meta/info.json).")
    Path dir;

    /** The JSON object of --json. */
    public record Report(String path, boolean ok, int episodes, long frames, List<DatasetValidator.Problem> problems,
                         @com.fasterxml.jackson.annotation.JsonProperty("staged_episodes") int stagedEpisodes) {}

    @Override public Integer call() {
        common.applyLogging();
        DatasetValidator.Report r = DatasetValidator.validate(dir);
        if (r.ok()) {
            System.out.printf("%s is a valid LeRobot v3 dataset: %d episodes, %d frames%n", dir, r.episodes(), r.frames());
            if (r.stagedEpisodes() > 0)
                System.out.printf("  %d staged episodes from an interrupted recording are not in it yet: resume the recording to fold them in%n", r.stagedEpisodes());
        } else {
            for (DatasetValidator.Problem p : r.problems()) System.err.println("wmpc: " + p);
            System.err.printf("wmpc: %s is not a valid dataset (%d problems)%n", dir, r.problems().size());
        }
        common.report(new Report(dir.toString(), r.ok(), r.episodes(), r.frames(), r.problems(), r.stagedEpisodes()));
        return r.ok() ? 0 : 1;
    }
}
