package dev.wmpc.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.wmpc.core.CameraFrame;
import dev.wmpc.core.WmpcException;

/**
 * A ring buffer that turns one camera's stream into clips of the last {@code frames} preprocessed frames
 * (oldest first). {@code frames} is a multiple of the tubelet length, so each clip is whole tubelets.
 */
public final class ClipBuffer {
    private final FramePreprocessor preprocessor;
    private final int frames;
    private final float[][] ring;
    private int next;
    private int count;
    private String camera;
    private double lastTimestamp = Double.NEGATIVE_INFINITY;

    public ClipBuffer(FramePreprocessor preprocessor, int frames, int tubelet) {
        if (frames <= 0 || frames % tubelet != 0)
            throw new WmpcException("clip length " + frames + " must be a positive multiple of the tubelet length " + tubelet);
        this.preprocessor = preprocessor;
        this.frames = frames;
        this.ring = new float[frames][];
    }

    /** A buffer for the given encoder: its resolution and tubelet. */
    public static ClipBuffer forEncoder(EncoderConfig config, int frames) {
        return new ClipBuffer(new FramePreprocessor(config.imageSize()), frames, config.tubelet());
    }

    /** Adds a frame; returns whether a full clip is available. Frames from another camera or older frames fail. */
    public boolean push(CameraFrame frame) {
        if (frame == null) throw new WmpcException("clip buffer got a null frame: the camera sent no image");
        if (camera == null) camera = frame.camera();
        else if (!camera.equals(frame.camera()))
            throw new WmpcException("clip buffer for camera '" + camera + "' got a frame from camera '" + frame.camera()
                    + "': use one buffer per camera");
        if (frame.timestamp() < lastTimestamp)
            throw new WmpcException("camera '" + camera + "' frame at t=" + frame.timestamp() + " s arrived after t="
                    + lastTimestamp + " s: frames must come in time order");
        lastTimestamp = frame.timestamp();
        float[] slot = ring[next] != null ? ring[next] : new float[preprocessor.frameLength()];
        preprocessor.preprocess(frame, slot, 0);
        ring[next] = slot;
        next = (next + 1) % frames;
        count = Math.min(count + 1, frames);
        return ready();
    }

    public boolean ready() { return count == frames; }

    public int frames() { return frames; }

    /** Frames held now (up to {@link #frames()}). */
    public int size() { return count; }

    public void clear() { count = 0; next = 0; camera = null; lastTimestamp = Double.NEGATIVE_INFINITY; }

    /** The current clip as floats {@code [frames, 3, S, S]}, oldest frame first. */
    public float[] clip() {
        if (!ready()) throw new IllegalStateException("clip buffer holds " + count + " of " + frames + " frames: push more frames first");
        int len = preprocessor.frameLength();
        float[] out = new float[frames * len];
        for (int i = 0; i < frames; i++) System.arraycopy(ring[(next + i) % frames], 0, out, i * len, len);
        return out;
    }

    /** The current clip as a batch of one: {@code [1, frames, 3, S, S]} in the given manager. */
    public NDArray clip(NDManager manager) {
        int s = preprocessor.size();
        return manager.create(clip(), new Shape(1, frames, 3, s, s));
    }
}
