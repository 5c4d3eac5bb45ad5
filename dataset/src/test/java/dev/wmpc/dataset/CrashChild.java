package dev.wmpc.dataset;

import java.nio.file.Path;

/**
 * Child process for the crash test: records synthetic episodes into a dataset (resuming it), printing
 * "SAVED seed" once each episode is durable. The test kills it with SIGKILL at random moments.
 */
public final class CrashChild {
    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int episodes = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        int framesPerFile = Integer.parseInt(args[3]);
        SyntheticRobot robot = new SyntheticRobot(64);
        DatasetSpec spec = DatasetRoundTripTest.spec(robot);
        try (DatasetWriter w = DatasetWriter.open(root, spec, DatasetWriter.Options.defaults().withResume(true).withFramesPerFile(framesPerFile))) {
            System.out.println("OPEN " + w.episodes());
            System.out.flush();
            for (int i = 0; i < episodes; i++) {
                long s = Collector.episodeSeed(seed, i);
                if (w.seeds().contains(s)) continue;
                w.append(DatasetRoundTripTest.record(robot, s, 3 + (int) (s % 5)));
                System.out.println("SAVED " + s);
                System.out.flush();
            }
        }
        System.out.println("DONE");
    }
}
