package dev.wmpc.dataset.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Decodes frames of one mp4 (H.264, AV1 or anything this FFmpeg decodes to yuv420p) to RGB24. Frames are selected by
 * timestamp, as LeRobot does: an episode is the frames with {@code from <= t < to} seconds.
 */
public final class VideoReader implements AutoCloseable {
    private final Path path;
    private final AVFormatContext fmt;
    private final AVCodecContext dec;
    private final AVPacket pkt;
    private final AVFrame frame;
    private final int streamIndex;
    private final double timeBase;
    private final int width, height;

    public VideoReader(Path path) throws IOException {
        this.path = path;
        AVFormatContext f = new AVFormatContext(null);
        Av.check(avformat_open_input(f, path.toString(), null, null), "opening video " + path);
        fmt = f;
        AVCodecContext d = null;
        try {
            Av.check(avformat_find_stream_info(fmt, (org.bytedeco.javacpp.PointerPointer<?>) null), "reading stream info of " + path);
            int idx = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            Av.check(idx, "finding a video stream in " + path);
            streamIndex = idx;
            AVStream st = fmt.streams(idx);
            AVCodec codec = null;
            if (st.codecpar().codec_id() == AV_CODEC_ID_AV1) {
                // FFmpeg's native AV1 decoder needs a hardware accelerator; prefer the software ones.
                for (String name : new String[] {"libdav1d", "libaom-av1"}) {
                    AVCodec c = avcodec_find_decoder_by_name(name);
                    if (c != null && !c.isNull()) { codec = c; break; }
                }
            }
            if (codec == null) codec = avcodec_find_decoder(st.codecpar().codec_id());
            if (codec == null || codec.isNull())
                throw new IOException("no decoder for the video codec of " + path + " in this FFmpeg build");
            d = avcodec_alloc_context3(codec);
            Av.check(avcodec_parameters_to_context(d, st.codecpar()), "configuring the decoder for " + path);
            d.thread_count(1);
            Av.check(avcodec_open2(d, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "opening the decoder for " + path);
            timeBase = (double) st.time_base().num() / st.time_base().den();
            width = st.codecpar().width();
            height = st.codecpar().height();
        } catch (IOException | RuntimeException e) {
            if (d != null) avcodec_free_context(d);
            avformat_close_input(fmt);
            throw e;
        }
        dec = d;
        pkt = av_packet_alloc();
        frame = av_frame_alloc();
    }

    public int width() { return width; }
    public int height() { return height; }

    /** Number of video frames the container declares (0 if unknown). */
    public long declaredFrames() { return fmt.streams(streamIndex).nb_frames(); }

    /** Presentation times in seconds of every video packet (one per frame), read without decoding, sorted. */
    public double[] packetTimes() throws IOException {
        Av.check(av_seek_frame(fmt, streamIndex, 0, AVSEEK_FLAG_BACKWARD), "seeking in " + path);
        List<Double> times = new ArrayList<>();
        while (true) {
            int ret = av_read_frame(fmt, pkt);
            if (ret == AVERROR_EOF) break;
            Av.check(ret, "reading " + path);
            if (pkt.stream_index() == streamIndex) times.add((pkt.pts() == AV_NOPTS_VALUE ? pkt.dts() : pkt.pts()) * timeBase);
            av_packet_unref(pkt);
        }
        return times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** Decodes every frame of the file and returns how many there are (for validation). */
    public int countFrames() throws IOException {
        List<byte[]> all = new ArrayList<>();
        decodeRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, all, false);
        return all.size();
    }

    /**
     * Decodes the frames with {@code from - tol <= t < to - tol} into RGB24 arrays. {@code tol} is half a frame, so
     * rounding in container time bases never shifts the cut.
     */
    public List<byte[]> decode(double fromSeconds, double toSeconds, double frameSeconds) throws IOException {
        List<byte[]> out = new ArrayList<>();
        double tol = frameSeconds / 2;
        decodeRange(fromSeconds - tol, toSeconds - tol, out, true);
        return out;
    }

    private void decodeRange(double from, double to, List<byte[]> out, boolean keepPixels) throws IOException {
        long target = Double.isInfinite(from) ? Long.MIN_VALUE : (long) Math.floor(Math.max(0, from) / timeBase);
        Av.check(av_seek_frame(fmt, streamIndex, Double.isInfinite(from) ? 0 : target, AVSEEK_FLAG_BACKWARD), "seeking in " + path);
        avcodec_flush_buffers(dec);
        boolean done = false;
        while (!done) {
            int ret = av_read_frame(fmt, pkt);
            if (ret == AVERROR_EOF) {
                avcodec_send_packet(dec, null);
                done = receive(from, to, out, keepPixels) || true;
                break;
            }
            Av.check(ret, "reading " + path);
            try {
                if (pkt.stream_index() != streamIndex) continue;
                Av.check(avcodec_send_packet(dec, pkt), "decoding " + path);
            } finally {
                av_packet_unref(pkt);
            }
            done = receive(from, to, out, keepPixels);
        }
    }

    /** Returns true once a frame at or past {@code to} was seen. */
    private boolean receive(double from, double to, List<byte[]> out, boolean keepPixels) throws IOException {
        while (true) {
            int ret = avcodec_receive_frame(dec, frame);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) return false;
            Av.check(ret, "decoding a frame of " + path);
            long pts = frame.best_effort_timestamp();
            double t = pts * timeBase;
            try {
                if (t < from) continue;
                if (t >= to) return true;
                out.add(keepPixels ? toRgb() : new byte[0]);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private byte[] toRgb() throws IOException {
        int f = frame.format();
        if (f != AV_PIX_FMT_YUV420P && f != AV_PIX_FMT_YUVJ420P)
            throw new IOException(path + " has pixel format " + av_get_pix_fmt_name(f).getString()
                    + ": only yuv420p videos are supported; re-encode with -pix_fmt yuv420p");
        int w = frame.width(), h = frame.height();
        int ys = frame.linesize(0), us = frame.linesize(1), vs = frame.linesize(2);
        int ch = (h + 1) / 2;
        byte[] y = new byte[ys * h], u = new byte[us * ch], v = new byte[vs * ch];
        frame.data(0).position(0).get(y);
        frame.data(1).position(0).get(u);
        frame.data(2).position(0).get(v);
        byte[] rgb = new byte[w * h * 3];
        Yuv.yuv420ToRgb(y, ys, u, us, v, vs, w, h, rgb);
        return rgb;
    }

    @Override public void close() {
        av_frame_free(frame);
        av_packet_free(pkt);
        avcodec_free_context(dec);
        avformat_close_input(fmt);
    }
}
