package dev.wmpc.bridge.ros;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wmpc.core.WmpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RosArgsTest {

    @Test
    void splitsOwnArgumentsFromRosArguments() {
        var s = RosArgs.split(List.of("--model", "default", "--ros-args", "-r", "__node:=ctl", "-r", "__ns:=/arm1",
                "-r", "/camera/image_raw:=/cam0/image", "-p", "control_rate_hz:=5", "--", "--json"));
        assertThat(s.own()).containsExactly("--model", "default", "--json");
        assertThat(s.ros().nodeName()).contains("ctl");
        assertThat(s.ros().namespace()).contains("/arm1");
        assertThat(s.ros().params()).containsEntry("control_rate_hz", "5");
    }

    @Test
    void namesResolveUnderTheNamespaceThenRemap() {
        var args = RosArgs.parse(List.of("-r", "__ns:=/arm1", "-r", "camera/image_raw:=/cam0/image", "-r", "other:joy:=/x"));
        TopicNames t = TopicNames.resolve(args.names("wmpc_controller"));
        assertThat(t.camera()).isEqualTo("/cam0/image");
        assertThat(t.jointStates()).isEqualTo("/arm1/joint_states");
        assertThat(t.joy()).as("remap for another node is ignored").isEqualTo("/arm1/joy");
        assertThat(TopicNames.DEFAULT.twist()).isEqualTo("/servo_node/delta_twist_cmds");
        assertThat(TopicNames.DEFAULT.goalImage()).isEqualTo("/wmpc/goal_image");
        assertThat(args.names("n").resolve("~/status")).isEqualTo("/arm1/n/status");
    }

    @Test
    void badArgumentsAreUsageErrorsNamingTheFix() {
        assertThatThrownBy(() -> RosArgs.parse(List.of("-r", "nonsense")))
                .isInstanceOf(WmpcException.class).hasMessageContaining("from:=to")
                .satisfies(e -> assertThat(((WmpcException) e).exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> RosArgs.parse(List.of("--bogus"))).hasMessageContaining("unknown ROS argument '--bogus'");
        assertThatThrownBy(() -> RosArgs.parse(List.of("-r", "__ns:=relative"))).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> RosArgs.parse(List.of("--params-file", "/no/such/file.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void paramsFilesMergeWildcardThenNodeSectionsThenOverrides(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("params.yaml");
        Files.writeString(f, """
                /**:
                  ros__parameters:
                    control_rate_hz: 10.0   # everyone
                    command_mode: twist
                wmpc_controller:
                  ros__parameters:
                    command_mode: "joint_trajectory"
                    joint_names: [j1, j2, 'j3']
                    safety:
                      max_step: 0.005
                      workspace_min:
                        - -0.5
                        - -0.5
                        - 0.0
                other_node:
                  ros__parameters:
                    control_rate_hz: 99.0
                """);
        var args = RosArgs.parse(List.of("--params-file", f.toString(), "-p", "control_rate_hz:=20"));
        NodeParams p = NodeParams.of(args, args.names("wmpc_controller"));
        assertThat(p.number("control_rate_hz", 0)).isEqualTo(20);
        assertThat(p.string("command_mode", "")).isEqualTo("joint_trajectory");
        assertThat(p.strings("joint_names")).contains(List.of("j1", "j2", "j3"));
        assertThat(p.number("safety.max_step", 0)).isEqualTo(0.005);
        assertThat(p.numbers("safety.workspace_min", 3)).hasValueSatisfying(v -> assertThat(v).containsExactly(-0.5, -0.5, 0.0));
        NodeParams other = NodeParams.of(RosArgs.parse(List.of("--params-file", f.toString())), args.names("other_node"));
        assertThat(other.number("control_rate_hz", 0)).isEqualTo(99);
        assertThatThrownBy(() -> p.number("command_mode", 0)).hasMessageContaining("is not a number");
        // wildcard sections reach namespaced nodes too; exact sections may carry the namespace
        NodeParams nested = NodeParams.of(RosArgs.parse(List.of("--params-file", f.toString())),
                RosArgs.parse(List.of("-r", "__ns:=/arm1")).names("wmpc_controller"));
        assertThat(nested.string("command_mode", "")).isEqualTo("joint_trajectory");
        assertThat(nested.number("control_rate_hz", 0)).isEqualTo(10);
        assertThat(ParamsFile.wildcardRegex("/arm*/wmpc_*")).satisfies(re -> {
            assertThat("/arm1/wmpc_sim".matches(re)).isTrue();
            assertThat("/arm1/x/wmpc_sim".matches(re)).isFalse();
        });
    }

    @Test
    void theShippedAmentParamsFileParses() {
        Path f = Path.of("ament/wmpc_ros2/config/wmpc.yaml");
        var args = RosArgs.parse(List.of("--params-file", f.toString()));
        NodeParams ctl = NodeParams.of(args, args.names("wmpc_controller"));
        assertThat(ctl.number("control_rate_hz", 0)).isEqualTo(5);
        assertThat(ctl.string("command_mode", "")).isEqualTo("twist");
        assertThat(dev.wmpc.bridge.safety.SafetyLimits.from(ctl).maxStep()).isEqualTo(0.05);
        NodeParams sim = NodeParams.of(args, args.names("wmpc_sim"));
        assertThat(sim.number("camera_rate_hz", 0)).isEqualTo(30);
        assertThat(sim.string("command_mode")).isEmpty();
    }
}
