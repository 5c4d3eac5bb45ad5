package dev.wmpc.bridge.transport;

import dev.wmpc.core.WmpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where DDS traffic goes: the ROS domain, whether discovery and data stay on the loopback interface
 * (ROS_LOCALHOST_ONLY=1 or ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST, as ROS 2 does), and extra unicast peers
 * (ROS_STATIC_PEERS, semicolon separated). Camera frames are paced at {@code framePacingKbPerMs} kB per millisecond
 * (WMPC_FRAME_PACING_KB_PER_MS, default 96; 0 sends each frame in one burst): pacing keeps receivers with Linux's
 * default 208 kB socket buffers from losing fragments, at the cost of about 10 ms per 640x480 rgb8 frame.
 */
public record DdsSettings(int domainId, boolean localhostOnly, List<String> staticPeers, int framePacingKbPerMs) {
    public static final int DEFAULT_FRAME_PACING_KB_PER_MS = 96;

    public DdsSettings(int domainId, boolean localhostOnly, List<String> staticPeers) {
        this(domainId, localhostOnly, staticPeers, DEFAULT_FRAME_PACING_KB_PER_MS);
    }

    public DdsSettings {
        if (domainId < 0 || domainId > 232)
            throw new WmpcException("ROS domain id " + domainId + " is out of range: use 0..232 (ROS_DOMAIN_ID)");
        staticPeers = List.copyOf(staticPeers);
        if (framePacingKbPerMs < 0) throw new WmpcException("frame pacing " + framePacingKbPerMs + " kB/ms must be 0 (off) or more");
    }

    /** Loopback only on the given domain: what every test uses. */
    public static DdsSettings localhost(int domainId) { return new DdsSettings(domainId, true, List.of()); }

    public DdsSettings withFramePacing(int kbPerMs) { return new DdsSettings(domainId, localhostOnly, staticPeers, kbPerMs); }

    public static DdsSettings fromEnvironment() { return fromEnvironment(System.getenv()); }

    public static DdsSettings fromEnvironment(Map<String, String> env) {
        int domain = 0;
        String d = env.get("ROS_DOMAIN_ID");
        if (d != null && !d.isBlank()) {
            try {
                domain = Integer.parseInt(d.trim());
            } catch (NumberFormatException e) {
                throw new WmpcException("ROS_DOMAIN_ID='" + d + "' is not a number: set it to 0..232 or unset it");
            }
        }
        boolean localhost = "1".equals(trim(env.get("ROS_LOCALHOST_ONLY")))
                || "LOCALHOST".equalsIgnoreCase(trim(env.get("ROS_AUTOMATIC_DISCOVERY_RANGE")));
        List<String> peers = new ArrayList<>();
        String p = env.get("ROS_STATIC_PEERS");
        if (p != null) for (String s : p.split(";")) if (!s.isBlank()) peers.add(s.trim());
        int pacing = DEFAULT_FRAME_PACING_KB_PER_MS;
        String f = env.get("WMPC_FRAME_PACING_KB_PER_MS");
        if (f != null && !f.isBlank()) {
            try {
                pacing = Integer.parseInt(f.trim());
            } catch (NumberFormatException e) {
                throw new WmpcException("WMPC_FRAME_PACING_KB_PER_MS='" + f + "' is not a whole number: use 0 (off) or kB per millisecond");
            }
        }
        return new DdsSettings(domain, localhost, peers, pacing);
    }

    private static String trim(String s) { return s == null ? "" : s.trim(); }
}
