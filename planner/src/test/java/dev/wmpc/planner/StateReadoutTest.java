package dev.wmpc.planner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wmpc.core.WmpcException;
import dev.wmpc.worldmodel.LatentEpisode;
import dev.wmpc.worldmodel.LatentSpec;
import dev.wmpc.worldmodel.SyntheticLatentSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateReadoutTest {
    // Latents are smooth non-linear functions (sines) of the end-effector position; states are that position.
    private final SyntheticLatentSource source = new SyntheticLatentSource(new LatentSpec(2, 2, 16, 3, 4), 40, 20, 7);

    @Test void readsTheEndEffectorFromHeldOutLatents() {
        StateReadout r = StateReadout.fit(source, 600, 1, 0);
        // positions are uniform in [-1, 1]: predicting the mean would be off by ~0.58 RMS
        assertTrue(r.heldOutRmse() < 0.1, "held-out RMS error " + r.heldOutRmse());
        LatentEpisode e = source.episode(source.heldOut().get(0));
        float[] z = new float[source.spec().frameFloats()];
        e.copyLatents(5, 1, z, 0);
        StateReadout.layerNorm(z, source.spec().latentDim());
        double[] p = r.read(z);
        for (int k = 0; k < 3; k++) assertEquals(e.states()[5 * 3 + k], p[k], 0.25);
        assertTrue(r.energyPerMetre() > 0);
    }

    @Test void theNetworkCorrectsWhatTheRidgeMapGetsWrong(@TempDir Path dir) throws Exception {
        StateReadout ridge = StateReadout.fit(source, 600, 1, 0);
        StateReadout net = StateReadout.fit(source, 600, 1, 64, 1000);
        assertEquals(64, net.hidden(), "the network was kept: it beat the ridge map on held-out episodes");
        assertTrue(net.heldOutRmse() < 0.8 * ridge.heldOutRmse(), "ridge " + ridge.heldOutRmse() + " vs network " + net.heldOutRmse());
        net.save(dir);
        StateReadout back = StateReadout.load(dir);
        assertEquals(64, back.hidden());
        float[] z = new float[source.spec().frameFloats()];
        source.episode(1).copyLatents(2, 1, z, 0);
        assertArrayEquals(net.read(z), back.read(z), 1e-6);
    }

    @Test void saveThenLoadReadsTheSame(@TempDir Path dir) throws Exception {
        StateReadout r = StateReadout.fit(source, 300, 2, 0);
        r.save(dir);
        StateReadout back = StateReadout.load(dir);
        float[] z = new float[source.spec().frameFloats()];
        source.episode(0).copyLatents(3, 1, z, 0);
        assertArrayEquals(r.read(z), back.read(z), 1e-6);
        assertEquals(r.energyPerMetre(), back.energyPerMetre(), 1e-12);
    }

    @Test void aFileWrittenByAnEarlierFitStillLoads(@TempDir Path dir) throws Exception {
        // format 1 as save() writes it: ridge map, network correction and gripper map over a 1-token, width-2 latent
        Files.writeString(dir.resolve(StateReadout.FILE), """
                {"format":1,"names":["ee_x","ee_y","ee_z"],"tokens":1,"width":2,"energy_per_metre":3.5,
                 "heldout_rmse_m":0.02,"lambda":0.1,"bias":[0.1,0.2,0.3],"mean":[0.5,0.5],"weights":[1,0,0,1,1,1],
                 "hidden":1,"w1":[1,1],"b1":[0],"w2":[0.1,0.2,0.3],"b2":[0,0,0],
                 "gripper_bias":0.1,"gripper_heldout_rmse":0.05,"gripper_weights":[0.2,0.2]}
                """);
        StateReadout r = StateReadout.load(dir);
        float[] z = {1, 2}; // centred: 0.5, 1.5; the network's one unit: 2
        assertArrayEquals(new double[] {0.5 + 0.1 + 0.2, 1.5 + 0.2 + 0.4, 2.0 + 0.3 + 0.6}, r.read(z), 1e-6);
        assertEquals(0.1 + 0.1 + 0.3, r.readGripper(z), 1e-6);
        assertEquals(1, r.hidden());
        assertEquals(3.5, r.energyPerMetre());
        assertEquals(0.02, r.heldOutRmse());
    }

    @Test void wrongSizedLatentAndDamagedFileFailClearly(@TempDir Path dir) throws Exception {
        StateReadout r = StateReadout.fit(source, 200, 3, 0);
        var e = assertThrows(WmpcException.class, () -> r.read(new float[5]));
        assertTrue(e.getMessage().contains("another encoder"), e.getMessage());
        Files.writeString(dir.resolve(StateReadout.FILE), "{\"tokens\": 4}");
        var e2 = assertThrows(WmpcException.class, () -> StateReadout.load(dir));
        assertTrue(e2.getMessage().contains(StateReadout.FILE), e2.getMessage());
    }

    @Test void noEndEffectorInTheStateIsAClearError() {
        var inner = new SyntheticLatentSource(new LatentSpec(1, 1, 8, 3, 4), 4, 5, 1);
        var noEe = new dev.wmpc.worldmodel.LatentSequenceSource() {
            @Override public LatentSpec spec() { return inner.spec(); }
            @Override public int episodes() { return inner.episodes(); }
            @Override public LatentEpisode episode(int i) { return inner.episode(i); }
            @Override public java.util.List<String> stateNames() { return java.util.List.of("a", "b", "c"); }
        };
        var e = assertThrows(WmpcException.class, () -> StateReadout.fit(noEe, 50, 0, 0));
        assertTrue(e.getMessage().contains("ee_x"), e.getMessage());
    }

    @Test void proprioTermPrefersPlansThatEndAtTheGoal() {
        TrajectoryCost flat = (a, s, h, d) -> new float[s];
        double[] start = {0.3, 0, 0.4}, goal = {0.4, 0, 0.4};
        var energy = new ProprioGoalEnergy(flat, start, goal, 2.0, EnergyMode.FINAL);
        // sample 0: two steps of +5 cm in x (ends on the goal); sample 1: stays; sample 2: moves away
        float[] actions = {0.05f, 0, 0, 1, 0.05f, 0, 0, 1,
                           0, 0, 0, 1, 0, 0, 0, 1,
                           -0.05f, 0, 0, 1, -0.05f, 0, 0, 1};
        float[] e = energy.cost(actions, 3, 2, 4);
        assertEquals(0, e[0], 1e-6);
        assertEquals(2.0 * 0.1 / 3, e[1], 1e-6);
        assertTrue(e[2] > e[1]);
        float[] sum = new ProprioGoalEnergy(flat, start, goal, 2.0, EnergyMode.SUM).cost(actions, 3, 2, 4);
        assertEquals(2.0 * 0.05 / 3, sum[0], 1e-6); // 5 cm off after step 1, on the goal after step 2
        assertThrows(IllegalArgumentException.class, () -> new ProprioGoalEnergy(flat, start, goal, -1, EnergyMode.FINAL));
    }

    /** The synthetic source with a fourth state, {@code gripper}: {@code open(x)} of the position's x. */
    private static dev.wmpc.worldmodel.LatentSequenceSource withGripper(SyntheticLatentSource inner,
                                                                     java.util.function.DoubleUnaryOperator open) {
        LatentSpec s3 = inner.spec();
        LatentSpec s4 = new LatentSpec(s3.gridHeight(), s3.gridWidth(), s3.latentDim(), 4, s3.actionDim());
        LatentEpisode[] eps = new LatentEpisode[inner.episodes()];
        for (int i = 0; i < eps.length; i++) {
            LatentEpisode e = inner.episode(i);
            float[] st = new float[e.length() * 4];
            for (int t = 0; t < e.length(); t++) {
                for (int k = 0; k < 3; k++) st[t * 4 + k] = e.states()[t * 3 + k];
                st[t * 4 + 3] = (float) open.applyAsDouble(e.states()[t * 3]);
            }
            eps[i] = new LatentEpisode(s4, e.length(), e.latents(), st, e.actions());
        }
        return new dev.wmpc.worldmodel.LatentSequenceSource() {
            @Override public LatentSpec spec() { return s4; }
            @Override public int episodes() { return eps.length; }
            @Override public LatentEpisode episode(int i) { return eps[i]; }
            @Override public java.util.List<String> stateNames() { return java.util.List.of("ee_x", "ee_y", "ee_z", "gripper"); }
        };
    }

    @Test void readsTheGripperOpeningWhenTheDataMovesIt(@TempDir Path dir) throws Exception {
        var moving = withGripper(source, x -> (x + 1) / 2);
        StateReadout r = StateReadout.fit(moving, 600, 1, 0);
        // openings are uniform in [0, 1]: the mean would be off by ~0.29 RMS
        assertTrue(r.gripperHeldOutRmse() < 0.1, "gripper held-out RMS " + r.gripperHeldOutRmse());
        LatentEpisode e = moving.episode(moving.heldOut().get(0));
        float[] z = new float[moving.spec().frameFloats()];
        e.copyLatents(4, 1, z, 0);
        StateReadout.layerNorm(z, moving.spec().latentDim());
        assertEquals(e.states()[4 * 4 + 3], r.readGripper(z), 0.25);
        r.save(dir);
        assertEquals(r.readGripper(z), StateReadout.load(dir).readGripper(z), 1e-6);
        // a gripper that never moves (all open) gives no gripper map, and the term leaves the gripper alone
        StateReadout still = StateReadout.fit(withGripper(source, x -> 1), 300, 1, 0);
        assertTrue(Double.isNaN(still.readGripper(z)));
        assertTrue(Double.isNaN(StateReadout.fit(source, 300, 1, 0).readGripper(z)), "no gripper in the state");
    }

    @Test void proprioTermChargesAGripperTheWrongWayRound() {
        TrajectoryCost flat = (a, s, h, d) -> new float[s];
        double[] at = {0.4, 0, 0.1};
        // goal: the same position, gripper closed (0); sample 0 closes (-1), sample 1 opens (+1)
        float[] actions = {0, 0, 0, -1, 0, 0, 0, 1};
        float[] e = new ProprioGoalEnergy(flat, at, at, 0.0, 2.0, EnergyMode.FINAL).cost(actions, 2, 1, 4);
        assertEquals(0, e[0], 1e-6);
        assertEquals(2.0 * ProprioGoalEnergy.GRIPPER_METRES / 3, e[1], 1e-6);
        float[] none = new ProprioGoalEnergy(flat, at, at, Double.NaN, 2.0, EnergyMode.FINAL).cost(actions, 2, 1, 4);
        assertEquals(0, none[1], 1e-6);
    }

    @Test void aGoalObservationsGripperMustBeAnOpening() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GoalSequence.SubGoal(new float[4], 3, 1.5));
        assertTrue(e.getMessage().contains("0 (closed) to 1 (open)"), e.getMessage());
        assertTrue(Double.isNaN(new GoalSequence.SubGoal(new float[4], 3).gripper()));
        var goals = GoalSequence.encode(f -> new float[] {1, 2}, java.util.List.of(
                new dev.wmpc.core.CameraFrame("c", 1, 1, dev.wmpc.core.PixelEncoding.MONO8, new byte[1], 0)), java.util.List.of(2), java.util.List.of(0.0));
        assertEquals(0.0, goals.goals().get(0).gripper());
    }
}
