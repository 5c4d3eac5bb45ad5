package dev.wmpc.launch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.WmpcException;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.JepaTrainer;
import dev.wmpc.perception.MovingSquaresSource;
import dev.wmpc.perception.TrainConfig;
import dev.wmpc.perception.VideoEncoder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wmpc bench encode}: encoder latency for one 2-frame clip and V-JEPA training throughput. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Milliseconds to encode one 2-frame clip, and training clips/s, for an encoder preset.")
public final class BenchEncodeCommand implements Runnable {
    @Mixin CommonOptions common;

    @Option(names = "--preset", defaultValue = "tiny", description = "Encoder size: tiny (64x64, dim 192, depth 6) or small (128x128, dim 384, depth 12) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--iterations", defaultValue = "200", description = "Timed encodes (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--train-steps", defaultValue = "10", paramLabel = "N", description = "Timed training steps, 0 to skip (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--batch", defaultValue = "16", description = "Training clips per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--stem-channels", defaultValue = "0", paramLabel = "C",
            description = "Time an encoder with a convolutional stem of C channels (0: none; default: ${DEFAULT-VALUE}).")
    int stemChannels;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra-op threads (default: all cores).")
    Integer threads;

    @Override public void run() {
        common.applyLogging();
        if (iterations < 1) throw WmpcException.usage("--iterations must be >= 1");
        if (trainSteps < 0) throw WmpcException.usage("--train-steps must be >= 0 (0 skips the training benchmark), got " + trainSteps);
        if (batch < 1) throw WmpcException.usage("--batch must be >= 1, got " + batch);
        if (threads != null) System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        var dev = VideoEncoder.parseDevice(device);
        EncoderConfig c = EncoderConfig.Preset.parse(preset).config();
        try {
            c = c.withStemChannels(stemChannels);
        } catch (WmpcException e) {
            throw WmpcException.usage("--stem-channels " + stemChannels + ": " + e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("preset", EncoderConfig.Preset.parse(preset).toString());
        out.put("stem_channels", stemChannels);
        out.put("device", dev.toString());
        out.put("threads", threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        try (VideoEncoder enc = VideoEncoder.create(c, 0, dev); NDManager m = NDManager.newBaseManager(dev)) {
            int s = c.imageSize();
            float[] clip = new float[2 * 3 * s * s];
            Random r = new Random(1);
            for (int i = 0; i < clip.length; i++) clip[i] = (float) r.nextGaussian();
            double[] ms = new double[iterations];
            for (int i = -Math.min(50, iterations) ; i < iterations; i++) {
                long t0 = System.nanoTime();
                try (NDManager step = m.newSubManager()) {
                    NDArray lat = enc.encode(step, step.create(clip, new Shape(1, 2, 3, s, s)));
                    lat.get(0, 0, 0, 0).getFloat(); // wait for the result
                }
                if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            out.put("encode_ms_median", ms[iterations / 2]);
            out.put("encode_ms_p90", ms[(int) (iterations * 0.9)]);
            out.put("encode_ms_min", ms[0]);
            out.put("parameters", enc.parameterCount());
        }
        if (trainSteps > 0) {
            TrainConfig tc = TrainConfig.defaults(trainSteps + 2, batch, 0).withCheckpointEvery(0);
            try (MovingSquaresSource src = new MovingSquaresSource(20, 50, c.imageSize(), 0);
                 JepaTrainer t = JepaTrainer.create(c, tc, dev)) {
                double[] seconds = new double[2];
                t.train(src, null, st -> {
                    if (st.step() == 2) seconds[0] = st.seconds(); // the first two steps are warm-up
                    seconds[1] = st.seconds();
                });
                double secs = seconds[1] - seconds[0];
                out.put("train_batch", batch);
                out.put("train_clip_frames", tc.frames());
                out.put("train_clips_per_s", trainSteps * batch / secs);
            }
        }
        if (!common.json) {
            System.out.printf(Locale.ROOT, "encode one 2-frame %dx%d clip (%s): median %.2f ms, p90 %.2f ms%n", c.imageSize(), c.imageSize(),
                    out.get("preset"), (double) out.get("encode_ms_median"), (double) out.get("encode_ms_p90"));
            if (out.containsKey("train_clips_per_s"))
                System.out.printf(Locale.ROOT, "training: %.1f clips/s (batch %d, %d-frame clips)%n", (double) out.get("train_clips_per_s"), batch, 4);
        }
        common.report(out);
    }
}
