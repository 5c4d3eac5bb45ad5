package dev.wmpc.perception;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.EnvironmentState;
import dev.wmpc.core.Observation;
import dev.wmpc.core.PixelEncoding;
import dev.wmpc.core.Quat;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.Vec3;
import dev.wmpc.dataset.DatasetSpec;
import dev.wmpc.dataset.DatasetWriter;
import dev.wmpc.dataset.EpisodeRecorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LeRobot dataset recorded with {@code observation.environment_state} (as {@code wmpc collect} writes it from the
 * simulator) gives the probe its object targets: the cube position comes from the environment state, not the
 * robot state, and the object R² is reported.
 */
class RecordedDatasetProbeTest {
    @TempDir Path dir;

    /** Records the moving-squares episodes: the red square is the end effector, the blue one the cube (environment state). */
    static Path record(Path root, boolean withEnvironment, int episodes, int length) {
        List<String> state = new ArrayList<>(List.of("j0"));
        state.addAll(RobotState.POSE_NAMES);
        DatasetSpec spec = new DatasetSpec(5, "squares", List.of(new DatasetSpec.Camera("front", 32, 32)), state,
                List.of("dx", "dy", "dz", "gripper"), withEnvironment ? List.of("cube_x", "cube_y", "cube_z") : List.of());
        try (MovingSquaresSource src = new MovingSquaresSource(episodes, length, 32, 5);
             DatasetWriter w = DatasetWriter.open(root, spec, DatasetWriter.Options.defaults())) {
            for (int e = 0; e < episodes; e++) {
                VideoClip c = src.clip(e, 0, length);
                try (EpisodeRecorder rec = new EpisodeRecorder(spec, "push the cube", e)) {
                    for (int t = 0; t < length; t++) {
                        float[] ee = c.eePosition()[t], cube = c.objectPosition()[t];
                        byte[] rgb = java.util.Arrays.copyOfRange(c.rgb(), c.frameOffset(t), c.frameOffset(t + 1));
                        RobotState rs = new RobotState(new double[] {0}, new Vec3(ee[0], ee[1], ee[2]), Quat.IDENTITY, 1);
                        EnvironmentState env = withEnvironment ? new EnvironmentState(spec.environmentNames(), cube) : EnvironmentState.EMPTY;
                        Observation o = new Observation(Map.of("front", new CameraFrame("front", 32, 32, PixelEncoding.RGB8, rgb, t * 0.2)), rs, t * 0.2, env);
                        rec.add(o, new float[] {0, 0, 0, 1}, false, false);
                    }
                    w.append(rec.finish(false));
                }
            }
        }
        return root;
    }

    @Test void theProbeTakesTheCubeFromTheEnvironmentStateAndReportsObjectR2() {
        Path root = record(dir.resolve("env"), true, 10, 12);
        try (LeRobotClipSource src = LeRobotClipSource.open(root, null);
             MovingSquaresSource truth = new MovingSquaresSource(10, 12, 32, 5);
             VideoEncoder enc = VideoEncoder.create(JepaTrainerTest.SMALL_TEST, 1, Device.cpu())) {
            assertThat(src.hasObjectPosition()).isTrue();
            VideoClip c = src.clip(3, 2, 4);
            VideoClip t = truth.clip(3, 2, 4);
            for (int i = 0; i < 4; i++) {
                assertThat(c.objectPosition()[i]).containsExactly(t.objectPosition()[i]);
                assertThat(c.eePosition()[i]).containsExactly(t.eePosition()[i]);
            }
            ProbeEvaluator.Report r = new ProbeEvaluator(200, 100).evaluate(enc, src, 3);
            // The object's position is a probe target (a dataset without environment state has none). The R²
            // values themselves are noise on 22 test frames of a random encoder, so they are not checked.
            assertThat(r.r2ObjectAxes()).as("the object's axes are scored").isNotNull().hasSize(3);
            assertThat(r.r2ObjectRandomInitAxes()).isNotNull().hasSize(3);
        }
    }

    @Test void withoutEnvironmentStateThereIsNoObjectTarget() {
        Path root = record(dir.resolve("plain"), false, 2, 4);
        try (LeRobotClipSource src = LeRobotClipSource.open(root, null)) {
            assertThat(src.hasObjectPosition()).isFalse();
            assertThat(src.clip(0, 0, 2).objectPosition()).isNull();
            assertThat(src.clip(0, 0, 2).eePosition()).isNotNull();
        }
    }
}
