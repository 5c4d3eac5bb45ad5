package dev.wmpc.dataset.video;

import java.util.Arrays;
import java.util.List;

/**
 * One episode of one camera, encoded: the codec's global header (SPS/PPS for H.264) and one packet per frame in
 * presentation order, timestamps in frames (time base 1/fps; consecutive unless frames were taken with holes between
 * them, see {@link #atTicks}). Episodes encoded with the same settings share the header and can be concatenated into
 * one mp4 without re-encoding.
 */
public record EncodedVideo(String codec, int width, int height, int fps, byte[] extradata, List<Packet> packets) {
    public EncodedVideo {
        extradata = extradata.clone();
        packets = List.copyOf(packets);
    }

    @Override public byte[] extradata() { return extradata.clone(); }

    public int frameCount() { return packets.size(); }

    /** The episode's length in frames of 1/fps: its last frame's timestamp plus one (the frame count without holes). */
    public long span() {
        long last = -1;
        for (Packet p : packets) last = Math.max(last, p.pts());
        return last + 1;
    }

    /**
     * The same frames with frame {@code i} (presentation order) at {@code ticks[i]} frames of 1/fps: an episode whose
     * frames were not evenly spaced keeps each frame at its time. {@code ticks} must be increasing.
     */
    public EncodedVideo atTicks(int[] ticks) {
        if (ticks.length != packets.size())
            throw new IllegalArgumentException(ticks.length + " frame times for " + packets.size() + " frames");
        List<Packet> out = new java.util.ArrayList<>(packets.size());
        for (Packet p : packets) out.add(new Packet(ticks[(int) p.pts()], p.key(), p.data()));
        return new EncodedVideo(codec, width, height, fps, extradata, out);
    }

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
