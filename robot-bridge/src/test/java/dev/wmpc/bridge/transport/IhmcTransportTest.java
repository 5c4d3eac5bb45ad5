package dev.wmpc.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.msg.Bool;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.JointState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IhmcTransportTest {

    static void waitFor(java.util.function.BooleanSupplier cond, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!cond.getAsBoolean() && System.nanoTime() < end) Thread.sleep(10);
    }

    @Test
    void framesJointStatesAndCommandsCrossTwoParticipantsOnLoopback() throws Exception {
        DdsSettings dds = DdsSettings.localhost(TestDomains.next());
        try (Ros2Transport a = new IhmcTransport("wmpc_test_pub", dds); Ros2Transport b = new IhmcTransport("wmpc_test_sub", dds)) {
            List<Image> images = new CopyOnWriteArrayList<>();
            List<JointState> states = new CopyOnWriteArrayList<>();
            List<Boolean> flags = new CopyOnWriteArrayList<>();
            AtomicInteger bad = new AtomicInteger();
            b.subscribe("/camera/image_raw", Image.TYPE, Qos.SENSOR_DATA, images::add, e -> bad.incrementAndGet());
            b.subscribe("/joint_states", JointState.TYPE, Qos.SENSOR_DATA, states::add, e -> bad.incrementAndGet());
            b.subscribe("/wmpc/estop", Bool.TYPE, Qos.COMMANDS, m -> flags.add(m.data()), e -> bad.incrementAndGet());
            var img = a.publisher("/camera/image_raw", Image.TYPE, Qos.SENSOR_DATA);
            var js = a.publisher("/joint_states", JointState.TYPE, Qos.SENSOR_DATA);
            var estop = a.publisher("/wmpc/estop", Bool.TYPE, Qos.COMMANDS);
            byte[] px = new byte[640 * 480 * 3];
            for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 31);
            // discovery first
            waitFor(() -> { estop.publish(new Bool(false)); return !flags.isEmpty(); }, 5000);
            assertThat(flags).as("reliable command after discovery").isNotEmpty();
            for (int i = 0; i < 20; i++) {
                img.publish(new Image(Header.at(i, "cam"), 480, 640, "rgb8", false, 640 * 3, px));
                js.publish(new JointState(Header.at(i, ""), List.of("j1", "j2"), new double[] {i, -i}, new double[0], new double[0]));
                Thread.sleep(33);
            }
            estop.publish(new Bool(true));
            waitFor(() -> images.size() >= 19 && flags.contains(true), 3000);
            assertThat(images.size()).isGreaterThanOrEqualTo(19);
            assertThat(images.get(images.size() - 1).data()).isEqualTo(px);
            assertThat(states.size()).isGreaterThanOrEqualTo(19);
            assertThat(states.get(states.size() - 1).names()).containsExactly("j1", "j2");
            assertThat(flags).contains(true);
            assertThat(bad.get()).isZero();
        }
    }
}
