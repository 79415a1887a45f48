package dev.faultline.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event time of a task downstream of a repartition, as the <em>slowest</em> of the upstream tasks (one per
 * input partition) that feed it, not Kafka Streams' stream time, which is the newest of them. In a backlog
 * catch-up one input partition runs ahead; closing windows or resolving alerts on its time would treat the
 * others' events as late. Each upstream task names itself and reports its newest event time; a task whose time
 * has not advanced for the idle timeout (it says so, or nothing has come from it for that long: a quiet or
 * vanished partition) stops holding time back until it advances again. When every task is idle, time moves on
 * with the wall clock from the newest time, so that a silent input still closes its last windows and resolves
 * its alerts. Idleness counts only while this thread runs: after a stall of its own ({@link #ready}) every task
 * gets a fresh timeout ({@link StallWatch}). For one idle timeout after {@link #start} nothing is reported at all, since an upstream
 * task that has not sent anything yet is unknown.
 *
 * <p>Time is passed in (Kafka Streams' {@code currentSystemTimeMs()}), so the test driver controls it. One per
 * processor instance, used from its stream thread only.
 */
final class PartitionClock {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionClock.class);

    /** What is known of one upstream task. */
    private static final class Source {
        long time = Long.MIN_VALUE;
        /** The idle time it last reported, at {@link #heardAt}. */
        long idleMs;
        /** Wall-clock time of the last record from it. */
        long heardAt;
    }

    private final long idleTimeoutMs;
    /** Silence before {@link StallWatch#since()} was not watched, so it proves nothing. */
    private final StallWatch stalls;
    private final Map<String, Source> sources = new HashMap<>();
    private long holdUntil;
    /** Whose clock this is, for the log: the processor and its task. */
    private String owner = "";
    /** Whether time last moved on with the wall clock (every task idle); logged when it changes. */
    private boolean silent;

    PartitionClock(Duration idleTimeout) {
        this.idleTimeoutMs = idleTimeout.toMillis();
        this.stalls = new StallWatch(idleTimeout);
    }

    /** Forgets every task; nothing is reported for one idle timeout from {@code now}. {@code owner} names it in logs. */
    void start(long now, String owner) {
        this.owner = owner;
        silent = false;
        sources.clear();
        holdUntil = now + idleTimeoutMs;
        stalls.start(now);
    }

    /**
     * Notes that this thread runs at {@code now}, and says whether the start-up hold is over; call it before every
     * {@link #slowest}. After a stall of this thread, idleness counts again from now: a stall longer than the
     * timeout would otherwise pass for idle input and close windows on time the input has not reached.
     */
    boolean ready(long now) {
        long stalled = stalls.ran(now);
        if (stalled > 0) {
            // Rare (a rebalance, a long GC pause) and it delays closing windows, so say so.
            LOG.info("{}: this thread did not run for {} ms; input partitions get a fresh idle timeout", owner,
                    stalled);
        }
        return now >= holdUntil;
    }

    /** A task known before a restart, at {@code time}: it gets a fresh timeout, so a lagging one holds at once. */
    void restore(String source, long time, long now) {
        heard(source, time, 0, now);
    }

    /**
     * Something came from {@code source}: its event time has reached {@code time}, and its time had not advanced
     * for {@code idleMs} (0 when unknown). Returns the task's newest time.
     */
    long heard(String source, long time, long idleMs, long now) {
        Source s = sources.computeIfAbsent(source, k -> new Source());
        s.time = Math.max(s.time, time);
        s.idleMs = idleMs;
        s.heardAt = now;
        return s.time;
    }

    /**
     * The slowest time of the tasks heard from so far, idle or not, or {@code Long.MIN_VALUE}: a provisional
     * slowest time for the start-up hold, when tasks not heard from yet are unknown.
     */
    long slowestKnown() {
        long slowest = Long.MAX_VALUE;
        for (Source s : sources.values()) {
            if (s.time != Long.MIN_VALUE) {
                slowest = Math.min(slowest, s.time);
            }
        }
        return slowest == Long.MAX_VALUE ? Long.MIN_VALUE : slowest;
    }

    /** The newest time of any task, and at least {@code floor}. */
    long newest(long floor) {
        long newest = floor;
        for (Source s : sources.values()) {
            newest = Math.max(newest, s.time);
        }
        return newest;
    }

    /**
     * The slowest active task's time. When every known task is idle (no input anywhere), the newest time plus the
     * wall-clock time since any task last advanced: a silent input would otherwise stop event time, and with it
     * every window close and alert resolve, until the next record. {@code Long.MIN_VALUE} while nothing is known.
     */
    long slowest(long now, long floor) {
        long slowest = Long.MAX_VALUE;
        long quietFor = Long.MAX_VALUE;
        for (Source s : sources.values()) {
            if (s.time == Long.MIN_VALUE) {
                continue;
            }
            long idle = Math.min(s.idleMs + (now - s.heardAt), now - stalls.since());
            if (idle < idleTimeoutMs) {
                slowest = Math.min(slowest, s.time);
            } else {
                quietFor = Math.min(quietFor, idle);
            }
        }
        if (slowest != Long.MAX_VALUE) {
            silent(false, 0);
            return slowest;
        }
        long newest = newest(floor);
        if (newest == Long.MIN_VALUE || quietFor == Long.MAX_VALUE) {
            return newest;
        }
        silent(true, quietFor);
        // Live, event time runs with the wall clock; so it is assumed to while nothing arrives. Only durations of
        // the wall clock are used, never its reading, so a skew between log clocks and this host's does not matter.
        return newest > Long.MAX_VALUE - quietFor ? Long.MAX_VALUE : newest + quietFor;
    }

    /** Logs the change into or out of silence, at debug: on a sporadic input it comes and goes every few minutes. */
    private void silent(boolean now, long quietFor) {
        if (now != silent) {
            silent = now;
            if (!LOG.isDebugEnabled()) {
                return;
            }
            if (now) {
                LOG.debug("{}: every input partition has been quiet for {} ms; event time moves on with the wall clock",
                        owner, quietFor);
            } else {
                LOG.debug("{}: input partitions active again; event time follows the slowest one", owner);
            }
        }
    }

    /**
     * Drops the tasks not heard from for {@code afterMs} of this thread's running time (as for idleness, a stall of
     * its own proves nothing; call {@link #ready} first), handing each one's name to {@code dropped}.
     */
    void forget(long now, long afterMs, Consumer<String> dropped) {
        Iterator<Map.Entry<String, Source>> it = sources.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Source> e = it.next();
            if (Math.min(now - e.getValue().heardAt, now - stalls.since()) >= afterMs) {
                dropped.accept(e.getKey());
                it.remove();
            }
        }
    }
}
