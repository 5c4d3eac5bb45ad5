package dev.wmpc.bridge.transport;

import dev.wmpc.bridge.msg.MessageType;
import java.util.function.Consumer;

/**
 * The little a node needs from a ROS 2 client: publishers and subscriptions on fully resolved topic names
 * ({@code /camera/image_raw}). One transport = one DDS participant. Implementations: {@link IhmcTransport}
 * (Fast DDS through IHMC's Java binding); another client (rcljava, a pure-Java RTPS stack) can be added behind it.
 */
public interface Ros2Transport extends AutoCloseable {

    <T> Publisher<T> publisher(String topic, MessageType<T> type, Qos qos);

    /**
     * Subscribes; {@code onMessage} runs on a transport thread for each decoded message, {@code onMalformed} for
     * each message that could not be decoded (the subscription keeps running).
     */
    <T> Subscription subscribe(String topic, MessageType<T> type, Qos qos, Consumer<T> onMessage, Consumer<RuntimeException> onMalformed);

    /** Closes every publisher and subscription and leaves the DDS domain. */
    @Override void close();

    interface Publisher<T> extends AutoCloseable {
        /** Sends one message; false if the transport refused it (e.g. closed). */
        boolean publish(T message);
        @Override void close();
    }

    interface Subscription extends AutoCloseable {
        @Override void close();
    }
}
