package dev.wmpc.perception;

import java.util.List;

/**
 * Several cameras of one dataset as one {@link ClipSource} for training: episode {@code e} of camera {@code v} is
 * episode {@code v·E + e}, so an encoder trained on it sees every view (the world in every camera obeys the same
 * physics; one encoder serves all of them). Closes its views.
 */
public final class CameraMixSource implements ClipSource {
    private final List<ClipSource> views;
    private final int episodes;

    public CameraMixSource(List<ClipSource> views) {
        if (views.isEmpty()) throw new IllegalArgumentException("no cameras to mix");
        this.views = List.copyOf(views);
        this.episodes = views.get(0).episodes();
        for (ClipSource v : views)
            if (v.episodes() != episodes)
                throw new IllegalArgumentException(v.describe() + " has " + v.episodes() + " episodes, " + views.get(0).describe() + " " + episodes);
    }

    @Override public int episodes() { return episodes * views.size(); }

    @Override public int length(int episode) { return views.get(episode / episodes).length(episode % episodes); }

    @Override public VideoClip clip(int episode, int start, int frames) {
        VideoClip c = views.get(episode / episodes).clip(episode % episodes, start, frames);
        return new VideoClip(episode, c.startFrame(), c.frames(), c.width(), c.height(), c.rgb(), c.state(), c.eePosition(), c.objectPosition());
    }

    @Override public String describe() {
        StringBuilder b = new StringBuilder();
        for (ClipSource v : views) b.append(b.isEmpty() ? "" : " + ").append(v.describe());
        return b.toString();
    }

    @Override public void close() {
        RuntimeException first = null;
        for (ClipSource v : views) {
            try {
                v.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
