package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.msg.DiagnosticArray;
import dev.wmpc.bridge.msg.DiagnosticStatus;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import dev.wmpc.bridge.msg.NavPath;
import dev.wmpc.bridge.msg.TwistStamped;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.core.Action;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.wmpc.perception.EncoderConfig;
import dev.wmpc.perception.VideoEncoder;
import dev.wmpc.planner.LearnedWorldModel;
import dev.wmpc.worldmodel.AcPredictor;
import dev.wmpc.worldmodel.PredictorConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class Ros2ControllerCommandTest {

    @Test
    void controllerNodeDrivesARemoteArmTowardItsGoalThroughRemappedTopics() throws Exception {
        int domain = 90 + (int) (ProcessHandle.current().pid() % 60);
        List<TwistStamped> twists = new CopyOnWriteArrayList<>();
        AtomicBoolean run = new AtomicBoolean(true);
        try (IhmcTransport arm = new IhmcTransport("test_arm", DdsSettings.localhost(domain))) {
            var img = arm.publisher("/cam0/image", Image.TYPE, Qos.SENSOR_DATA);
            var js = arm.publisher("/arm1/joint_states", JointState.TYPE, Qos.SENSOR_DATA);
            var goal = arm.publisher("/arm1/wmpc/goal_image", Image.TYPE, Qos.LATCHED);
            arm.subscribe("/arm1/servo_node/delta_twist_cmds", TwistStamped.TYPE, Qos.COMMANDS, twists::add, e -> {});
            goal.publish(new Image(Header.at(0, "camera"), 48, 64, "rgb8", false, 192, new byte[64 * 48 * 3]));
            AtomicBoolean secondGoal = new AtomicBoolean();
            Thread t = publishing(run, k -> {
                if (twists.size() >= 5 && !secondGoal.getAndSet(true)) // a new episode's goal, mid-run
                    goal.publish(new Image(Header.at(1, "camera"), 48, 32, "rgb8", false, 96, new byte[32 * 48 * 3]));
                img.publish(new Image(Header.at(0, "camera"), 48, 64, "rgb8", false, 192, new byte[64 * 48 * 3]));
                js.publish(new JointState(Header.at(0, ""), List.of("j1", "j2"), new double[] {0, 0}, new double[0], new double[0]));
            });
            try {
                List<Integer> goalSizes = new CopyOnWriteArrayList<>();
                CommandLine cli = new CommandLine(new Ros2ControllerCommand((g, seed) -> {
                    goalSizes.add(g.get(0).width());
                    return obs -> new Action.EndEffectorDelta(0.5, 0, 0, 1); // far beyond max_step: must be clipped
                }));
                cli.setCaseInsensitiveEnumValuesAllowed(true);
                int code = cli.execute("--max-steps", "30", "--domain-id", String.valueOf(domain), "--localhost-only",
                        "--ros-args", "-r", "__ns:=/arm1", "-r", "camera/image_raw:=/cam0/image", "-p", "control_rate_hz:=20",
                        "-p", "safety.max_step:=0.01");
                assertThat(code).isZero();
                assertThat(goalSizes).as("the goal policy is rebuilt for the new goal image").containsExactly(64, 32);
            } finally {
                run.set(false);
                t.join(1000);
            }
            Thread.sleep(100);
        }
        assertThat(twists).hasSizeGreaterThanOrEqualTo(15);
        // 0.01 m per 0.05 s period = 0.2 m/s at most
        assertThat(twists).allSatisfy(tw -> assertThat(tw.linear().norm()).isLessThanOrEqualTo(0.2 + 1e-9));
        assertThat(twists).anyMatch(tw -> tw.linear().x() > 0.19);
        assertThat(twists.get(twists.size() - 1).linear().norm()).as("last command on exit is a hold").isZero();
    }

    /** A stand-in arm driver: {@code publish(k)} at tick k = 0, 1, ... every 20 ms on its own thread until {@code run} turns false. */
    static Thread publishing(AtomicBoolean run, java.util.function.IntConsumer publish) {
        Thread t = new Thread(() -> {
            for (int k = 0; run.get(); k++) {
                publish.accept(k);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.start();
        return t;
    }

    /** The arm the tiny model plans for: a grey 32x32 goal image (latched), then black frames and {@code joints} at {@code q}. */
    static Thread tinyModelArm(IhmcTransport arm, List<String> joints, double[] q, AtomicBoolean run) {
        var img = arm.publisher("/camera/image_raw", Image.TYPE, Qos.SENSOR_DATA);
        var js = arm.publisher("/joint_states", JointState.TYPE, Qos.SENSOR_DATA);
        var goal = arm.publisher("/wmpc/goal_image", Image.TYPE, Qos.LATCHED);
        byte[] goalPx = new byte[32 * 32 * 3];
        java.util.Arrays.fill(goalPx, (byte) 90);
        goal.publish(new Image(Header.at(0, "camera"), 32, 32, "rgb8", false, 96, goalPx));
        return publishing(run, k -> {
            img.publish(new Image(Header.at(0, "camera"), 32, 32, "rgb8", false, 96, new byte[32 * 32 * 3]));
            js.publish(new JointState(Header.at(0, ""), joints, q, new double[0], new double[0]));
        });
    }

    /** An untrained but well-formed tiny model folder (encoder 32x32 frames, predictor for 7 joints + pose). */
    static Path tinyModel(Path dir) {
        EncoderConfig ec = new EncoderConfig(32, 8, 2, 32, 1, 2, 2, 16, 1, 2);
        try (VideoEncoder e = VideoEncoder.create(ec, 1)) {
            e.save(dir.resolve(LearnedWorldModel.ENCODER_DIR));
        }
        PredictorConfig pc = new PredictorConfig(32, 4, 4, 4, 7 + 8, 32, 1, 2, 4, 8, null, null, null, null, null);
        try (AcPredictor p = AcPredictor.create(pc, ai.djl.Device.cpu(), 1)) {
            p.save(dir.resolve(LearnedWorldModel.PREDICTOR_DIR));
        }
        return dir;
    }

    @Test
    void thePlannerWithAWorldModelDrivesTheArmThroughTheSafetyFilter(@TempDir Path dir) throws Exception {
        Path model = tinyModel(dir.resolve("model"));
        int domain = 160 + (int) (ProcessHandle.current().pid() % 40);
        List<TwistStamped> twists = new CopyOnWriteArrayList<>();
        AtomicBoolean run = new AtomicBoolean(true);
        List<String> joints = List.of("j1", "j2", "j3", "j4", "j5", "j6", "j7");
        try (IhmcTransport arm = new IhmcTransport("test_arm", DdsSettings.localhost(domain))) {
            arm.subscribe("/servo_node/delta_twist_cmds", TwistStamped.TYPE, Qos.COMMANDS, twists::add, e -> {});
            Thread t = tinyModelArm(arm, joints, new double[7], run);
            try {
                int code = Wmpc.execute("ros2", "controller", "--model", model.toString(), "--planner", "cem", "--samples", "16",
                        "--iters", "2", "--horizon", "2", "--max-steps", "6", "--domain-id", String.valueOf(domain), "--localhost-only",
                        "--ros-args", "-p", "control_rate_hz:=5", "-p", "safety.max_step:=0.02");
                assertThat(code).isZero();
            } finally {
                run.set(false);
                t.join(1000);
            }
            Thread.sleep(100);
        }
        assertThat(twists).hasSizeGreaterThanOrEqualTo(6);
        // planned steps are at most 0.02 m per 0.2 s period: 0.1 m/s
        assertThat(twists).allSatisfy(tw -> {
            assertThat(tw.linear().isFinite()).isTrue();
            assertThat(tw.linear().norm()).isLessThanOrEqualTo(0.1 + 1e-9);
        });
        assertThat(twists).anyMatch(tw -> tw.linear().norm() > 0);
    }

    /**
     * What the planner thinks, published every step: the planned end-effector path from where the URDF puts the end
     * effector (its first step is the command sent), and the controller's state on /diagnostics with the energy by term.
     */
    @Test
    void thePlannerShowsItsPlannedPathAndItsStateEveryStep(@TempDir Path dir) throws Exception {
        Path model = tinyModel(dir.resolve("model"));
        Path urdf = dir.resolve("wmpc_arm.urdf");
        try (java.io.InputStream in = dev.wmpc.sim.ArmModel.class.getResourceAsStream(dev.wmpc.sim.ArmModel.URDF_RESOURCE)) {
            java.nio.file.Files.write(urdf, in.readAllBytes());
        }
        List<String> joints = dev.wmpc.sim.ArmModel.ARM_JOINTS;
        double[] q = dev.wmpc.sim.ArmModel.HOME;
        var kinematics = dev.wmpc.bridge.node.UrdfArmKinematics.load(urdf, "tcp", joints, 0.5);
        int domain = dev.wmpc.bridge.TestDomains.next();
        List<TwistStamped> twists = new CopyOnWriteArrayList<>();
        List<NavPath> paths = new CopyOnWriteArrayList<>();
        List<DiagnosticStatus> statuses = new CopyOnWriteArrayList<>();
        AtomicBoolean run = new AtomicBoolean(true);
        try (IhmcTransport arm = new IhmcTransport("test_arm", DdsSettings.localhost(domain))) {
            arm.subscribe("/servo_node/delta_twist_cmds", TwistStamped.TYPE, Qos.COMMANDS, twists::add, e -> {});
            arm.subscribe("/wmpc/planned_path", NavPath.TYPE, Qos.COMMANDS, paths::add, e -> {});
            arm.subscribe("/diagnostics", DiagnosticArray.TYPE, Qos.COMMANDS, m -> statuses.addAll(m.status()), e -> {});
            Thread t = tinyModelArm(arm, joints, q, run);
            try {
                int code = Wmpc.execute("ros2", "controller", "--model", model.toString(), "--urdf", urdf.toString(), "--planner", "cem",
                        "--samples", "16", "--iters", "2", "--horizon", "2", "--max-steps", "8", "--domain-id", String.valueOf(domain),
                        "--localhost-only", "--ros-args", "-p", "control_rate_hz:=5", "-p", "safety.max_step:=0.02");
                assertThat(code).isZero();
            } finally {
                run.set(false);
                t.join(1000);
            }
            Thread.sleep(200);
        }
        double period = 0.2;
        assertThat(paths).as("a path every step once the topic matched").hasSizeGreaterThanOrEqualTo(4);
        var ee = kinematics.position(q);
        for (NavPath path : paths) {
            assertThat(path.header().frameId()).isEqualTo("base_link");
            assertThat(path.poses()).as("the end effector now, then after each of the 2 planned steps").hasSize(3);
            assertThat(path.poses().get(0).position().distance(ee)).as("the path starts at the URDF's end effector").isLessThan(1e-9);
            assertThat(path.poses().get(0).orientation()).isEqualTo(kinematics.orientation(q));
            for (int h = 1; h < 3; h++) {
                var step = path.poses().get(h).position().minus(path.poses().get(h - 1).position());
                assertThat(Math.max(Math.abs(step.x()), Math.max(Math.abs(step.y()), Math.abs(step.z()))))
                        .as("a planned step within the planner's 0.02 m max-norm ball").isLessThanOrEqualTo(0.02 + 1e-6);
            }
            // the plan's first step is the command: the twist that went out (the safety filter keeps it within 0.02 m)
            var first = path.poses().get(1).position().minus(path.poses().get(0).position());
            var sent = first.norm() > 0.02 ? first.times(0.02 / first.norm()) : first;
            assertThat(twists).as("a twist for the planned first step %s", first)
                    .anyMatch(tw -> tw.linear().times(period).distance(sent) < 1e-6);
        }
        List<DiagnosticStatus> acting = statuses.stream().filter(s -> s.level() == DiagnosticStatus.Level.OK).toList();
        assertThat(acting).hasSizeGreaterThanOrEqualTo(4);
        for (DiagnosticStatus s : acting) {
            assertThat(s.name()).isEqualTo("wmpc_controller: controller");
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
            s.values().forEach(kv -> values.put(kv.key(), kv.value()));
            assertThat(values).containsKeys("step", "holds", "energy", "energy.latent", "goal_index", "goal_count", "planner_holds", "plan_ms");
            assertThat(values).containsEntry("goal_index", "1").containsEntry("goal_count", "1").containsEntry("planner_holds", "0");
            double terms = values.entrySet().stream().filter(e -> e.getKey().startsWith("energy."))
                    .mapToDouble(e -> Double.parseDouble(e.getValue())).sum();
            assertThat(terms).as("the terms add up to the energy").isCloseTo(Double.parseDouble(values.get("energy")),
                    org.assertj.core.api.Assertions.within(1e-4));
        }
        assertThat(acting).extracting(s -> Long.parseLong(s.values().get(0).value())).isSorted();
    }

    @Test
    void aMissingModelOrBadOptionIsNamed() {
        assertThat(Wmpc.execute("ros2", "controller", "--localhost-only", "--model", "/no/such/model")).isEqualTo(1);
        assertThat(Wmpc.execute("ros2", "controller", "--planner", "nope")).isEqualTo(2);
        assertThat(Wmpc.execute("ros2", "controller", "--model", "/no/such/model", "--samples", "1")).isEqualTo(2);
    }
}
