package dev.wmpc.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.msg.Bool;
import dev.wmpc.bridge.msg.DiagnosticArray;
import dev.wmpc.bridge.msg.DiagnosticStatus;
import dev.wmpc.bridge.msg.Float64MultiArray;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.msg.JointTrajectory;
import dev.wmpc.bridge.msg.NavPath;
import dev.wmpc.bridge.msg.PoseStamped;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.core.Quat;
import dev.wmpc.core.Vec3;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Interop with a real non-Java DDS peer: a Cyclone DDS C program built at test time (idlc + gcc) from the ROS 2
 * message IDL. Both directions at once, on loopback only, for 10 s: 640x480 rgb8 frames at 30 Hz (best effort,
 * at least 95% must arrive intact), joint states at 100 Hz, reliable commands (every one, in order); and the
 * controller's display messages (nav_msgs/Path, diagnostic_msgs/DiagnosticArray) read field by field by the C peer.
 */
class CycloneInteropTest {
    static final int W = 640, H = 480, FRAME = W * H * 3;
    static final double SECONDS = 10;

    /** Cyclone on loopback only: no multicast, unicast discovery to 127.0.0.1's well-known ports. */
    static final String CYCLONE_XML = """
            <CycloneDDS><Domain id="any">
              <General>
                <Interfaces><NetworkInterface name="lo" multicast="false"/></Interfaces>
                <AllowMulticast>false</AllowMulticast>
                <MaxMessageSize>65000B</MaxMessageSize>
              </General>
              <Discovery>
                <ParticipantIndex>auto</ParticipantIndex>
                <MaxAutoParticipantIndex>32</MaxAutoParticipantIndex>
                <Peers><Peer address="127.0.0.1"/></Peers>
              </Discovery>
              <Internal><SocketReceiveBufferSize min="default" max="4MB"/></Internal>
            </Domain></CycloneDDS>
            """;

    static Path buildPeer() throws Exception {
        Path dir = Path.of("target", "interop-peer").toAbsolutePath();
        Files.createDirectories(dir);
        for (String f : List.of("ros2_msgs.idl", "peer.c"))
            try (InputStream in = CycloneInteropTest.class.getResourceAsStream("/interop/" + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        run(dir, "idlc", "ros2_msgs.idl");
        run(dir, "gcc", "-O2", "-o", "peer", "peer.c", "ros2_msgs.c", "-I.", "-lddsc");
        Files.writeString(dir.resolve("cyclone.xml"), CYCLONE_XML);
        return dir;
    }

    static void run(Path dir, String... cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("'" + cmd[0] + "' is missing: install cyclonedds-tools, cyclonedds-dev and gcc (as .ci/run does)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + " failed:\n" + out).isZero();
    }

    static long field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("peer report has " + key + ": " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    static boolean intact(Image m) {
        var f = m.toFrame("c");
        int seq = m.header().stamp().sec();
        if (f.width() != W || f.height() != H || !m.encoding().equals("rgb8")) return false;
        for (int i : new int[] {0, 1, 12345, FRAME / 2, FRAME - 1}) if (m.data()[i] != (byte) (i * 7 + seq)) return false;
        return true;
    }

    @Test
    void javaAndCycloneExchangeFramesStatesAndCommandsBothWays() throws Exception {
        Path dir = buildPeer();
        int domain = TestDomains.next();
        List<String> names = List.of("joint_1", "joint_2", "joint_3", "joint_4", "joint_5", "joint_6");
        AtomicInteger imagesIn = new AtomicInteger(), imagesBad = new AtomicInteger(), statesIn = new AtomicInteger(), malformed = new AtomicInteger();
        List<Double> twistsIn = new CopyOnWriteArrayList<>();
        try (Ros2Transport java = new IhmcTransport("wmpc_interop", DdsSettings.localhost(domain))) {
            java.subscribe("/c_peer/image_raw", Image.TYPE, Qos.SENSOR_DATA,
                    m -> (intact(m) ? imagesIn : imagesBad).incrementAndGet(), e -> malformed.incrementAndGet());
            java.subscribe("/c_peer/joint_states", JointState.TYPE, Qos.SENSOR_DATA, m -> {
                if (m.names().equals(names) && m.position()[5] == m.header().stamp().sec() + 5) statesIn.incrementAndGet();
            }, e -> malformed.incrementAndGet());
            java.subscribe("/c_peer/delta_twist_cmds", TwistStamped.TYPE, Qos.COMMANDS, m -> twistsIn.add(m.linear().x()), e -> malformed.incrementAndGet());
            var img = java.publisher("/camera/image_raw", Image.TYPE, Qos.SENSOR_DATA);
            var js = java.publisher("/joint_states", JointState.TYPE, Qos.SENSOR_DATA);
            var twist = java.publisher("/servo_node/delta_twist_cmds", TwistStamped.TYPE, Qos.COMMANDS);
            var traj = java.publisher("/arm_controller/joint_trajectory", JointTrajectory.TYPE, Qos.COMMANDS);
            var grip = java.publisher("/gripper_controller/commands", Float64MultiArray.TYPE, Qos.COMMANDS);
            var estop = java.publisher("/wmpc/estop", Bool.TYPE, Qos.COMMANDS);
            var path = java.publisher("/wmpc/planned_path", NavPath.TYPE, Qos.COMMANDS);
            var diagnostics = java.publisher("/diagnostics", DiagnosticArray.TYPE, Qos.COMMANDS);

            ProcessBuilder pb = new ProcessBuilder(dir.resolve("peer").toString(), String.valueOf(domain), String.valueOf(SECONDS))
                    .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("CYCLONEDDS_URI", "file://" + dir.resolve("cyclone.xml"));
            Process peer = pb.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (IOException ignored) {
                    // peer gone
                }
            });
            pump.setDaemon(true);
            pump.start();
            try {
                assertThat(lines.poll(25, TimeUnit.SECONDS)).as("peer discovered the Java side").isEqualTo("READY");
                // READY means the peer matched us; give our writers the same moment to match its readers
                // (a volatile reliable writer drops what it sends before a reader matched)
                Thread.sleep(500);
                byte[] px = new byte[FRAME];
                int sentImages = 0, sentStates = 0, sentTwists = 0;
                long t0 = System.nanoTime();
                long ticks = Math.round(SECONDS * 100);
                for (long k = 0; k < ticks; k++) {
                    js.publish(new JointState(Header.at(k, ""), names, positions(k), new double[0], new double[0]));
                    sentStates++;
                    if (k % 10 == 0 || k % 10 == 3 || k % 10 == 6) {
                        for (int i = 0; i < FRAME; i++) px[i] = (byte) (i * 7 + sentImages);
                        img.publish(new Image(new Header(new dev.wmpc.bridge.msg.Time(sentImages, 0), "camera"), H, W, "rgb8", false, W * 3, px.clone()));
                        sentImages++;
                    }
                    if (k % 10 == 0) {
                        twist.publish(new TwistStamped(Header.at(0, "base_link"), new Vec3(sentTwists++, 0, 0), Vec3.ZERO));
                        if (k % 100 == 0) {
                            traj.publish(new JointTrajectory(Header.at(0, ""), names, List.of(JointTrajectory.Point.at(positions(k), 0.1))));
                            grip.publish(Float64MultiArray.of(k % 200 == 0 ? 1.0 : -1.0));
                            int n = (int) (k / 100);
                            path.publish(path(n));
                            diagnostics.publish(new DiagnosticArray(new Header(new dev.wmpc.bridge.msg.Time(n, 0), ""), List.of(
                                    new DiagnosticStatus(DiagnosticStatus.Level.WARN, "wmpc_controller: controller", "holding", "", List.of(
                                            new DiagnosticStatus.KeyValue("step", String.valueOf(n)),
                                            new DiagnosticStatus.KeyValue("energy.latent", "0.25"))))));
                        }
                    }
                    if (k == 0 || k == ticks - 1) estop.publish(new Bool(k != 0));
                    long next = t0 + (k + 1) * 10_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
                }
                String report = null;
                for (String l; (l = lines.poll(10, TimeUnit.SECONDS)) != null; ) if (l.startsWith("{")) { report = l; break; }
                assertThat(report).as("peer report").isNotNull();
                assertThat(peer.waitFor(5, TimeUnit.SECONDS)).isTrue();

                System.out.printf("interop: C->Java frames %d/%d, states %d/%d; Java->C %s%n", imagesIn.get(), field(report, "sent_image"),
                        statesIn.get(), field(report, "sent_joint_states"), report);
                // Java -> Cyclone
                assertThat(field(report, "image")).as("frames delivered to the C peer of " + sentImages + ": " + report)
                        .isGreaterThanOrEqualTo((long) Math.ceil(0.95 * sentImages));
                assertThat(field(report, "image_bad")).isZero();
                assertThat(field(report, "joint_states")).isGreaterThanOrEqualTo((long) Math.ceil(0.95 * sentStates));
                assertThat(field(report, "joint_states_bad")).isZero();
                assertThat(field(report, "twist")).as("reliable twists").isEqualTo(sentTwists);
                assertThat(field(report, "twist_out_of_order")).isZero();
                assertThat(field(report, "trajectory")).isEqualTo(10);
                assertThat(field(report, "gripper")).isEqualTo(10);
                assertThat(field(report, "estop")).isEqualTo(2);
                assertThat(field(report, "estop_true")).isEqualTo(1);
                assertThat(field(report, "path")).as("paths read as the C peer expects: " + report).isEqualTo(10);
                assertThat(field(report, "path_bad")).isZero();
                assertThat(field(report, "diagnostics")).as("diagnostics read as the C peer expects: " + report).isEqualTo(10);
                assertThat(field(report, "diagnostics_bad")).isZero();
                // Cyclone -> Java
                long cImages = field(report, "sent_image"), cStates = field(report, "sent_joint_states"), cTwists = field(report, "sent_twist");
                assertThat(imagesIn.get()).as("frames delivered to Java of " + cImages + rmemHint()).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * cImages));
                assertThat(imagesBad.get()).isZero();
                assertThat(statesIn.get()).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * cStates));
                List<Double> expected = new ArrayList<>();
                for (int i = 0; i < cTwists; i++) expected.add((double) i);
                assertThat(twistsIn).as("reliable twists from C, in order").isEqualTo(expected);
                assertThat(malformed.get()).isZero();
            } finally {
                peer.destroyForcibly();
            }
        }
    }

    /**
     * Cyclone sends each frame as one burst of datagrams; with Linux's default 208 kB socket buffers a busy receiver
     * loses fragments. ROS 2's DDS tuning guide raises net.core.rmem_max for camera streams; say so when it is low.
     */
    static String rmemHint() {
        try {
            long max = Long.parseLong(Files.readString(Path.of("/proc/sys/net/core/rmem_max")).strip());
            return max >= 4 << 20 ? "" : " (net.core.rmem_max is only " + max + " bytes: large frames need bigger socket buffers, "
                    + "e.g. sudo sysctl -w net.core.rmem_max=4194304)";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Pose i at (n, i, 0.5) in base_link, identity orientation, stamped n + i (what the C peer checks). */
    static NavPath path(int n) {
        List<PoseStamped> poses = new ArrayList<>();
        for (int i = 0; i < 4; i++)
            poses.add(new PoseStamped(new Header(new dev.wmpc.bridge.msg.Time(n + i, 0), "base_link"), new Vec3(n, i, 0.5), Quat.IDENTITY));
        return new NavPath(new Header(new dev.wmpc.bridge.msg.Time(n, 0), "base_link"), poses);
    }

    static double[] positions(long k) {
        double[] p = new double[6];
        for (int j = 0; j < 6; j++) p[j] = k + j;
        return p;
    }
}
