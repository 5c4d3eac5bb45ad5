package dev.wmpc.dataset.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Encodes one episode of RGB24 frames to H.264 (OpenH264 in FFmpeg), yuv420p, every frame a presentation step of
 * 1/fps, no B-frames, the first frame a keyframe. One encoder per episode: the episode then starts with an IDR frame
 * and can be cut out of a concatenated mp4 exactly.
 */
public final class H264Encoder implements AutoCloseable {
    /** FFmpeg encoder used; its output is plain H.264 that ffmpeg, PyAV and browsers decode. */
    public static final String ENCODER = "libopenh264";
    public static final String CODEC = "h264";

    private final int width, height, fps;
    private final String codecName;
    private final AVCodecContext ctx;
    private final AVFrame frame;
    private final AVPacket pkt;
    private final byte[] y, u, v;
    private final List<EncodedVideo.Packet> packets = new ArrayList<>();
    private long nextPts;
    private boolean finished;

    public H264Encoder(int width, int height, int fps) throws IOException { this(width, height, fps, ENCODER, CODEC); }

    /**
     * An encoder by FFmpeg name (e.g. "libsvtav1" for AV1, LeRobot's default) writing codec {@code codec}
     * ("h264", "av1").
     */
    public H264Encoder(int width, int height, int fps, String encoderName, String codecName) throws IOException {
        if (width % 2 != 0 || height % 2 != 0)
            throw new IllegalArgumentException("video size " + width + "x" + height + " must be even for yuv420p");
        this.width = width; this.height = height; this.fps = fps;
        av_log_set_level(AV_LOG_ERROR);
        this.codecName = codecName;
        AVCodec codec = avcodec_find_encoder_by_name(encoderName);
        if (codec == null || codec.isNull()) throw new IOException("FFmpeg has no " + encoderName + " encoder in this build");
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        if (ctx == null || ctx.isNull()) throw new IOException("FFmpeg could not allocate a " + encoderName + " encoder context (out of memory)");
        AVFrame f = null;
        AVPacket p = null;
        try {
            ctx.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P);
            ctx.time_base(rational(1, fps)).framerate(rational(fps, 1));
            ctx.max_b_frames(0).gop_size(Math.max(fps * 10, 30)).thread_count(1);
            ctx.color_range(AVCOL_RANGE_MPEG);
            ctx.bit_rate(Math.max(200_000L, (long) width * height * fps * 4));
            ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            AVDictionary opts = new AVDictionary(null);
            if (encoderName.equals(ENCODER)) {
                av_dict_set(opts, "rc_mode", "quality", 0);
                av_dict_set(opts, "allow_skip_frames", "0", 0);
            }
            try {
                Av.check(avcodec_open2(ctx, codec, opts), "opening the " + encoderName + " encoder at " + width + "x" + height);
            } finally {
                av_dict_free(opts);
            }
            f = av_frame_alloc();
            if (f == null || f.isNull()) throw new IOException("FFmpeg could not allocate a video frame (out of memory)");
            f.format(AV_PIX_FMT_YUV420P).width(width).height(height);
            Av.check(av_frame_get_buffer(f, 0), "allocating a video frame");
            p = av_packet_alloc();
            if (p == null || p.isNull()) throw new IOException("FFmpeg could not allocate a packet (out of memory)");
        } catch (Throwable t) { // free what was allocated: the caller never gets an object to close
            if (p != null) av_packet_free(p);
            if (f != null) av_frame_free(f);
            avcodec_free_context(ctx);
            throw t;
        }
        this.ctx = ctx;
        this.frame = f;
        this.pkt = p;
        y = new byte[width * height];
        u = new byte[(width / 2) * (height / 2)];
        v = new byte[u.length];
    }

    private static AVRational rational(int num, int den) { return av_make_q(num, den); }

    /** Encodes one RGB24 frame (width*height*3 bytes, row-major, top row first). */
    public void encode(byte[] rgb) throws IOException {
        if (finished) throw new IllegalStateException("encoder already finished");
        if (rgb.length != width * height * 3)
            throw new IllegalArgumentException("frame has " + rgb.length + " bytes, expected " + width * height * 3);
        Yuv.rgbToYuv420(rgb, width, height, y, u, v);
        Av.check(av_frame_make_writable(frame), "making a frame writable");
        putPlane(0, y, width, height);
        putPlane(1, u, width / 2, height / 2);
        putPlane(2, v, width / 2, height / 2);
        frame.pts(nextPts);
        if (nextPts == 0) frame.pict_type(AV_PICTURE_TYPE_I);
        else frame.pict_type(AV_PICTURE_TYPE_NONE);
        nextPts++;
        Av.check(avcodec_send_frame(ctx, frame), "sending a frame to the encoder");
        drain();
    }

    private void putPlane(int plane, byte[] src, int w, int h) {
        int stride = frame.linesize(plane);
        var p = frame.data(plane);
        if (stride == w) p.position(0).put(src, 0, w * h);
        else for (int j = 0; j < h; j++) p.position((long) j * stride).put(src, j * w, w);
        p.position(0);
    }

    private void drain() throws IOException {
        while (true) {
            int ret = avcodec_receive_packet(ctx, pkt);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) return;
            Av.check(ret, "receiving an encoded packet");
            byte[] data = new byte[pkt.size()];
            pkt.data().position(0).get(data);
            packets.add(new EncodedVideo.Packet(pkt.pts(), (pkt.flags() & AV_PKT_FLAG_KEY) != 0, data));
            av_packet_unref(pkt);
        }
    }

    /** Flushes the encoder and returns the episode's encoded video. */
    public EncodedVideo finish() throws IOException {
        if (!finished) {
            finished = true;
            Av.check(avcodec_send_frame(ctx, null), "flushing the encoder");
            drain();
        }
        if (packets.size() != nextPts)
            throw new IOException("encoder returned " + packets.size() + " packets for " + nextPts + " frames");
        byte[] extra = new byte[ctx.extradata_size()];
        if (extra.length > 0) ctx.extradata().position(0).get(extra);
        return new EncodedVideo(codecName, width, height, fps, extra, packets);
    }

    @Override public void close() {
        av_packet_free(pkt);
        av_frame_free(frame);
        avcodec_free_context(ctx);
    }
}
