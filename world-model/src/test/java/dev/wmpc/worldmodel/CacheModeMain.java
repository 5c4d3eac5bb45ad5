package dev.wmpc.worldmodel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/** Manual comparison (not a test): preallocated vs concatenated KV cache, args: preset|micro samples horizon calls. */
public final class CacheModeMain {
    public static void main(String[] args) {
        PredictorConfig c = args[0].equals("micro")
                ? new PredictorConfig(8, 1, 2, 2, 2, 16, 1, 2, 2, 8, null, null, null, null, null)
                : PredictorConfig.preset(PredictorConfig.Preset.parse(args[0]), 15);
        int s = Integer.parseInt(args[1]), h = Integer.parseInt(args[2]), calls = Integer.parseInt(args[3]);
        try (AcPredictor model = AcPredictor.create(c, Device.cpu(), 1); NDManager m = NDManager.newBaseManager()) {
            Random rng = new Random(1);
            NDArray z = AcPredictorTest.random(m, rng, c.tokens(), c.latentDim());
            NDArray st = AcPredictorTest.random(m, rng, c.stateDim());
            NDArray a = AcPredictorTest.random(m, rng, s, h, c.actionDim());
            for (int round = 0; round < 2; round++)
                for (boolean pre : new boolean[] {true, false}) {
                    model.preallocated = pre;
                    model.rollout(z, st, null, a).close();
                    long t = System.nanoTime();
                    for (int i = 0; i < calls; i++) model.rollout(z, st, null, a).close();
                    System.out.printf("preallocated=%s %.2f ms/call%n", pre, (System.nanoTime() - t) / 1e6 / calls);
                }
        }
    }
}
