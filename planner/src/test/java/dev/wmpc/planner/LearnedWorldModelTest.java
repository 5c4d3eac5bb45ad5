package dev.wmpc.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.wmpc.core.Observation;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The real encoder and predictor (tiny, random weights) behind the planner's interfaces. */
class LearnedWorldModelTest {
    static final EncoderConfig ENCODER = new EncoderConfig(32, 8, 2, 32, 1, 2, 2, 16, 1, 2);
    static final int STATE_DIM = 8; // PointRobot: no joints, ee pose (7) + gripper

    static PredictorConfig predictor(int latentDim) {
        return new PredictorConfig(latentDim, 4, 4, 4, STATE_DIM, 32, 1, 2, 2, 8, null, null, null, null,
                new int[] {0, 1, 2, -1});
    }

    static LearnedWorldModel tiny() {
        return new LearnedWorldModel(VideoEncoder.create(ENCODER, 1, Device.cpu()),
                AcPredictor.create(predictor(32), Device.cpu(), 2));
    }

    static final PlannerConfig CONFIG = PlannerConfig.defaults().toBuilder().samples(16).iterations(2).horizon(3).topK(4).build();

    @Test
    void plansThroughTheRealNetworks() {
        try (LearnedWorldModel model = tiny(); PointRobot robot = new PointRobot()) {
            Observation start = robot.reset(4);
            float[] z = model.encode(start.primaryFrame());
            assertThat(z).hasSize(16 * 32);
            assertThat(LatentEnergy.firstNonFinite(z)).isEqualTo(-1);
            double mean = 0, sq = 0;
            for (float v : z) { mean += v; sq += v * v; }
            assertThat(Math.abs(mean / z.length)).as("normalised latents").isLessThan(0.05);
            assertThat(sq / z.length).isBetween(0.8, 1.2);

            GoalSequence goal = GoalSequence.of(model.encode(PointRobot.frameAt(ControllerTest.GOAL)));
            var controller = new RecedingHorizonController(new CemPlanner(CONFIG, 5),
                    new LatentCostModel(model, model, goal, EnergyMode.FINAL));
            EpisodeSummary e = controller.run(robot, start, 5, EpisodeMonitor.NONE, 2);
            assertThat(e.holds()).isZero();
            assertThat(e.log()).allSatisfy(r -> {
                assertThat(r.energy()).isFinite().isPositive();
                assertThat(r.bestPerIteration()).hasSize(2);
            });

            // Same seed, same observation: the same plan (the networks are deterministic on the CPU).
            var again = new RecedingHorizonController(new CemPlanner(CONFIG, 5),
                    new LatentCostModel(model, model, goal, EnergyMode.FINAL));
            again.reset(5);
            robot.reset(4);
            assertThat(again.decide(robot.observe()).action()).isEqualTo(e.log().get(0).action());
        }
    }

    @Test
    void rolloutReturnsSamplesTimesHorizonLatents() {
        try (LearnedWorldModel model = tiny()) {
            float[] z = model.encode(PointRobot.frameAt(ControllerTest.GOAL));
            float[] actions = new float[5 * 3 * 4];
            float[] out = model.rollout(z, new float[STATE_DIM], actions, 5, 3, 4);
            assertThat(out).hasSize(5 * 3 * model.latentSize());
            // Identical action sequences give identical predictions.
            assertThat(Arrays.copyOfRange(out, 0, 3 * model.latentSize()))
                    .containsExactly(Arrays.copyOfRange(out, 3 * model.latentSize(), 6 * model.latentSize()));
            assertThatThrownBy(() -> model.rollout(z, new float[3], actions, 5, 3, 4))
                    .isInstanceOf(WmpcException.class).hasMessageContaining("state of 3 numbers");
        }
    }

    @Test
    void energiesOnTheDeviceEqualTheJavaReference() {
        try (LearnedWorldModel model = tiny()) {
            float[] z = model.encode(PointRobot.frameAt(ControllerTest.GOAL));
            float[] goal = model.encode(PointRobot.frameAt(dev.wmpc.core.Vec3.ZERO));
            LatentRollout javaSide = new LatentRollout() { // only the default energies(), over the same rollout
                @Override public int latentSize() { return model.latentSize(); }
                @Override public float[] rollout(float[] l, float[] p, float[] a, int s, int h, int d) { return model.rollout(l, p, a, s, h, d); }
            };
            float[] actions = new float[6 * 3 * 4];
            java.util.Random r = new java.util.Random(3);
            for (int i = 0; i < actions.length; i++) actions[i] = (float) (r.nextGaussian() * 0.03);
            for (EnergyMode mode : EnergyMode.values()) {
                float[] device = model.energies(z, new float[STATE_DIM], actions, 6, 3, 4, goal, mode);
                float[] reference = javaSide.energies(z, new float[STATE_DIM], actions, 6, 3, 4, goal, mode);
                assertThat(device).hasSize(6);
                for (int i = 0; i < 6; i++)
                    assertThat(device[i]).as("%s sample %d", mode, i).isCloseTo(reference[i], org.assertj.core.api.Assertions.within(1e-4f));
            }
        }
    }

    @Test
    void theEnergyOfOneSequenceSplitsIntoItsLatentAndStateHeadTerms() {
        try (LearnedWorldModel model = tiny()) {
            AcPredictor p = predictorOf(model);
            float[] z = model.encode(PointRobot.frameAt(ControllerTest.GOAL));
            float[] goal = model.encode(PointRobot.frameAt(dev.wmpc.core.Vec3.ZERO));
            float[] actions = new float[3 * 4];
            java.util.Random r = new java.util.Random(5);
            for (int i = 0; i < actions.length; i++) actions[i] = (float) (r.nextGaussian() * 0.03);
            // a stand-in state head: the first four numbers of each latent
            PredictorRollout withHead = new PredictorRollout(p, true, x -> x.get(":, :4"), 0.5);
            PredictorRollout latentOnly = new PredictorRollout(p, true);
            for (EnergyMode mode : EnergyMode.values()) {
                java.util.Map<String, Double> terms = withHead.energyTerms(z, new float[STATE_DIM], actions, 3, 4, goal, mode);
                assertThat(terms).containsOnlyKeys("latent", "state_head");
                double total = withHead.energies(z, new float[STATE_DIM], actions, 1, 3, 4, goal, mode)[0];
                assertThat(terms.get("latent") + terms.get("state_head")).as("%s: the terms add up", mode)
                        .isCloseTo(total, org.assertj.core.api.Assertions.within(1e-4));
                assertThat(terms.get("latent")).as("%s: the latent term alone", mode)
                        .isCloseTo(latentOnly.energies(z, new float[STATE_DIM], actions, 1, 3, 4, goal, mode)[0],
                                org.assertj.core.api.Assertions.within(1e-5));
                assertThat(terms.get("state_head")).isPositive();
                assertThat(model.energyTerms(z, new float[STATE_DIM], actions, 3, 4, goal, mode)).containsOnlyKeys("latent");
            }
        }
    }

    @Test
    void mismatchedEncoderAndPredictorIsAClearError() {
        assertThatThrownBy(() -> new LearnedWorldModel(VideoEncoder.create(ENCODER, 1, Device.cpu()),
                AcPredictor.create(predictor(16), Device.cpu(), 2)))
                .isInstanceOf(WmpcException.class)
                .hasMessageContaining("encoder and predictor do not match")
                .hasMessageContaining("width 32").hasMessageContaining("width 16");
    }

    @Test
    void nanWeightsHoldTheRobot() {
        try (LearnedWorldModel model = tiny(); PointRobot robot = new PointRobot()) {
            Observation start = robot.reset(1);
            GoalSequence goal = GoalSequence.of(model.encode(PointRobot.frameAt(ControllerTest.GOAL)));
            // Corrupt one predictor weight, as a broken model file would.
            AcPredictor p = predictorOf(model);
            NDArray w = p.parameters().get(0).getArray();
            float[] v = w.toFloatArray();
            v[0] = Float.NaN;
            w.set(v);
            var controller = new RecedingHorizonController(new MppiPlanner(CONFIG, 1),
                    new LatentCostModel(model, model, goal, EnergyMode.FINAL));
            EpisodeSummary e = controller.run(robot, start, 1, EpisodeMonitor.NONE, 1);
            assertThat(e.holds()).isEqualTo(1);
            assertThat(e.log().get(0).holdReason()).contains("non-finite");
        }
    }

    private static AcPredictor predictorOf(LearnedWorldModel m) {
        try {
            var f = LearnedWorldModel.class.getDeclaredField("predictor");
            f.setAccessible(true);
            return (AcPredictor) f.get(m);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
