package dev.wmpc.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wmpc.core.WmpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRoundTripTest {
    @TempDir Path dir;

    static DatasetSpec spec(SyntheticRobot r) { return DatasetSpec.of(r, 5, "synthetic"); }

    /** Collects with the collector and checks every frame, state and action read back. */
    @Test void collectedEpisodesReadBackExactly() throws Exception {
        Path root = dir.resolve("ds");
        SyntheticRobot robot = new SyntheticRobot(64);
        Collector.Plan plan = new Collector.Plan("push the cube", 6, 42, 9, 2);
        Collector.EpisodeEnd<SyntheticRobot> end = (r, o, step) -> new Collector.Status(step == 6, step == 6);
        try (DatasetWriter w = DatasetWriter.open(root, spec(robot), DatasetWriter.Options.defaults().withFramesPerFile(20))) {
            Collector.Result res = Collector.of(() -> new SyntheticRobot(64), SyntheticPolicy::new, end).run(w, plan, null);
            assertThat(res.recorded()).isEqualTo(6);
            assertThat(res.frames()).isEqualTo(6 * 7);
            assertThat(res.successes()).isEqualTo(6);
        }
        assertThat(DatasetValidator.validate(root).problems()).isEmpty();
        DatasetMeta meta = DatasetMeta.load(root);
        assertThat(meta.info().totalEpisodes()).isEqualTo(6);
        assertThat(meta.info().totalFrames()).isEqualTo(42);
        assertThat(meta.tasks()).containsExactly("push the cube");
        // framesPerFile=20 folds every 3 episodes: several data and video files, many episodes per file.
        assertThat(DatasetMeta.parquetFiles(root.resolve("data"))).hasSizeGreaterThan(1);
        assertThat(meta.episodes().stream().filter(e -> e.dataFile() == 0).count()).isGreaterThan(1);
        try (EpisodeDataset ds = EpisodeDataset.open(root)) {
            for (int e = 0; e < ds.episodes(); e++) {
                long seed = meta.episodes().get(e).seed();
                Clip c = ds.clip(e, 0, ds.length(e));
                // Replay the episode from its seed: same states, actions and images.
                SyntheticRobot replay = new SyntheticRobot(64);
                SyntheticPolicy pol = new SyntheticPolicy();
                var obs = replay.reset(seed);
                pol.reset(seed);
                for (int t = 0; t < c.length(); t++) {
                    assertThat(c.states()[t]).containsExactly(obs.state().toVector());
                    // H.264 is lossy: close to the frame recorded, far from the same scene of another seed.
                    assertThat(VideoRoundTripTest.meanAbsDiff(c.frames()[t], obs.primaryFrame().data())).isLessThan(8.0);
                    assertThat(VideoRoundTripTest.meanAbsDiff(c.frames()[t], SyntheticRobot.image(obs.state().eePosition(), seed + 1, 64))).isGreaterThan(10.0);
                    var applied = (dev.wmpc.core.Action.EndEffectorDelta) replay.act(pol.act(obs));
                    assertThat(c.actions()[t]).containsExactly(applied.toVector());
                    obs = replay.observe();
                }
            }
            assertThat(ds.decodedEpisodes()).isEqualTo(6);
            ds.clip(3, 2, 4);
            assertThat(ds.decodedEpisodes()).isEqualTo(6); // cached
        }
    }

    @Test void resumedCollectionSkipsRecordedSeedsAndCacheStaysBounded() {
        Path root = dir.resolve("ds");
        Collector<SyntheticRobot> collector = Collector.of(() -> new SyntheticRobot(64), SyntheticPolicy::new, Collector.EpisodeEnd.never());
        try (DatasetWriter w = DatasetWriter.open(root, spec(new SyntheticRobot(64)), DatasetWriter.Options.defaults())) {
            assertThat(collector.run(w, new Collector.Plan("reach", 5, 9, 6, 2), null).recorded()).isEqualTo(5);
        }
        try (DatasetWriter w = DatasetWriter.open(root, spec(new SyntheticRobot(64)), DatasetWriter.Options.defaults().withResume(true))) {
            Collector.Result r = collector.run(w, new Collector.Plan("reach", 12, 9, 6, 2), null);
            assertThat(r.skipped()).isEqualTo(5);
            assertThat(r.recorded()).isEqualTo(7);
        }
        DatasetMeta meta = DatasetMeta.load(root);
        assertThat(meta.episodes()).hasSize(12);
        assertThat(meta.seeds()).hasSize(12);
        for (int i = 0; i < 12; i++) assertThat(meta.seeds()).contains(Collector.episodeSeed(9, i));
        assertThat(DatasetValidator.validate(root).problems()).isEmpty();
        // A cache budget of ~3 episodes: sampling across all 12 keeps at most that much decoded.
        long episodeBytes = 6L * 64 * 64 * 3;
        try (EpisodeDataset ds = EpisodeDataset.open(root, 3 * episodeBytes)) {
            ClipSampler sampler = new ClipSampler(ds, 4, 1);
            for (int i = 0; i < 200; i++) {
                Clip c = sampler.next();
                assertThat(c.frames().length).isEqualTo(4);
                assertThat(ds.cachedBytes()).isLessThanOrEqualTo(3 * episodeBytes);
            }
            assertThat(ds.decodedEpisodes()).isGreaterThan(12);
        }
        // Same seed, same clips.
        try (EpisodeDataset a = EpisodeDataset.open(root); EpisodeDataset b = EpisodeDataset.open(root)) {
            Clip x = new ClipSampler(a, 3, 5).next(), y = new ClipSampler(b, 3, 5).next();
            assertThat(x.episode()).isEqualTo(y.episode());
            assertThat(x.start()).isEqualTo(y.start());
            assertThat(x.frames()[2]).isEqualTo(y.frames()[2]);
        }
    }

    @Test void appendingDifferentFeaturesIsRefusedNamingTheDifference() {
        Path root = dir.resolve("ds");
        try (DatasetWriter w = DatasetWriter.open(root, spec(new SyntheticRobot(64)), DatasetWriter.Options.defaults())) {
            w.append(record(new SyntheticRobot(64), 1, 5));
        }
        assertThatThrownBy(() -> DatasetWriter.open(root, spec(new SyntheticRobot(32)), DatasetWriter.Options.defaults().withResume(true)))
                .isInstanceOf(WmpcException.class).hasMessageContaining("observation.images.front").hasMessageContaining("shape differs");
        DatasetSpec tenFps = new DatasetSpec(10, "synthetic", spec(new SyntheticRobot(64)).cameras(), spec(new SyntheticRobot(64)).stateNames(),
                spec(new SyntheticRobot(64)).actionNames());
        assertThatThrownBy(() -> DatasetWriter.open(root, tenFps, DatasetWriter.Options.defaults().withResume(true)))
                .isInstanceOf(WmpcException.class).hasMessageContaining("fps differs: dataset has 5, new data has 10");
        assertThatThrownBy(() -> DatasetWriter.open(root, spec(new SyntheticRobot(64)), DatasetWriter.Options.defaults()))
                .isInstanceOf(WmpcException.class).hasMessageContaining("--resume");
        assertThat(DatasetValidator.validate(root).problems()).isEmpty();
    }

    @Test void diskFullIsAClearErrorAndFinishedEpisodesStayIntact() throws Exception {
        Path root = dir.resolve("ds");
        SyntheticRobot robot = new SyntheticRobot(64);
        DatasetWriter w = DatasetWriter.open(root, spec(robot), DatasetWriter.Options.defaults().withFramesPerFile(8));
        w.append(record(robot, 1, 5));
        w.append(record(robot, 2, 5));
        // The next staged file lands on a device that is always full.
        Path next = StagedEpisode.file(root, 2);
        Files.createSymbolicLink(Durable.tmpFor(next), Path.of("/dev/full"));
        assertThatThrownBy(() -> w.append(record(robot, 3, 5))).isInstanceOf(WmpcException.class)
                .hasMessageContaining("cannot save episode 2").hasMessageContaining("No space left on device")
                .hasMessageContaining("2 finished episodes are intact");
        w.close();
        assertThat(DatasetValidator.validate(root).problems()).isEmpty();
        assertThat(DatasetMeta.load(root).episodes()).hasSize(2);
        // A directory that is a file: clear error.
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertThatThrownBy(() -> DatasetWriter.open(file, spec(robot), DatasetWriter.Options.defaults()))
                .isInstanceOf(WmpcException.class).hasMessageContaining("it is a file");
    }

    @Test void diskFullWhileFoldingKeepsStagedEpisodesForResume() throws Exception {
        Path root = dir.resolve("ds");
        SyntheticRobot robot = new SyntheticRobot(64);
        DatasetWriter w = DatasetWriter.open(root, spec(robot), DatasetWriter.Options.defaults());
        w.append(record(robot, 1, 5));
        w.append(record(robot, 2, 5));
        Path dataTmp = Durable.tmpFor(root.resolve("videos/observation.images.front/chunk-000/file-000.mp4"));
        Files.createDirectories(dataTmp.getParent());
        Files.createSymbolicLink(dataTmp, Path.of("/dev/full"));
        assertThatThrownBy(w::flush).isInstanceOf(WmpcException.class).hasMessageContaining("No space left on device")
                .hasMessageContaining("staged episodes are kept");
        // Nothing half-written is visible; the two episodes wait, durable, in staging.
        var rep = DatasetValidator.validate(root);
        assertThat(rep.problems()).isEmpty();
        assertThat(rep.episodes()).isZero();
        assertThat(rep.stagedEpisodes()).isEqualTo(2);
        assertThat(Files.exists(dataTmp)).isFalse();
        // Space is back: the next fold (here on close) succeeds.
        w.close();
        rep = DatasetValidator.validate(root);
        assertThat(rep.problems()).isEmpty();
        assertThat(rep.episodes()).isEqualTo(2);
        assertThat(rep.stagedEpisodes()).isZero();
    }

    static RecordedEpisode record(SyntheticRobot robot, long seed, int steps) {
        SyntheticPolicy p = new SyntheticPolicy();
        var obs = robot.reset(seed);
        p.reset(seed);
        try (EpisodeRecorder rec = new EpisodeRecorder(spec(robot), "task " + (seed % 2), seed)) {
            for (int i = 0; i < steps; i++) {
                var a = robot.act(p.act(obs));
                rec.add(obs, a, i == steps - 1, false);
                obs = robot.observe();
            }
            return rec.finish(seed % 2 == 0);
        }
    }

    @Test void environmentStateIsRecordedValidatedAndReadBack() throws Exception {
        Path root = dir.resolve("env");
        Collector.EpisodeEnd<SyntheticRobot> end = (r, o, step) -> new Collector.Status(step == 4, step == 4);
        DatasetSpec spec = spec(new SyntheticRobot(32, true));
        assertThat(spec.environmentNames()).containsExactly("cube_x", "cube_y", "cube_z");
        try (DatasetWriter w = DatasetWriter.open(root, spec, DatasetWriter.Options.defaults())) {
            Collector.of(() -> new SyntheticRobot(32, true), SyntheticPolicy::new, end).run(w, new Collector.Plan("push", 2, 3, 9, 1), null);
        }
        assertThat(DatasetValidator.validate(root).problems()).isEmpty();
        DatasetMeta meta = DatasetMeta.load(root);
        assertThat(meta.info().features().get("observation.environment_state")).isEqualTo(Feature.vector("float32", SyntheticRobot.CUBE_NAMES));
        try (EpisodeDataset ds = EpisodeDataset.open(root)) {
            assertThat(ds.environmentNames()).containsExactly("cube_x", "cube_y", "cube_z");
            assertThat(ds.environmentDim()).isEqualTo(3);
            for (int e = 0; e < ds.episodes(); e++) {
                long seed = meta.episodes().get(e).seed();
                Clip c = ds.clip(e, 0, ds.length(e));
                SyntheticRobot replay = new SyntheticRobot(32, true);
                SyntheticPolicy pol = new SyntheticPolicy();
                var obs = replay.reset(seed);
                pol.reset(seed);
                for (int t = 0; t < c.length(); t++) {
                    assertThat(c.environmentStates()[t]).containsExactly(obs.environment().values());
                    assertThat(c.states()[t]).containsExactly(obs.state().toVector());
                    replay.act(pol.act(obs));
                    obs = replay.observe();
                }
            }
        }
        // Appending data without environment state to this dataset (or the other way round) is refused by name.
        assertThatThrownBy(() -> DatasetWriter.open(root, spec(new SyntheticRobot(32)), DatasetWriter.Options.defaults().withResume(true)))
                .isInstanceOf(WmpcException.class).hasMessageContaining("records 'observation.environment_state' but the new data has none");
        Path plain = dir.resolve("plain");
        try (DatasetWriter w = DatasetWriter.open(plain, spec(new SyntheticRobot(32)), DatasetWriter.Options.defaults())) {
            w.append(record(new SyntheticRobot(32), 1, 3));
        }
        assertThatThrownBy(() -> DatasetWriter.open(plain, spec, DatasetWriter.Options.defaults().withResume(true)))
                .isInstanceOf(WmpcException.class).hasMessageContaining("has no 'observation.environment_state'");
        // Datasets without it read as before, with empty environment states.
        try (EpisodeDataset ds = EpisodeDataset.open(plain)) {
            assertThat(ds.environmentDim()).isZero();
            assertThat(ds.environmentNames()).isEmpty();
            assertThat(ds.clip(0, 0, 3).environmentStates()).hasDimensions(3, 0);
        }
        // A robot whose observations lack the recorded environment state is refused naming both.
        try (EpisodeRecorder rec = new EpisodeRecorder(spec, "push", 1)) {
            var obs = new SyntheticRobot(32).reset(1);
            assertThatThrownBy(() -> rec.add(obs, new float[] {0, 0, 0, 1}, false, false))
                    .hasMessageContaining("[]").hasMessageContaining("[cube_x, cube_y, cube_z]");
        }
    }

    /**
     * Frames given their times (as the ROS 2 recorder does from message stamps) keep them: timestamps on the 1/fps grid
     * with a hole where a frame is missing, never one frame apart across it; the video puts each frame at its row's
     * timestamp (where LeRobot looks it up), the next episode in the same mp4 included, and the staged file keeps them.
     */
    @Test void framesGivenTheirTimesKeepThemWithHoles() throws Exception {
        Path root = dir.resolve("timed");
        SyntheticRobot robot = new SyntheticRobot(32);
        DatasetSpec spec = spec(robot); // 5 fps
        double[] seconds = {0, 0.21, 0.58, 0.61, 1.0}; // a frame missing at 0.4; 0.61 rounds onto 0.58's place: one frame later
        List<List<byte[]>> images = new java.util.ArrayList<>();
        RecordedEpisode timed, even;
        try (EpisodeRecorder rec = new EpisodeRecorder(spec, "timed", 1)) {
            List<byte[]> shown = new java.util.ArrayList<>();
            var obs = robot.reset(1);
            for (double t : seconds) {
                shown.add(obs.primaryFrame().data());
                rec.add(obs, robot.act(new dev.wmpc.core.Action.EndEffectorDelta(0.01, 0, 0, 1)), false, false, t);
                obs = robot.observe();
            }
            timed = rec.finish(false);
            images.add(shown);
        }
        assertThat(timed.ticks()).containsExactly(0, 1, 3, 4, 5);
        try (EpisodeRecorder rec = new EpisodeRecorder(spec, "timed", 2)) {
            List<byte[]> shown = new java.util.ArrayList<>();
            var obs = robot.reset(2);
            for (int i = 0; i < 4; i++) {
                shown.add(obs.primaryFrame().data());
                rec.add(obs, robot.act(new dev.wmpc.core.Action.EndEffectorDelta(0, 0.01, 0, 1)), false, false);
                obs = robot.observe();
            }
            even = rec.finish(false);
            images.add(shown);
        }
        Path staged = dir.resolve("staged.bin");
        Files.write(staged, new StagedEpisode(0, 0, 0, timed).toBytes());
        assertThat(StagedEpisode.read(staged).episode().ticks()).containsExactly(0, 1, 3, 4, 5);
        try (DatasetWriter w = DatasetWriter.open(root, spec, DatasetWriter.Options.defaults())) {
            w.append(timed);
            w.append(even);
        }
        assertThat(DatasetValidator.validate(root).problems()).isEmpty();
        List<Float> ts = new java.util.ArrayList<>();
        try (var c = Duck.open(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT timestamp FROM read_parquet(" + Duck.str(root.resolve("data").toAbsolutePath() + "/*/*.parquet") + ") ORDER BY index")) {
            while (rs.next()) ts.add(rs.getFloat(1));
        }
        assertThat(ts).containsExactly(0f, 0.2f, 0.6f, 0.8f, 1.0f, 0f, 0.2f, 0.4f, 0.6f);
        DatasetMeta meta = DatasetMeta.load(root);
        var second = meta.episodes().get(1).videos().get("observation.images.front");
        assertThat(second.fromTimestamp()).isCloseTo(1.2, org.assertj.core.api.Assertions.within(1e-9)); // after the first's 6 frame slots
        try (var r = new dev.wmpc.dataset.video.VideoReader(root.resolve(meta.info().videoFile("observation.images.front", 0, 0)))) {
            double[] times = r.packetTimes();
            double[] want = {0, 0.2, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8};
            assertThat(times).hasSize(want.length);
            for (int i = 0; i < want.length; i++) assertThat(times[i]).isCloseTo(want[i], org.assertj.core.api.Assertions.within(1e-4));
        }
        try (EpisodeDataset ds = EpisodeDataset.open(root)) {
            for (int e = 0; e < 2; e++) {
                Clip c = ds.clip(e, 0, ds.length(e));
                assertThat(c.length()).isEqualTo(images.get(e).size());
                for (int t = 0; t < c.length(); t++)
                    assertThat(VideoRoundTripTest.meanAbsDiff(c.frames()[t], images.get(e).get(t))).isLessThan(8.0);
            }
        }
    }

    @Test void specFeaturesListStateAndActionNames() {
        DatasetSpec s = spec(new SyntheticRobot(64));
        assertThat(s.features().get("observation.state").names()).containsExactly("j0", "j1", "ee_x", "ee_y", "ee_z", "ee_qx", "ee_qy", "ee_qz", "ee_qw", "gripper");
        assertThat(s.features().get("action").names()).isEqualTo(List.of("dx", "dy", "dz", "gripper"));
    }
}
