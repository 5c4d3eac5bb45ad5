package dev.wmpc.dataset.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

/**
 * Muxes encoded episodes one after another into one mp4 without re-encoding (LeRobot v3 keeps many episodes per
 * video file). Episode k starts at the sum of the earlier episodes' durations ({@link EncodedVideo#span}, holes
 * included): {@link #startTimes}.
 */
public final class Mp4Writer {
    private Mp4Writer() {}

    /** Start time in seconds of each episode inside the file, plus the total duration as the last entry. */
    public static double[] startTimes(List<EncodedVideo> episodes) {
        double[] t = new double[episodes.size() + 1];
        long frames = 0;
        for (int i = 0; i < episodes.size(); i++) {
            t[i] = (double) frames / episodes.get(i).fps();
            frames += episodes.get(i).span();
        }
        t[episodes.size()] = episodes.isEmpty() ? 0 : (double) frames / episodes.get(0).fps();
        return t;
    }

    /** Writes all episodes (they must share codec settings) into {@code out}. */
    public static void write(Path out, List<EncodedVideo> episodes) throws IOException {
        if (episodes.isEmpty()) throw new IllegalArgumentException("no episodes to write");
        EncodedVideo first = episodes.get(0);
        for (EncodedVideo e : episodes)
            if (!e.compatibleWith(first))
                throw new IllegalArgumentException("episodes with different encoder settings cannot share one mp4");
        AVFormatContext fmt = new AVFormatContext(null);
        Av.check(avformat_alloc_output_context2(fmt, null, "mp4", out.toString()), "creating mp4 " + out);
        AVPacket pkt = av_packet_alloc();
        try {
            AVStream st = avformat_new_stream(fmt, null);
            AVCodecParameters par = st.codecpar();
            par.codec_type(AVMEDIA_TYPE_VIDEO);
            par.codec_id(switch (first.codec()) {
                case "h264" -> AV_CODEC_ID_H264;
                case "av1" -> AV_CODEC_ID_AV1;
                case "hevc" -> AV_CODEC_ID_HEVC;
                default -> throw new IllegalArgumentException("unsupported codec " + first.codec());
            });
            par.width(first.width()).height(first.height()).format(AV_PIX_FMT_YUV420P);
            par.color_range(AVCOL_RANGE_MPEG);
            byte[] extra = first.extradata();
            if (extra.length > 0) {
                BytePointer ed = new BytePointer(av_mallocz(extra.length + AV_INPUT_BUFFER_PADDING_SIZE));
                ed.put(extra);
                par.extradata(ed).extradata_size(extra.length);
            }
            AVRational frameTb = av_make_q(1, first.fps());
            st.time_base(frameTb);
            st.avg_frame_rate(av_make_q(first.fps(), 1));
            st.r_frame_rate(av_make_q(first.fps(), 1));
            AVIOContext io = new AVIOContext(null);
            Av.check(avio_open(io, out.toString(), AVIO_FLAG_WRITE), "opening " + out + " for writing");
            fmt.pb(io);
            Av.check(avformat_write_header(fmt, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "writing the mp4 header of " + out);
            long offset = 0;
            for (EncodedVideo e : episodes) {
                for (EncodedVideo.Packet p : e.packets()) {
                    Av.check(av_new_packet(pkt, p.data().length), "allocating a packet");
                    pkt.data().position(0).put(p.data());
                    pkt.pts(offset + p.pts()).dts(offset + p.pts()).duration(1);
                    pkt.flags(p.key() ? AV_PKT_FLAG_KEY : 0);
                    pkt.stream_index(0);
                    av_packet_rescale_ts(pkt, frameTb, st.time_base());
                    Av.check(av_interleaved_write_frame(fmt, pkt), "writing a packet to " + out);
                    av_packet_unref(pkt);
                }
                offset += e.span();
            }
            Av.check(av_write_trailer(fmt), "finishing " + out);
            AVIOContext pb = fmt.pb();
            fmt.pb(null);
            Av.check(avio_closep(pb), "closing " + out);
        } finally {
            av_packet_free(pkt);
            if (fmt.pb() != null && !fmt.pb().isNull()) avio_closep(fmt.pb());
            avformat_free_context(fmt);
        }
    }
}
