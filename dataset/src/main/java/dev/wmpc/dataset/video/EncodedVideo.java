package dev.wmpc.dataset.video;

import java.util.Arrays;
import java.util.List;

/**
 * One episode of one camera, encoded: the codec's global header (SPS/PPS for H.264) and one packet per frame in
 * presentation order, timestamps in frames (time base 1/fps). Episodes encoded with the same settings share the
 * header and can be concatenated into one mp4 without re-encoding.
 */
public record EncodedVideo(String codec, int width, int height, int fps, byte[] extradata, List<Packet> packets) {
    public EncodedVideo {
        extradata = extradata.clone();
        packets = List.copyOf(packets);
    }

    @Override public byte[] extradata() { return extradata.clone(); }

    public int frameCount() { return packets.size(); }

    public long byteSize() {
        long n = extradata.length;
        for (Packet p : packets) n += p.data().length;
        return n;
    }

    /** True when this episode can be muxed into the same stream as {@code other}. */
    public boolean compatibleWith(EncodedVideo other) {
        return codec.equals(other.codec) && width == other.width && height == other.height && fps == other.fps
                && Arrays.equals(extradata, other.extradata);
    }

    /** One encoded frame: its presentation index within the episode, whether it is a keyframe, its bytes. */
    public record Packet(long pts, boolean key, byte[] data) {}
}
