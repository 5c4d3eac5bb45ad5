package dev.wmpc.bridge.node;

import dev.wmpc.bridge.msg.Header;
import dev.wmpc.bridge.msg.Image;
import dev.wmpc.bridge.msg.Time;
import dev.wmpc.bridge.ros.TopicNames;
import dev.wmpc.bridge.safety.RateLimitedWarning;
import dev.wmpc.bridge.transport.Qos;
import dev.wmpc.bridge.transport.Ros2Transport;
import dev.wmpc.core.CameraFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Goal images over ROS 2, both ways. One goal image goes latched on {@code /wmpc/goal_image}. An ordered set of up to
 * {@link #MAX_IMAGES} goes latched (keep last {@link #MAX_IMAGES}) on {@code /wmpc/goal_images}: one sensor_msgs/Image
 * per goal, in order, each with {@code header.frame_id} {@code "i/n"} (1-based index, count) and all n with the same
 * header stamp, which tells one set from the next. A publisher of a set also publishes its last image on
 * {@code /wmpc/goal_image} with that stamp, so single-image subscribers see the final goal.
 *
 * <p>The subscriber side keeps the newest goal: a complete set, or a single image on {@code /wmpc/goal_image}; a single
 * image with the stamp of the set in force (or of the set being gathered) is that set's final goal and changes nothing. Each new goal is a new
 * {@link GoalSet} object, so a consumer notices a change by identity. Malformed images, frame ids that are not
 * {@code i/n}, and sets larger than {@link #MAX_IMAGES} are dropped with a rate-limited warning.
 */
public final class GoalImages implements AutoCloseable {
    /** The most goal images in one set (the final goal and up to two before it). */
    public static final int MAX_IMAGES = 3;
    /** The QoS of {@code /wmpc/goal_images}: latched, keeping a whole set for late subscribers. */
    public static final Qos SET_QOS = Qos.latched(MAX_IMAGES);

    private static final Pattern POSITION = Pattern.compile("(\\d+)/(\\d+)");

    /** A goal as received: its images in order, their stamp, and whether it came as a set on {@code /wmpc/goal_images}. */
    public record GoalSet(List<CameraFrame> images, Time stamp, boolean fromSet) {
        public GoalSet { images = List.copyOf(images); }

        /** The final goal image. */
        public CameraFrame last() { return images.get(images.size() - 1); }
    }

    private final RateLimitedWarning warnings;
    private final List<Ros2Transport.Subscription> subs = new ArrayList<>();
    private volatile GoalSet latest;
    /** The set being gathered: its stamp and the images received so far (null where still missing). */
    private Time partialStamp;
    private CameraFrame[] partial;

    public GoalImages(Ros2Transport transport, TopicNames topics, RateLimitedWarning warnings) {
        this.warnings = warnings;
        subs.add(transport.subscribe(topics.goalImage(), Image.TYPE, Qos.LATCHED, this::onSingle,
                e -> warnings.warn("goal", "dropped undecodable goal image: " + e.getMessage())));
        subs.add(transport.subscribe(topics.goalImages(), Image.TYPE, SET_QOS, this::onPart,
                e -> warnings.warn("goal", "dropped undecodable goal image on " + topics.goalImages() + ": " + e.getMessage())));
    }

    /** The messages that publish {@code images} as one set stamped {@code stampSeconds}, in order. */
    public static List<Image> messages(List<CameraFrame> images, double stampSeconds) {
        if (images.isEmpty() || images.size() > MAX_IMAGES)
            throw new IllegalArgumentException(images.size() + " goal images: give 1 to " + MAX_IMAGES);
        List<Image> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++)
            out.add(Image.of(images.get(i), Header.at(stampSeconds, frameId(i, images.size()))));
        return out;
    }

    /** {@code header.frame_id} of image {@code index} (0-based) of {@code count}: {@code "index+1/count"}. */
    public static String frameId(int index, int count) { return (index + 1) + "/" + count; }

    /** The 0-based index and the count in a frame id {@code "i/n"}, or empty when it is not one (1 <= i <= n <= MAX_IMAGES). */
    static Optional<int[]> position(String frameId) {
        Matcher m = POSITION.matcher(frameId.strip());
        if (!m.matches() || m.group(1).length() > 2 || m.group(2).length() > 2) return Optional.empty();
        int i = Integer.parseInt(m.group(1)), n = Integer.parseInt(m.group(2));
        if (i < 1 || i > n || n > MAX_IMAGES) return Optional.empty();
        return Optional.of(new int[] {i - 1, n});
    }

    /** The newest goal received, if any. */
    public Optional<GoalSet> latest() { return Optional.ofNullable(latest); }

    /** The image as a goal frame, or empty (and a warning) when it is malformed. */
    private Optional<CameraFrame> frame(Image m) {
        try {
            return Optional.of(m.toFrame("goal"));
        } catch (RuntimeException e) {
            warnings.warn("goal", "dropped malformed goal image: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void onSingle(Image m) {
        Optional<CameraFrame> frame = frame(m);
        if (frame.isEmpty()) return;
        CameraFrame f = frame.get();
        synchronized (this) {
            GoalSet now = latest;
            // the final image of the set in force, or of one being gathered: nothing new
            if (now != null && now.fromSet() && now.stamp().equals(m.header().stamp())) return;
            if (partial != null && m.header().stamp().equals(partialStamp)) return;
            latest = new GoalSet(List.of(f), m.header().stamp(), false);
        }
    }

    private void onPart(Image m) {
        Optional<int[]> at = position(m.header().frameId());
        if (at.isEmpty()) {
            warnings.warn("goal", "dropped a goal image whose frame_id '" + m.header().frameId() + "' is not i/n (1 <= i <= n <= "
                    + MAX_IMAGES + ")");
            return;
        }
        Optional<CameraFrame> frame = frame(m);
        if (frame.isEmpty()) return;
        int index = at.get()[0], count = at.get()[1];
        synchronized (this) {
            if (partial == null || !m.header().stamp().equals(partialStamp) || partial.length != count) {
                partialStamp = m.header().stamp(); // a new set begins: what was gathered of another one is dropped
                partial = new CameraFrame[count];
            }
            partial[index] = frame.get();
            if (Arrays.stream(partial).allMatch(p -> p != null)) {
                latest = new GoalSet(Arrays.asList(partial), partialStamp, true);
                partial = null;
            }
        }
    }

    @Override public void close() {
        for (Ros2Transport.Subscription s : subs) s.close();
    }
}
