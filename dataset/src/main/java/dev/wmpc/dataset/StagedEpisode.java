package dev.wmpc.dataset;

import dev.wmpc.dataset.video.EncodedVideo;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A finished episode made durable before it is folded into the LeRobot files: one self-checking binary file
 * ({@code .wmpc-staging/episode-NNNNNN.bin}) holding the episode's rows, encoded videos and metadata, with its
 * dataset-wide episode index and first frame index already assigned.
 */
record StagedEpisode(int episodeIndex, long fromIndex, int taskIndex, RecordedEpisode episode) {
    private static final int MAGIC = 0x574d5045; // "WMPE"
    /**
     * 2 adds the environment state's width and rows, 3 each frame's tick (its time in frames of 1/fps); earlier
     * versions still read (without environment state / evenly spaced).
     */
    private static final int VERSION = 3;

    static Path dir(Path root) { return root.resolve(".wmpc-staging"); }

    static Path file(Path root, int episodeIndex) { return dir(root).resolve(String.format("episode-%06d.bin", episodeIndex)); }

    byte[] toBytes() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(64 * 1024);
        DataOutputStream out = new DataOutputStream(bos);
        RecordedEpisode e = episode;
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(episodeIndex);
        out.writeLong(fromIndex);
        out.writeInt(taskIndex);
        out.writeUTF(e.task());
        out.writeLong(e.seed());
        out.writeBoolean(e.success());
        int n = e.length();
        out.writeInt(n);
        out.writeInt(e.states()[0].length);
        out.writeInt(e.actions()[0].length);
        out.writeInt(e.environmentDim());
        for (int i = 0; i < n; i++) {
            for (float v : e.states()[i]) out.writeFloat(v);
            for (float v : e.actions()[i]) out.writeFloat(v);
            for (float v : e.environmentStates()[i]) out.writeFloat(v);
            out.writeBoolean(e.done()[i]);
            out.writeBoolean(e.frameSuccess()[i]);
        }
        for (int t : e.ticks()) out.writeInt(t);
        out.writeInt(e.videos().size());
        for (var cam : e.videos().entrySet()) {
            EncodedVideo v = cam.getValue();
            out.writeUTF(cam.getKey());
            out.writeUTF(v.codec());
            out.writeInt(v.width());
            out.writeInt(v.height());
            out.writeInt(v.fps());
            byte[] extra = v.extradata();
            out.writeInt(extra.length);
            out.write(extra);
            out.writeInt(v.packets().size());
            for (EncodedVideo.Packet p : v.packets()) {
                out.writeLong(p.pts());
                out.writeBoolean(p.key());
                out.writeInt(p.data().length);
                out.write(p.data());
            }
            FeatureStats s = e.imageStats().get(cam.getKey());
            writeStats(out, s);
        }
        out.flush();
        CRC32 crc = new CRC32();
        byte[] body = bos.toByteArray();
        crc.update(body);
        out.writeLong(crc.getValue());
        out.flush();
        return bos.toByteArray();
    }

    private static void writeStats(DataOutputStream out, FeatureStats s) throws IOException {
        writeDoubles(out, s.min()); writeDoubles(out, s.max()); writeDoubles(out, s.mean()); writeDoubles(out, s.std());
        out.writeLong(s.count());
        for (double[] q : s.quantiles()) writeDoubles(out, q);
    }

    private static FeatureStats readStats(DataInputStream in) throws IOException {
        double[] min = readDoubles(in), max = readDoubles(in), mean = readDoubles(in), std = readDoubles(in);
        long count = in.readLong();
        double[][] q = new double[FeatureStats.QUANTILES.length][];
        for (int k = 0; k < q.length; k++) q[k] = readDoubles(in);
        return new FeatureStats(List.of(3, 1, 1), min, max, mean, std, count, q);
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) out.writeDouble(x);
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readDouble();
        return v;
    }

    /** Reads a staged file; a truncated or corrupted file is an IOException naming it. */
    static StagedEpisode read(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        if (all.length < 16) throw new IOException(p + " is truncated");
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = java.nio.ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) throw new IOException(p + " is corrupted (checksum mismatch)");
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8));
        if (in.readInt() != MAGIC) throw new IOException(p + " is not a wmpc staged episode");
        int version = in.readInt();
        if (version < 1 || version > VERSION) throw new IOException(p + " is a staged episode of unknown version " + version);
        int episodeIndex = in.readInt();
        long fromIndex = in.readLong();
        int taskIndex = in.readInt();
        String task = in.readUTF();
        long seed = in.readLong();
        boolean success = in.readBoolean();
        int n = in.readInt(), ds = in.readInt(), da = in.readInt(), de = version >= 2 ? in.readInt() : 0;
        float[][] states = new float[n][ds], actions = new float[n][da], env = new float[n][de];
        boolean[] done = new boolean[n], fs = new boolean[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < ds; j++) states[i][j] = in.readFloat();
            for (int j = 0; j < da; j++) actions[i][j] = in.readFloat();
            for (int j = 0; j < de; j++) env[i][j] = in.readFloat();
            done[i] = in.readBoolean();
            fs[i] = in.readBoolean();
        }
        int[] ticks = null;
        if (version >= 3) {
            ticks = new int[n];
            for (int i = 0; i < n; i++) ticks[i] = in.readInt();
        }
        int cams = in.readInt();
        Map<String, EncodedVideo> videos = new LinkedHashMap<>();
        Map<String, FeatureStats> stats = new LinkedHashMap<>();
        for (int c = 0; c < cams; c++) {
            String name = in.readUTF(), codec = in.readUTF();
            int w = in.readInt(), h = in.readInt(), fps = in.readInt();
            byte[] extra = new byte[in.readInt()];
            in.readFully(extra);
            int np = in.readInt();
            List<EncodedVideo.Packet> packets = new ArrayList<>(np);
            for (int i = 0; i < np; i++) {
                long pts = in.readLong();
                boolean key = in.readBoolean();
                byte[] data = new byte[in.readInt()];
                in.readFully(data);
                packets.add(new EncodedVideo.Packet(pts, key, data));
            }
            videos.put(name, new EncodedVideo(codec, w, h, fps, extra, packets));
            stats.put(name, readStats(in));
        }
        return new StagedEpisode(episodeIndex, fromIndex, taskIndex,
                new RecordedEpisode(task, seed, success, states, actions, done, fs, videos, stats, env, ticks));
    }
}
