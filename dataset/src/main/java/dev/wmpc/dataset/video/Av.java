package dev.wmpc.dataset.video;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;

/** Small helpers over FFmpeg's return codes. */
final class Av {
    private Av() {}

    /** Throws an IOException naming what failed and FFmpeg's own message when {@code ret} is negative. */
    static int check(int ret, String what) throws IOException {
        if (ret >= 0) return ret;
        throw new IOException(what + " failed: " + message(ret));
    }

    static String message(int ret) {
        byte[] buf = new byte[256];
        av_strerror(ret, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n) + " (" + ret + ")";
    }
}
