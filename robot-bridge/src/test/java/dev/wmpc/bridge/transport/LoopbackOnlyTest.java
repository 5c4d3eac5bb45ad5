package dev.wmpc.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.msg.Bool;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** With localhost-only settings the participant's sockets live on 127.0.0.1, and multicast joins only lo. */
class LoopbackOnlyTest {

    @Test
    void localhostOnlyParticipantsBindAndJoinOnLoopbackOnly() throws Exception {
        try (Ros2Transport t = new IhmcTransport("wmpc_loopback_check", DdsSettings.localhost(TestDomains.next()))) {
            t.publisher("/wmpc/check", Bool.TYPE, Qos.COMMANDS);
            t.subscribe("/wmpc/check_in", Bool.TYPE, Qos.SENSOR_DATA, m -> {}, e -> {});
            Thread.sleep(300);
            List<String> addresses = udpAddressesOfThisProcess();
            assertThat(addresses).isNotEmpty();
            assertThat(addresses).allSatisfy(a -> assertThat(a).matches("127\\.0\\.0\\.1|239\\.255\\.0\\.1"));
            // multicast group memberships of 239.255.0.1 on any interface but lo would leak discovery
            assertThat(interfacesJoining("0100FFEF")).allSatisfy(dev -> assertThat(dev).isEqualTo("lo"));
        }
    }

    @Test
    void environmentSelectsLocalhostAsRos2Does() {
        assertThat(DdsSettings.fromEnvironment(Map.of("ROS_LOCALHOST_ONLY", "1")).localhostOnly()).isTrue();
        assertThat(DdsSettings.fromEnvironment(Map.of("ROS_AUTOMATIC_DISCOVERY_RANGE", "LOCALHOST", "ROS_DOMAIN_ID", "7")))
                .isEqualTo(new DdsSettings(7, true, List.of()));
        assertThat(DdsSettings.fromEnvironment(Map.of("ROS_STATIC_PEERS", "10.0.0.2;10.0.0.3")).staticPeers()).containsExactly("10.0.0.2", "10.0.0.3");
        assertThat(DdsSettings.fromEnvironment(Map.of()).localhostOnly()).isFalse();
        assertThat(DdsSettings.fromEnvironment(Map.of("WMPC_FRAME_PACING_KB_PER_MS", "0")).framePacingKbPerMs()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DdsSettings.fromEnvironment(Map.of("WMPC_FRAME_PACING_KB_PER_MS", "fast")))
                .hasMessageContaining("WMPC_FRAME_PACING_KB_PER_MS");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DdsSettings.fromEnvironment(Map.of("ROS_DOMAIN_ID", "x")))
                .hasMessageContaining("ROS_DOMAIN_ID");
    }

    static List<String> udpAddressesOfThisProcess() throws Exception {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                try {
                    String l = Files.readSymbolicLink(p).toString();
                    if (l.startsWith("socket:[")) inodes.add(l.substring(8, l.length() - 1));
                } catch (Exception ignored) {
                    // fd closed meanwhile
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/net/udp"))) {
            String[] c = line.trim().split("\\s+");
            if (c.length > 9 && inodes.contains(c[9])) {
                long ip = Long.parseLong(c[1].split(":")[0], 16);
                out.add((ip & 255) + "." + ((ip >> 8) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 24) & 255));
            }
        }
        return out;
    }

    static List<String> interfacesJoining(String groupHex) throws Exception {
        List<String> devs = new ArrayList<>();
        String dev = null;
        for (String line : Files.readAllLines(Path.of("/proc/net/igmp"))) {
            if (!line.startsWith("\t") && !line.startsWith(" ") && !line.startsWith("Idx")) {
                String[] c = line.trim().split("\\s+");
                dev = c.length > 1 ? c[1].replace(":", "") : null;
            } else if (line.trim().startsWith(groupHex) && dev != null) {
                devs.add(dev);
            }
        }
        return devs;
    }
}
