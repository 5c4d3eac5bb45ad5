package dev.wmpc.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 a real recording process at random moments; the dataset must validate and resume must lose nothing saved. */
class CrashSafetyTest {
    @TempDir Path dir;

    private record Run(Set<Long> saved, boolean done) {}

    /**
     * Runs the child; unless {@code killAfterSaved} is 0, kills it {@code extraMs} after it reported that many more
     * episodes durable: the kill lands mid-recording however fast the machine is.
     */
    private Run runChild(Path root, int episodes, int killAfterSaved, long extraMs) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path childTmp = java.nio.file.Files.createDirectories(dir.resolve("child-tmp"));
        ProcessBuilder pb = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + childTmp,
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), root.toString(), String.valueOf(episodes), "7", "12");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Set<Long> saved = java.util.Collections.synchronizedSet(new HashSet<>());
        boolean[] done = {false};
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("OPEN ")) opened.countDown();
                    if (line.startsWith("SAVED ")) saved.add(Long.parseLong(line.substring(6)));
                    if (line.equals("DONE")) done[0] = true;
                }
            } catch (Exception ignored) { /* the process was killed */ }
        });
        reader.start();
        // Kill at a random moment after the dataset is open (recording, staging or folding files in).
        if (killAfterSaved > 0 && opened.await(30, TimeUnit.SECONDS)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (saved.size() < killAfterSaved && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(1);
            if (!p.waitFor(extraMs, TimeUnit.MILLISECONDS)) p.destroyForcibly(); // SIGKILL on Linux
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);
        // DuckDB copies its ~60 MB native library into the temp folder and deletes it only at a normal exit; the
        // dataset removes the copy once loaded, so a SIGKILL leaves none behind.
        try (var left = java.nio.file.Files.list(childTmp)) {
            assertThat(left.map(f -> f.getFileName().toString())).as("DuckDB library copies left by the child")
                    .noneMatch(n -> n.startsWith(DuckNativeCopies.PREFIX));
        }
        return new Run(Set.copyOf(saved), done[0]);
    }

    @Test void killedAtRandomMomentsLosesNothingSavedAndResumes() throws Exception {
        Path root = dir.resolve("ds");
        int episodes = 40;
        Random random = new Random(1234);
        Set<Long> everSaved = new HashSet<>();
        List<Integer> afterKill = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            Run r = runChild(root, episodes, 1 + random.nextInt(6), random.nextInt(15));
            everSaved.addAll(r.saved());
            if (r.done()) break;
            DatasetValidator.Report rep = DatasetValidator.validate(root);
            assertThat(rep.problems()).as("dataset after kill %d", round).isEmpty();
            afterKill.add(rep.episodes() + rep.stagedEpisodes());
            // Everything the child reported durable is committed or staged.
            assertThat(rep.episodes() + rep.stagedEpisodes()).isGreaterThanOrEqualTo(everSaved.size());
        }
        System.out.println("crash test: durable episodes after each kill " + afterKill);
        assertThat(afterKill).as("some kill landed mid-recording").anyMatch(n -> n > 0 && n < episodes);
        Run last = runChild(root, episodes, 0, 0);
        assertThat(last.done()).isTrue();
        everSaved.addAll(last.saved());
        DatasetValidator.Report rep = DatasetValidator.validate(root);
        assertThat(rep.problems()).isEmpty();
        assertThat(rep.episodes()).isEqualTo(episodes);
        assertThat(rep.stagedEpisodes()).isZero();
        DatasetMeta meta = DatasetMeta.load(root);
        Set<Long> seeds = meta.seeds();
        assertThat(seeds).hasSize(episodes).containsAll(everSaved);
        // Episodes are intact: lengths follow from the seed and the frames decode to the synthetic images.
        try (EpisodeDataset ds = EpisodeDataset.open(root)) {
            for (int e = 0; e < ds.episodes(); e += 5) {
                long s = meta.episodes().get(e).seed();
                assertThat(ds.length(e)).isEqualTo(3 + (int) (s % 5));
                SyntheticRobot robot = new SyntheticRobot(64);
                var obs = robot.reset(s);
                assertThat(VideoRoundTripTest.meanAbsDiff(ds.clip(e, 0, 1).frames()[0], obs.primaryFrame().data())).isLessThan(8.0);
            }
        }
    }
}
