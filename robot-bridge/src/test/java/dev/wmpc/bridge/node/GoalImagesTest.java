package dev.wmpc.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wmpc.bridge.TestDomains;
import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.bridge.transport.DdsSettings;
import dev.wmpc.bridge.transport.IhmcTransport;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.PixelEncoding;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Goal sets over real DDS on loopback: a late subscriber gathers a whole set; the newest goal wins; junk is dropped. */
class GoalImagesTest {

    static CameraFrame frame(int shade) {
        byte[] px = new byte[4 * 3 * 3];
        java.util.Arrays.fill(px, (byte) shade);
        return new CameraFrame("goal", 4, 3, PixelEncoding.RGB8, px, 0);
    }

    static int shade(CameraFrame f) { return f.data()[0]; }

    static List<Integer> shades(GoalImages.GoalSet g) { return g.images().stream().map(GoalImagesTest::shade).toList(); }

    @Test
    void frameIdsCarryIndexAndCount() {
        assertThat(GoalImages.frameId(0, 3)).isEqualTo("1/3");
        assertThat(GoalImages.position("2/3")).hasValueSatisfying(p -> assertThat(p).containsExactly(1, 3));
        assertThat(GoalImages.position(" 1/1 ")).hasValueSatisfying(p -> assertThat(p).containsExactly(0, 1));
        for (String bad : List.of("", "camera", "0/2", "3/2", "1/4", "1/", "/2", "-1/2", "1/2/3", "999999999999/1"))
            assertThat(GoalImages.position(bad)).as(bad).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GoalImages.messages(List.of(frame(1), frame(2), frame(3), frame(4)), 1))
                .hasMessageContaining("give 1 to 3");
    }

    @Test
    void aLateSubscriberGathersTheSetAndTheNewestGoalWins() throws Exception {
        DdsSettings dds = DdsSettings.localhost(TestDomains.next());
        try (Ros2Transport sender = new IhmcTransport("goal_sender", dds);
             Ros2Transport receiver = new IhmcTransport("wmpc_controller", dds)) {
            var setOut = sender.publisher(TopicNames.DEFAULT.goalImages(), Image.TYPE, GoalImages.SET_QOS);
            var singleOut = sender.publisher(TopicNames.DEFAULT.goalImage(), Image.TYPE, Qos.LATCHED);
            // an older set's tail, then a whole set of 3: the subscriber joins after both went out
            setOut.publish(GoalImages.messages(List.of(frame(7), frame(8)), 5).get(1));
            for (Image m : GoalImages.messages(List.of(frame(1), frame(2), frame(3)), 10)) setOut.publish(m);
            singleOut.publish(Image.of(frame(3), Header.at(10, "camera"))); // the set's final image, same stamp
            try (GoalImages goals = new GoalImages(receiver, TopicNames.DEFAULT, new RateLimitedWarning(LoggerFactory.getLogger("test"), 2))) {
                GoalImages.GoalSet first = await(goals, g -> g.fromSet());
                assertThat(shades(first)).containsExactly(1, 2, 3);
                Thread.sleep(300); // the same-stamp single image must not replace the set
                assertThat(goals.latest()).containsSame(first);

                // a new single goal replaces the set
                singleOut.publish(Image.of(frame(9), Header.at(11, "camera")));
                GoalImages.GoalSet single = await(goals, g -> !g.fromSet());
                assertThat(shades(single)).containsExactly(9);

                // a frame id that is not i/n, and a malformed image, are dropped; a new set of 2 replaces the single
                setOut.publish(Image.of(frame(5), Header.at(12, "camera")));
                setOut.publish(new Image(Header.at(12, "1/2"), 3, 4, "rgb8", false, 12, new byte[5]));
                for (Image m : GoalImages.messages(List.of(frame(4), frame(6)), 13)) setOut.publish(m);
                GoalImages.GoalSet second = await(goals, g -> g.fromSet() && g != first);
                assertThat(shades(second)).containsExactly(4, 6);
                assertThat(second.last().width()).isEqualTo(4);
            }
        }
    }

    static GoalImages.GoalSet await(GoalImages goals, java.util.function.Predicate<GoalImages.GoalSet> ok) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            Optional<GoalImages.GoalSet> g = goals.latest();
            if (g.isPresent() && ok.test(g.get())) return g.get();
            Thread.sleep(10);
        }
        throw new AssertionError("timed out waiting for the goal; latest: " + goals.latest().map(GoalImagesTest::shades));
    }
}
