package dev.wmpc.dataset;

import dev.wmpc.core.Action;
import dev.wmpc.core.Observation;
import dev.wmpc.core.Policy;
import dev.wmpc.core.Robot;
import dev.wmpc.core.WmpcException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Collects episodes in parallel: K workers, each with its own robot and policy, record episodes (video encoding
 * included) while one writer thread appends them to the dataset, each durable as soon as it is appended. Episode i
 * runs with seed {@link #episodeSeed(long, int)}; on resume the seeds already in the dataset are skipped, so an
 * interrupted collection continues where it stopped. Episodes are appended in the order they finish.
 */
public final class Collector<R extends Robot> {
    /** Whether an episode ends after a step, and whether the task is achieved. */
    public record Status(boolean done, boolean success) {
        public static final Status RUNNING = new Status(false, false);
    }

    /** Judges the observation after each step (the sim's task checks success; by default episodes run to maxSteps). */
    @FunctionalInterface
    public interface EpisodeEnd<R extends Robot> {
        Status check(R robot, Observation after, int step);

        static <R extends Robot> EpisodeEnd<R> never() { return (r, o, s) -> Status.RUNNING; }
    }

    /** What to collect: task text, number of episodes, base seed, step limit per episode, parallel workers. */
    public record Plan(String task, int episodes, long seed, int maxSteps, int workers) {
        public Plan {
            if (episodes < 0) throw new IllegalArgumentException("episodes must be >= 0, got " + episodes);
            if (maxSteps <= 0) throw new IllegalArgumentException("max steps must be positive, got " + maxSteps);
            if (workers <= 0) throw new IllegalArgumentException("workers must be positive, got " + workers);
        }
    }

    /** What a run did: episodes recorded now, episodes skipped because the dataset had them, frames, successes, time. */
    public record Result(int recorded, int skipped, long frames, int successes, double seconds) {
        public double framesPerSecond() { return seconds > 0 ? frames / seconds : 0; }
    }

    private final Supplier<? extends R> robots;
    private final Function<? super R, ? extends Policy> policies;
    private final EpisodeEnd<? super R> end;

    /**
     * Workers each get a robot from {@code robots} (called on the worker's thread, so native contexts stay there) and
     * a policy for it (experts read their robot's true state).
     */
    public Collector(Supplier<? extends R> robots, Function<? super R, ? extends Policy> policies, EpisodeEnd<? super R> end) {
        this.robots = robots;
        this.policies = policies;
        this.end = end;
    }

    /** A collector whose policies do not need their robot. */
    public static <R extends Robot> Collector<R> of(Supplier<? extends R> robots, Supplier<? extends Policy> policies, EpisodeEnd<? super R> end) {
        return new Collector<>(robots, r -> policies.get(), end);
    }

    /** The seed of episode i of a collection seeded with {@code seed} (a SplitMix64 mix, never colliding for small i). */
    public static long episodeSeed(long seed, int i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    private sealed interface Message permits Done, Failed, Finished {}
    private record Done(RecordedEpisode episode) implements Message {}
    private record Failed(Throwable error) implements Message {}
    private record Finished() implements Message {}

    public Result run(DatasetWriter writer, Plan plan, PrintStream progress) {
        Result r = run(writer.seeds(), writer.spec(), writer::append, plan, progress);
        writer.flush();
        return r;
    }

    /**
     * Collects into any sink (the writer in production; a test may pass a slow one). Workers block while the sink
     * is behind (the queue is bounded), so no finished episode is ever dropped.
     */
    Result run(Set<Long> have, DatasetSpec spec, java.util.function.Consumer<RecordedEpisode> sink, Plan plan, PrintStream progress) {
        List<Long> todo = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < plan.episodes(); i++) {
            long s = episodeSeed(plan.seed(), i);
            if (have.contains(s)) skipped++; else todo.add(s);
        }
        long t0 = System.nanoTime();
        ProgressBar bar = new ProgressBar(progress, "collect", plan.episodes());
        int workers = Math.min(plan.workers(), Math.max(1, todo.size()));
        BlockingQueue<Message> queue = new ArrayBlockingQueue<>(2 * workers + 2);
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean(); // set once the main loop no longer reads the queue
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers && !todo.isEmpty(); w++) {
            Thread t = new Thread(() -> work(spec, plan, todo, next, stop, closed, queue), "collector-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        int recorded = 0, successes = 0, finished = 0;
        long frames = 0;
        bar.update(skipped, 0);
        try {
            while (finished < threads.size()) {
                Message m = queue.take();
                switch (m) {
                    case Done d -> {
                        sink.accept(d.episode());
                        recorded++;
                        frames += d.episode().length();
                        if (d.episode().success()) successes++;
                        bar.update(skipped + recorded, frames);
                    }
                    case Failed f -> {
                        if (f.error() instanceof RuntimeException r) throw r;
                        throw new WmpcException("a collection worker failed: " + f.error(), f.error());
                    }
                    case Finished x -> finished++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WmpcException("collection interrupted", e);
        } finally {
            stop.set(true);
            closed.set(true);
            queue.clear();
            for (Thread t : threads) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                queue.clear();
            }
            bar.finish();
        }
        return new Result(recorded, skipped, frames, successes, (System.nanoTime() - t0) / 1e9);
    }

    private void work(DatasetSpec spec, Plan plan, List<Long> todo, AtomicInteger next, AtomicBoolean stop, AtomicBoolean closed,
                      BlockingQueue<Message> queue) {
        try (R robot = robots.get()) {
            Policy policy = policies.apply(robot);
            int i;
            while (!stop.get() && (i = next.getAndIncrement()) < todo.size()) {
                RecordedEpisode e = episode(robot, policy, spec, plan, todo.get(i));
                put(queue, new Done(e), closed);
            }
        } catch (Throwable t) {
            stop.set(true);
            putAlways(queue, new Failed(t), closed);
        }
        putAlways(queue, new Finished(), closed);
    }

    /**
     * Blocks until the queue takes {@code m}, never dropping another message to make room; gives up only once the
     * main loop has stopped reading (then nobody waits for it). An interrupt while delivering an episode ends the
     * worker (reported as a failure below); the failure and finish messages are delivered even then, since the main
     * loop waits for them, and the interrupt status is restored.
     */
    private static void put(BlockingQueue<Message> queue, Message m, AtomicBoolean closed) throws InterruptedException {
        while (!closed.get() && !queue.offer(m, 50, TimeUnit.MILLISECONDS)) { /* the sink is behind: wait */ }
    }

    private static void putAlways(BlockingQueue<Message> queue, Message m, AtomicBoolean closed) {
        boolean interrupted = Thread.interrupted();
        while (!closed.get()) {
            try {
                if (queue.offer(m, 50, TimeUnit.MILLISECONDS)) break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private RecordedEpisode episode(R robot, Policy policy, DatasetSpec spec, Plan plan, long seed) {
        Observation obs = robot.reset(seed);
        policy.reset(seed);
        try (EpisodeRecorder rec = new EpisodeRecorder(spec, plan.task(), seed)) {
            boolean success = false;
            for (int step = 0; step < plan.maxSteps(); step++) {
                Action applied = robot.act(policy.act(obs));
                Observation after = robot.observe();
                Status st = end.check(robot, after, step);
                boolean last = st.done() || step == plan.maxSteps() - 1;
                rec.add(obs, applied, last, st.success());
                success = st.success();
                obs = after;
                if (last) break;
            }
            return rec.finish(success);
        }
    }
}
