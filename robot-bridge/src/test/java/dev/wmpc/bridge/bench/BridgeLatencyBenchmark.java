package dev.wmpc.bridge.bench;

import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.msg.Time;
import dev.wmpc.bridge.node.ControllerNode;
import dev.wmpc.bridge.node.Ros2Robot;
import dev.wmpc.bridge.node.Ros2RobotConfig;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Camera-frame-in to command-out latency of the bridge on loopback (run by hand, not a test):
 * a camera publishes 640x480 rgb8 frames at 30 Hz stamped with the wall clock, the controller node runs a trivial
 * policy at 30 Hz and we measure, per command, the time from the stamp of the frame it was computed from to its
 * publication, plus the one-way frame transport time. Args: [seconds] [domain] [frame pacing kB/ms, 0 = off].
 */
public final class BridgeLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int domain = args.length > 1 ? Integer.parseInt(args[1]) : 77;
        int pacing = args.length > 2 ? Integer.parseInt(args[2]) : DdsSettings.DEFAULT_FRAME_PACING_KB_PER_MS;
        DdsSettings dds = DdsSettings.localhost(domain).withFramePacing(pacing);
        List<Double> oneWay = Collections.synchronizedList(new ArrayList<>()), frameToCommand = new ArrayList<>();
        try (Ros2Transport cameraSide = new IhmcTransport("bench_camera", dds); Ros2Transport controlSide = new IhmcTransport("bench_controller", dds)) {
            var img = cameraSide.publisher(TopicNames.DEFAULT.camera(), Image.TYPE, Qos.SENSOR_DATA);
            var js = cameraSide.publisher(TopicNames.DEFAULT.jointStates(), JointState.TYPE, Qos.SENSOR_DATA);
            controlSide.subscribe(TopicNames.DEFAULT.camera(), Image.TYPE, Qos.SENSOR_DATA,
                    m -> oneWay.add((wallSeconds() - m.header().stamp().seconds()) * 1000), e -> {});
            AtomicBoolean run = new AtomicBoolean(true);
            byte[] px = new byte[640 * 480 * 3];
            Thread camera = new Thread(() -> {
                long next = System.nanoTime();
                while (run.get()) {
                    Header h = new Header(Time.ofSeconds(wallSeconds()), "camera");
                    img.publish(new Image(h, 480, 640, "rgb8", false, 1920, px));
                    js.publish(new JointState(h, List.of("j1", "j2", "j3", "j4", "j5", "j6"), new double[6], new double[0], new double[0]));
                    next += 33_333_333L;
                    long s = next - System.nanoTime();
                    if (s > 0) try { Thread.sleep(s / 1_000_000, (int) (s % 1_000_000)); } catch (InterruptedException e) { return; }
                }
            });
            camera.start();
            Ros2RobotConfig cfg = Ros2RobotConfig.defaults(TopicNames.DEFAULT, 1 / 30.0);
            try (Ros2Robot robot = new Ros2Robot(controlSide, cfg, Optional.empty())) {
                robot.observe();
                long end = System.nanoTime() + (long) (seconds * 1e9);
                new ControllerNode(robot, obs -> {
                    frameToCommand.add((wallSeconds() - obs.primaryFrame().timestamp()) * 1000);
                    return new Action.EndEffectorDelta(0.001, 0, 0, 1);
                }).run(1, () -> System.nanoTime() < end, 0);
                List<Double> inNode = robot.commandLatenciesMs();
                run.set(false);
                camera.join();
                System.out.printf("frames one-way (publish -> decoded):           p50 %.2f ms  p95 %.2f ms  (n=%d)%n", p(oneWay, 50), p(oneWay, 95), oneWay.size());
                System.out.printf("frame stamp -> command out (incl. frame age): p50 %.2f ms  p95 %.2f ms  (n=%d)%n", p(frameToCommand, 50), p(frameToCommand, 95), frameToCommand.size());
                System.out.printf("frame arrival -> command out (in node):       p50 %.2f ms  p95 %.2f ms  (n=%d)%n", p(inNode, 50), p(inNode, 95), inNode.size());
            }
        }
    }

    static double wallSeconds() {
        Instant n = Instant.now();
        return n.getEpochSecond() + n.getNano() * 1e-9;
    }

    static double p(List<Double> v, double q) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.isEmpty() ? Double.NaN : s.get(Math.max(0, (int) Math.ceil(q / 100 * s.size()) - 1));
    }
}
