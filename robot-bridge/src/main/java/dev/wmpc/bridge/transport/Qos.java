package dev.wmpc.bridge.transport;

/** The QoS a ROS 2 topic uses, in ROS terms. History is always keep-last with this depth. */
public record Qos(Reliability reliability, Durability durability, int depth) {
    public enum Reliability { BEST_EFFORT, RELIABLE }
    public enum Durability { VOLATILE, TRANSIENT_LOCAL }

    public Qos {
        if (depth < 1) throw new IllegalArgumentException("QoS history depth must be at least 1, got " + depth);
    }

    /** rclcpp's SensorDataQoS: best effort, keep last 5: cameras, joint states. */
    public static final Qos SENSOR_DATA = new Qos(Reliability.BEST_EFFORT, Durability.VOLATILE, 5);
    /** rclcpp's default: reliable, volatile, keep last 10: commands. */
    public static final Qos COMMANDS = new Qos(Reliability.RELIABLE, Durability.VOLATILE, 10);
    /** Latched: reliable, transient local, keep last 1: the goal image, late joiners still get it. */
    public static final Qos LATCHED = new Qos(Reliability.RELIABLE, Durability.TRANSIENT_LOCAL, 1);

    /** Latched with room for the last {@code depth} messages: a set of goal images, each one message. */
    public static Qos latched(int depth) { return new Qos(Reliability.RELIABLE, Durability.TRANSIENT_LOCAL, depth); }
}
