package dev.wmpc.worldmodel;

import ai.djl.Device;

/** Manual benchmark entry (not a test): java -cp ... dev.wmpc.worldmodel.BenchMain preset samples horizon. */
public final class BenchMain {
    public static void main(String[] args) {
        PredictorConfig c = PredictorConfig.preset(PredictorConfig.Preset.parse(args[0]), 15);
        var r = RolloutBenchmark.run(c, Device.cpu(), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]), 1);
        System.out.println(r);
    }
}
