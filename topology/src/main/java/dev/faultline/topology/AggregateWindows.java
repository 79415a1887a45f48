package dev.faultline.topology;

import dev.faultline.config.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The tumbling-window aggregates, one final result per window and size, merged from the combiners' partials.
 *
 * <p>Kafka Streams' windowed aggregate closes a window on the newest record time its task has seen. Here that
 * task reads partials from every input partition's combiner; when one partition runs ahead in event time (a
 * backlog after downtime, partitions of different density) its partials would close windows that the others
 * still have events for, and those would be dropped. So windows close on event-time <em>watermarks</em>
 * instead: each combiner task names itself on every record and sends its newest event time to every partition
 * ({@link AggregateCombiner}), and a window of size {@code s} starting at {@code w} closes once
 * {@code w + s + grace} is at or before the <em>slowest</em> active task's watermark ({@link PartitionClock}:
 * idle partitions, and the start-up hold, during which partials still merge). With one input partition this is
 * exactly the newest event time, as before.
 *
 * <p>A partial whose window has already been emitted is late: dropped and counted in {@code dropped-records}.
 * The window stores are timestamped window stores named as before ({@code faultline-agg-<size>-store}), which
 * the query API reads. Which windows have been emitted, and every task's watermark, are kept in a small
 * changelogged store, so a restart neither emits a window twice nor forgets a lagging partition. How far one
 * partition can run ahead without loss is bounded by the window stores' retention (2 × size + grace + 1 h): once
 * the newest partition is an hour plus the grace past a window's end, the window is emitted with what it has, one
 * window before the store would drop it, and what comes for it later is dropped and counted.
 */
final class AggregateWindows implements Processor<String, PartialAggregate, String, byte[]> {
    private static final String SOURCE_PREFIX = "source|";
    private static final String EMITTED_PREFIX = "emitted|";
    /** A task not heard from for this long is forgotten (its entry in the progress store removed). */
    private static final long FORGET_AFTER_MS = Duration.ofHours(1).toMillis();

    private final String[] storeNames;
    private final String[] labels;
    private final long[] sizesMs;
    private final long[] retentionsMs;
    private final long graceMs;
    /** How long an idle combiner task is kept: at least an hour, and never less than the idle timeout. */
    private final long forgetAfterMs;
    private final int maxHosts;
    private final int maxSampleChars;
    private final String progressStoreName;
    private final long punctuateMs;
    private ProcessorContext<String, byte[]> context;
    private TimestampedWindowStore<String, WindowAggregate>[] stores;
    private KeyValueStore<String, Long> progress;
    private Sensor dropped;
    /** How far the time windows close on trails the newest partition's: what a slow partition holds back. */
    private Sensor lag;
    private final PartitionClock clock;
    /** Newest time of partials that name no task (written by a version before watermarks). */
    private long untracked = Long.MIN_VALUE;
    /** The event time windows are closed by; never goes back. */
    private long closedBy = Long.MIN_VALUE;
    /** Per size: the first window start not emitted yet, or {@code Long.MIN_VALUE} before any emit. */
    private long[] nextStart;

    AggregateWindows(List<Duration> sizes, Duration grace, Duration idleTimeout, int maxHosts, int maxSampleChars,
            String progressStoreName, long punctuateMs) {
        int n = sizes.size();
        this.storeNames = new String[n];
        this.labels = new String[n];
        this.sizesMs = new long[n];
        this.retentionsMs = new long[n];
        for (int i = 0; i < n; i++) {
            storeNames[i] = storeName(sizes.get(i));
            labels[i] = Durations.format(sizes.get(i));
            sizesMs[i] = sizes.get(i).toMillis();
            retentionsMs[i] = FaultlineTopology.retention(sizes.get(i), grace).toMillis();
        }
        this.graceMs = grace.toMillis();
        this.clock = new PartitionClock(idleTimeout);
        this.forgetAfterMs = Math.max(FORGET_AFTER_MS, idleTimeout.toMillis());
        this.maxHosts = maxHosts;
        this.maxSampleChars = maxSampleChars;
        this.progressStoreName = progressStoreName;
        this.punctuateMs = punctuateMs;
    }

    /** The window store of one size (the DSL's name, which the query API reads). */
    static String storeName(Duration size) {
        return "faultline-agg-" + Durations.format(size) + "-store";
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        stores = new TimestampedWindowStore[sizesMs.length];
        for (int i = 0; i < stores.length; i++) {
            stores[i] = context.getStateStore(storeNames[i]);
        }
        progress = context.getStateStore(progressStoreName);
        String task = context.taskId().toString();
        dropped = context.metrics().addRateTotalSensor("faultline-agg", task, "dropped-records",
                Sensor.RecordingLevel.INFO);
        lag = context.metrics().addSensor("faultline-agg-" + task + "-watermark-lag", Sensor.RecordingLevel.INFO);
        lag.add(new MetricName("watermark-lag-ms", "stream-faultline-agg-metrics",
                "Event time between the newest input partition and the slowest active one, which windows close on",
                Map.of("thread-id", Thread.currentThread().getName(), "task-id", task)), new Value());
        // Also on a revived task: everything is rebuilt from the restored store.
        untracked = Long.MIN_VALUE;
        closedBy = Long.MIN_VALUE;
        nextStart = new long[sizesMs.length];
        java.util.Arrays.fill(nextStart, Long.MIN_VALUE);
        long now = context.currentSystemTimeMs();
        clock.start(now, FaultlineTopology.AGG_WINDOWS + " " + context.taskId());
        try (KeyValueIterator<String, Long> it = progress.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.key.startsWith(SOURCE_PREFIX)) {
                    clock.restore(kv.key.substring(SOURCE_PREFIX.length()), kv.value, now);
                } else if (kv.key.startsWith(EMITTED_PREFIX)) {
                    long size = Long.parseLong(kv.key.substring(EMITTED_PREFIX.length()));
                    for (int i = 0; i < sizesMs.length; i++) {
                        if (sizesMs[i] == size) {
                            nextStart[i] = kv.value;
                        }
                    }
                }
            }
        }
        context.schedule(Duration.ofMillis(punctuateMs), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }

    @Override
    public void process(Record<String, PartialAggregate> record) {
        PartialAggregate p = record.value();
        if (p == null || record.key() == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        Header h = record.headers().lastHeader(AggregateCombiner.SOURCE_HEADER);
        if (h == null) {
            untracked = Math.max(untracked, record.timestamp());
        } else {
            String id = new String(h.value(), StandardCharsets.UTF_8);
            if (p.isWatermark()) {
                progress.put(SOURCE_PREFIX + id, clock.heard(id, p.windowStart, idleMs(record), now));
            } else {
                // Alive, but its time moves on watermarks only: a partial's time is its newest log's, and one host
                // with a fast clock would close the windows every other host is still writing to.
                clock.heard(id, Long.MIN_VALUE, 0, now);
            }
        }
        if (!p.isWatermark()) {
            for (int i = 0; i < sizesMs.length; i++) {
                if (p.forSize(sizesMs[i])) {
                    add(i, record.key(), p, record.timestamp());
                }
            }
        }
        advance(now);
    }

    private void add(int i, String key, PartialAggregate p, long timestamp) {
        long size = sizesMs[i];
        long start = p.sizeMs == size ? p.windowStart : AggregateCombiner.windowStart(timestamp, size);
        if ((nextStart[i] != Long.MIN_VALUE && start < nextStart[i]) || start + size + graceMs <= closedBy) {
            dropped.record(1.0, context.currentSystemTimeMs());
            return;
        }
        // The put moves the store's time to this window: a window starting the retention or more before it would be
        // gone unseen. So it goes out first, with what it has, whatever holds back the watermarks (the start-up hold,
        // a lagging partition); its later partials are then dropped and counted. (emitClosed(by) emits the windows
        // starting at or before by - size - grace.)
        emitClosed(i, start - retentionsMs[i] + size + graceMs);
        ValueAndTimestamp<WindowAggregate> old = stores[i].fetch(key, start);
        WindowAggregate agg = old == null || old.value() == null ? new WindowAggregate() : old.value();
        agg.merge(p.agg, maxHosts);
        long ts = old == null ? timestamp : Math.max(old.timestamp(), timestamp);
        stores[i].put(key, ValueAndTimestamp.make(agg, ts), start);
    }

    private void onWallClock(long now) {
        // Idleness moves with the wall clock alone. Advance first: it tells the clock whether this thread stood
        // still, and a stall of an hour must not make every task look long gone.
        advance(now);
        // Forget tasks long gone, so the store stays bounded.
        clock.forget(now, forgetAfterMs, id -> progress.delete(SOURCE_PREFIX + id));
    }

    /** Moves {@link #closedBy} to the slowest active task's watermark and emits every window that closes. */
    private void advance(long now) {
        if (!clock.ready(now)) {
            return;
        }
        long newest = clock.newest(untracked);
        long by = clock.slowest(now, untracked);
        if (by == Long.MIN_VALUE) {
            return;
        }
        lag.record(Math.max(0, newest - by), now);
        closedBy = Math.max(closedBy, by);
        for (int i = 0; i < sizesMs.length; i++) {
            // A window must go out before the store drops it (older than the newest window start minus the
            // retention): one partition running ahead by the retention's margin closes the oldest windows, whose
            // later partials then count as dropped, instead of losing them unseen. Forced is newest - margin.
            long forced = newest - (retentionsMs[i] - 2 * sizesMs[i] - graceMs);
            emitClosed(i, Math.max(closedBy, forced));
        }
    }

    /** Emits, once, every window of size {@code i} that event time {@code by} closes. */
    private void emitClosed(int i, long by) {
        long size = sizesMs[i];
        // The newest start s with s + size + grace <= by.
        long limit = by - size - graceMs;
        if (limit < 0) {
            return;
        }
        long lastClosed = limit / size * size;
        if (nextStart[i] != Long.MIN_VALUE && lastClosed < nextStart[i]) {
            return;
        }
        // From the first window not emitted, however far back: a window is emitted before a put could expire it
        // (add), so everything in between that the store still holds is unseen. Before the first emit, windows
        // older than the retention are gone from the store anyway. Oldest first, one window start at a time (its
        // series streamed, not held), so a reader of the topic sees final results in window order, as the DSL
        // emitted them.
        long from = nextStart[i] != Long.MIN_VALUE ? nextStart[i]
                : Math.max(0, lastClosed - retentionsMs[i]) / size * size;
        if ((lastClosed - from) / size <= 2 * (retentionsMs[i] / size) + 2) {
            for (long start = from; start <= lastClosed; start += size) {
                emitWindow(i, start);
            }
        } else {
            // A long stretch of time (a silence, a jump) holds at most the retention's windows: find them first
            // rather than read every empty window start of it.
            TreeSet<Long> starts = new TreeSet<>();
            try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<WindowAggregate>> it =
                    stores[i].fetchAll(from, lastClosed)) {
                while (it.hasNext()) {
                    starts.add(it.next().key.window().start());
                }
            }
            for (long start : starts) {
                emitWindow(i, start);
            }
        }
        nextStart[i] = lastClosed + size;
        progress.put(EMITTED_PREFIX + size, nextStart[i]);
    }

    /** Forwards the final result of every series of the size-{@code i} window at {@code start}. */
    private void emitWindow(int i, long start) {
        long size = sizesMs[i];
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<WindowAggregate>> it =
                stores[i].fetchAll(start, start)) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, ValueAndTimestamp<WindowAggregate>> kv = it.next();
                WindowAggregate agg = kv.value.value();
                context.forward(new Record<>(AggregateJson.key(agg, labels[i], start),
                        AggregateJson.toBytes(agg, labels[i], size, start, start + size, maxSampleChars),
                        kv.value.timestamp()));
            }
        }
    }

    private static long idleMs(Record<String, PartialAggregate> record) {
        Header h = record.headers().lastHeader(AggregateCombiner.IDLE_HEADER);
        if (h == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(new String(h.value(), StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (dropped != null) {
            context.metrics().removeSensor(dropped);
            context.metrics().removeSensor(lag);
        }
    }
}
