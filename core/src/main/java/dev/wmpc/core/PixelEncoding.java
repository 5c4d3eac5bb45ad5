package dev.wmpc.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The pixel encodings cameras send, named as sensor_msgs/Image names them. */
public enum PixelEncoding {
    RGB8("rgb8", 3), BGR8("bgr8", 3), RGBA8("rgba8", 4), BGRA8("bgra8", 4), MONO8("mono8", 1);

    private final String rosName;
    private final int channels;

    PixelEncoding(String rosName, int channels) { this.rosName = rosName; this.channels = channels; }

    public String rosName() { return rosName; }
    public int channels() { return channels; }

    /** Parses a sensor_msgs/Image encoding string; unknown names fail with the list of known ones. */
    public static PixelEncoding fromRosName(String name) {
        for (PixelEncoding e : values()) if (e.rosName.equalsIgnoreCase(name)) return e;
        throw new IllegalArgumentException("unknown image encoding '" + name + "': supported are "
                + Arrays.stream(values()).map(PixelEncoding::rosName).collect(Collectors.joining(", ")));
    }
}
