package dev.wmpc.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.node.UrdfArmKinematics;
import dev.wmpc.bridge.ros.NodeParams;
import dev.wmpc.bridge.ros.RosArgs;
import dev.wmpc.core.WmpcException;
import dev.wmpc.sim.ArmModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model knows its robot: the manifest names the arm it learned from, the controller loads the simulator's URDF
 * for a model trained on it, and another arm or state layout fails with one error naming both.
 */
class Ros2ControllerArmTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static NodeParams noParams() {
        RosArgs ros = RosArgs.NONE;
        return NodeParams.of(ros, ros.names("wmpc_controller"));
    }

    static JsonNode shippedManifest() throws Exception {
        return JSON.readTree(DefaultModel.resolve("default").resolve(DefaultModel.MANIFEST).toFile());
    }

    @Test
    void theSimulatorsArmStepsAsTheModelLearnedUnlessTheParameterSaysOtherwise() throws Exception {
        dev.wmpc.bridge.node.Ros2RobotConfig base = dev.wmpc.bridge.node.Ros2RobotConfig.from(noParams(),
                dev.wmpc.bridge.ros.TopicNames.resolve(RosArgs.NONE.names("wmpc_controller")));
        double conservative = base.limits().maxStep();
        assertThat(conservative).isEqualTo(0.02);
        // the shipped model learned on the simulator's arm: the filter lets its 5 cm steps through, as eval plans them
        assertThat(Ros2ControllerCommand.withArmStepLimit(base, noParams(), shippedManifest()).limits().maxStep())
                .isEqualTo(dev.wmpc.sim.SimConfig.defaults(new dev.wmpc.sim.Task.Reach()).maxStep()).isEqualTo(0.05);
        // another arm, or a model that names none, keeps the conservative default
        JsonNode otherModel = JSON.readTree("{\"arm\":{\"urdf\":\"ur5e\",\"tip_link\":\"tool0\"}}");
        assertThat(Ros2ControllerCommand.withArmStepLimit(base, noParams(), otherModel).limits().maxStep()).isEqualTo(conservative);
        assertThat(Ros2ControllerCommand.withArmStepLimit(base, noParams(), JSON.readTree("{}")).limits().maxStep()).isEqualTo(conservative);
        // safety.max_step given: it wins
        RosArgs ros = RosArgs.parse(List.of("-p", "safety.max_step:=0.01"));
        NodeParams given = NodeParams.of(ros, ros.names("wmpc_controller"));
        dev.wmpc.bridge.node.Ros2RobotConfig set = dev.wmpc.bridge.node.Ros2RobotConfig.from(given,
                dev.wmpc.bridge.ros.TopicNames.resolve(ros.names("wmpc_controller")));
        assertThat(Ros2ControllerCommand.withArmStepLimit(set, given, shippedManifest()).limits().maxStep()).isEqualTo(0.01);
    }

    /** A three-joint arm that is not the simulator's (robot name three_joint_arm, tip link tool). */
    static Path otherArm(Path dir) throws Exception {
        Path urdf = dir.resolve("three_joint_arm.urdf");
        try (InputStream in = Ros2ControllerArmTest.class.getResourceAsStream("/urdf/three_joint_arm.urdf")) {
            Files.write(urdf, in.readAllBytes());
        }
        return urdf;
    }

    @Test
    void theShippedModelNamesTheSimulatorsArmAndTheControllerLoadsItsUrdfWithoutFlags() throws Exception {
        JsonNode manifest = shippedManifest();
        assertThat(ModelArm.of(manifest)).contains(ModelArm.simulator());
        assertThat(ModelArm.simulator()).isEqualTo(new ModelArm("wmpc_arm", "tcp"));
        // what training writes: train all collects from the simulator; train world-model reads the dataset's robot type
        assertThat(ModelArm.ofDataset("wmpc_arm")).contains(ModelArm.simulator());
        assertThat(ModelArm.ofDataset("wmpc-sim")).contains(ModelArm.simulator());
        assertThat(ModelArm.ofDataset("ros2")).isEmpty();

        UrdfArmKinematics k = Ros2ControllerCommand.kinematics(null, noParams(), List.of(), manifest, "default").orElseThrow();
        assertThat(k.robot()).isEqualTo("wmpc_arm");
        assertThat(k.tipLink()).isEqualTo("tcp");
        assertThat(k.jointNames()).isEqualTo(ArmModel.ARM_JOINTS);
        // the state the observations carry is the state the model was trained with
        ModelArm.checkStateNames(ModelArm.stateNames(manifest).orElseThrow(), k.jointNames(), "default");
        // the same end-effector pose as the simulator's
        double[] q = ArmModel.HOME;
        assertThat(k.position(q).distance(new ArmModel().tcp(q).position())).isLessThan(1e-9);
    }

    @Test
    void anotherArmOrStateLayoutFailsWithOneErrorNamingBoth(@TempDir Path dir) throws Exception {
        JsonNode manifest = shippedManifest();
        Path other = otherArm(dir);
        assertThatThrownBy(() -> Ros2ControllerCommand.kinematics(other, noParams(), List.of(), manifest, "default"))
                .isInstanceOf(WmpcException.class)
                .hasMessageContaining("no link 'tcp'"); // the model's tip link is asked of the other arm's URDF
        var tipTool = NodeParams.of(RosArgs.parse(List.of("-p", "tip_link:=tool")), RosArgs.NONE.names("wmpc_controller"));
        assertThatThrownBy(() -> Ros2ControllerCommand.kinematics(other, tipTool, List.of(), manifest, "default"))
                .isInstanceOf(WmpcException.class)
                .hasMessageContaining("trained on arm 'wmpc_arm' (end effector tcp)")
                .hasMessageContaining("URDF is 'three_joint_arm' (tip_link tool)");

        JsonNode otherModel = JSON.readTree("{\"arm\":{\"urdf\":\"ur5e\",\"tip_link\":\"tool0\"}}");
        assertThatThrownBy(() -> Ros2ControllerCommand.kinematics(null, noParams(), List.of(), otherModel, "M"))
                .hasMessageContaining("trained on arm 'ur5e'").hasMessageContaining("--urdf");
        // a model from before manifests named the arm: as before, no kinematics unless --urdf
        assertThat(Ros2ControllerCommand.kinematics(null, noParams(), List.of(), JSON.readTree("{}"), "old")).isEqualTo(Optional.empty());

        List<String> trained = ModelArm.stateNames(manifest).orElseThrow();
        assertThatThrownBy(() -> ModelArm.checkStateNames(trained, List.of("yaw", "pitch1", "pitch2"), "default"))
                .hasMessageContaining("entry 0 is 'joint1' in training but 'yaw' here");
        assertThatThrownBy(() -> ModelArm.checkStateNames(trained, ArmModel.ARM_JOINTS.subList(0, 6), "default"))
                .hasMessageContaining("entry 6 is 'joint7' in training but 'ee_x' here");
    }

    @Test
    void theCommandRefusesAnotherArmBeforeJoiningDds(@TempDir Path dir) throws Exception {
        Path other = otherArm(dir);
        CliRun.Result r = CliRun.run("ros2", "controller", "--model", "default", "--urdf", other.toString(),
                "--domain-id", String.valueOf(TestDomains.next()), "--localhost-only", "--goal-timeout", "1",
                "--ros-args", "-p", "tip_link:=tool", "-p", "startup_timeout:=1");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err().strip().lines()).as(r.err()).anyMatch(l -> l.contains("trained on arm 'wmpc_arm'") && l.contains("three_joint_arm"));
        assertThat(r.err()).doesNotContain("\tat ");
    }
}
