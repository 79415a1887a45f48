package dev.faultline.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pre-aggregates occurrences per task before the aggregate repartition, so the repartition topic,
 * the window store and its changelog see one partial per (series, window, size) per flush instead
 * of one record per occurrence.
 *
 * <p>Partials are mirrored in memory (an update needs no read) and written through to a
 * changelogged, cached key-value store, so under exactly-once the store always matches the
 * committed input offsets. Each partial is stored as two entries: its counts ({@code c} + key,
 * rewritten on every occurrence, 33 bytes) and everything else ({@code m} + key: dimensions, hosts,
 * sample, rewritten only when they change), so the per-occurrence write stays small. The key is
 * {@code size|windowStart|series}.
 *
 * <p>Partials are flushed, all at once and oldest timestamp first so a later window's partial never
 * overtakes an earlier one's: on the task's first event; once the newest event time seen passes the end
 * of the oldest window a held partial belongs to by a slack (the grace, at most the flush interval), so
 * events a little out of order across a window boundary do not each force a flush; on a wall-clock
 * punctuator (so a live or quiet input does not hold partials back for longer than the flush interval);
 * on a stream-time punctuator once per smallest window size; and when more partials than the bound are
 * held. In a backlog, where event time runs far ahead of the wall clock, a series so sends about one
 * partial per window instead of one per flush interval of event time: in the stream harness's catch-up
 * this took the aggregate repartition and the window stores' writes from ~126,000 to ~16,000 records per
 * million input records. A flushed partial is forwarded and deleted in the same task, so under
 * exactly-once both commit or neither does. An occurrence whose window has already closed by this task's
 * newest event time is forwarded alone, at once, after a flush, so the windowed aggregate drops it and
 * counts the drop as before.
 *
 * <p>Holding partials back never makes them late downstream. A flush sends every held partial, and a held
 * partial's window end plus the slack is still ahead of this task's newest event time; since the slack is
 * at most the grace, neither the partials this task sends nor its watermarks (at most that newest time)
 * can close a window downstream that it still holds a partial for.
 *
 * <p>Every record it sends names its task ({@value #SOURCE_HEADER} header), and it sends a watermark to every
 * partition (its newest event time, and for how long, in wall-clock time, that has not advanced:
 * {@value #IDLE_HEADER}) before its first partial, then whenever its newest event time has moved on by the
 * flush interval, and on the wall-clock flush when none went out for that long. The windowed aggregate
 * closes windows on the slowest of these tasks ({@link AggregateWindows}), so one input partition running
 * ahead in event time, as in a backlog catch-up, does not make another one's events late.
 */
final class AggregateCombiner implements Processor<byte[], Routed.Event, String, PartialAggregate> {
    /** Header naming the task (so the input partition) a partial or watermark comes from. */
    static final String SOURCE_HEADER = "faultline.agg.source";
    /** Header of a watermark: wall-clock ms since the task's newest event time last advanced. */
    static final String IDLE_HEADER = "faultline.agg.idle-ms";
    /** The key watermarks travel with; the partitioner sends them to every partition whatever it is. */
    static final String WATERMARK_KEY = "";
    private static final byte COUNTS = 'c';
    private static final byte META = 'm';
    private static final Comparator<Held> FLUSH_ORDER = Comparator.<Held>comparingLong(h -> h.partial.timestamp())
            .thenComparingLong(h -> h.partial.windowStart)
            .thenComparing(h -> h.key);

    /** One partial held in memory, with its two store keys. */
    private static final class Held {
        final String key;
        final String series;
        final Bytes countsKey;
        final Bytes metaKey;
        final PartialAggregate partial;

        Held(String key, String series, PartialAggregate partial) {
            this.key = key;
            this.series = series;
            this.countsKey = storeKey(COUNTS, key);
            this.metaKey = storeKey(META, key);
            this.partial = partial;
        }
    }

    private final String storeName;
    private final long[] sizesMs;
    private final long graceMs;
    private final int maxHosts;
    private final long flushIntervalMs;
    private final int maxEntries;
    private ProcessorContext<String, PartialAggregate> context;
    private KeyValueStore<Bytes, byte[]> store;
    /** The store's content, as objects, by {@code size|windowStart|series}. */
    private final Map<String, Held> partials = new HashMap<>();
    /**
     * This task's event time: the newest {@link Routed.Event#progress} of its events, not of their occurrences,
     * whose time is their host's clock. Closes windows here (an occurrence later than it is forwarded alone, to be
     * dropped downstream) and is what watermarks carry.
     */
    private long maxEventTime = Long.MIN_VALUE;
    /** Whether a flush has happened since an event was first seen: the task's first event is flushed at once. */
    private boolean flushedSinceFirstEvent;
    /**
     * How long after its window's end a partial may still be held, in event time: events a little out of order
     * across a window boundary join the held partial instead of each forcing a flush. At most the grace, so a
     * held partial's window is never closed downstream (see {@link #process}).
     */
    private final long slackMs;
    /** When event time reaches this, everything held is flushed: the oldest held window's end plus the slack. */
    private long heldUntil = Long.MAX_VALUE;
    /** The event time of the last watermark sent. */
    private long lastWatermark = Long.MIN_VALUE;
    /** The wall-clock time the last watermark was sent at. */
    private long lastWatermarkAt = Long.MIN_VALUE;
    private byte[] source;
    /** Wall-clock time at which {@link #maxEventTime} last advanced. */
    private long lastAdvancedAt;
    /** The idle time it reports counts only time its thread ran and saw nothing new, not a stall of its own. */
    private final StallWatch stalls;
    /** Whether this task's first watermark has been sent since it was (re)initialized. */
    private boolean announced;

    AggregateCombiner(String storeName, List<Duration> sizes, Duration grace, int maxHosts, long flushIntervalMs,
            int maxEntries, Duration idleTimeout) {
        this.stalls = new StallWatch(idleTimeout);
        this.storeName = storeName;
        this.sizesMs = sizes.stream().mapToLong(Duration::toMillis).toArray();
        this.graceMs = grace.toMillis();
        this.maxHosts = maxHosts;
        this.flushIntervalMs = flushIntervalMs;
        this.slackMs = Math.min(graceMs, flushIntervalMs);
        this.maxEntries = maxEntries;
    }

    @Override
    public void init(ProcessorContext<String, PartialAggregate> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        // Also on a revived task: the mirror is rebuilt from the restored store.
        partials.clear();
        maxEventTime = Long.MIN_VALUE;
        flushedSinceFirstEvent = false;
        heldUntil = Long.MAX_VALUE;
        lastWatermark = Long.MIN_VALUE;
        lastWatermarkAt = Long.MIN_VALUE;
        source = context.taskId().toString().getBytes(StandardCharsets.UTF_8);
        lastAdvancedAt = context.currentSystemTimeMs();
        stalls.start(lastAdvancedAt);
        announced = false;
        restore();
        context.schedule(Duration.ofMillis(Arrays.stream(sizesMs).min().orElseThrow()), PunctuationType.STREAM_TIME,
                t -> flush());
        context.schedule(Duration.ofMillis(flushIntervalMs), PunctuationType.WALL_CLOCK_TIME, t -> {
            stalls.ran(t);
            flush();
            if (lastWatermarkAt == Long.MIN_VALUE || t - lastWatermarkAt >= flushIntervalMs) {
                // Not again when event time moving on sent one within the interval: live, it moves on at the
                // wall clock's pace, and one watermark per second is all the windowed aggregate needs.
                sendWatermark();
            }
        });
    }

    private void restore() {
        Map<String, byte[]> counts = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                String key = new String(k, 1, k.length - 1, StandardCharsets.UTF_8);
                if (k[0] == META) {
                    PartialAggregate p = FaultlineSerdes.PARTIAL.deserializer().deserialize(storeName, kv.value);
                    partials.put(key, new Held(key, seriesOf(key), p));
                } else {
                    counts.put(key, kv.value);
                }
            }
        }
        for (Map.Entry<String, byte[]> c : counts.entrySet()) {
            Held h = partials.get(c.getKey());
            if (h != null) {
                readCounts(c.getValue(), h.partial.agg); // time comes back with the next event, not the logs'
                heldUntil = Math.min(heldUntil, h.partial.windowStart + h.partial.sizeMs + slackMs);
            }
        }
    }

    @Override
    public void process(Record<byte[], Routed.Event> record) {
        Routed.Event ev = record.value();
        if (ev == null) {
            return;
        }
        stalls.ran(context.currentSystemTimeMs());
        // This task's time is how far its partition has progressed (EventTime.progress: never past the record's own
        // time), not the log's time: one host with a fast clock must not close the windows every other host is
        // still writing to. At most the event's own time, so none of its occurrences is late by it.
        if (ev.progress() > maxEventTime) {
            maxEventTime = ev.progress();
            lastAdvancedAt = context.currentSystemTimeMs();
        }
        for (Occurrence o : ev.occurrences()) {
            if (o.isTick()) {
                continue;
            }
            long t = o.t;
            String series = o.aggregateKey();
            for (long size : sizesMs) {
                long start = windowStart(t, size);
                if (start + size + graceMs <= maxEventTime) {
                    // Closed already. Flush first, and say how far this task is, so the windowed aggregate's time
                    // is where it would be without the combiner; then let it drop (and count) the occurrence.
                    flush();
                    if (maxEventTime > lastWatermark) {
                        sendWatermark(); // once per step of time, not per late occurrence
                    }
                    context.forward(new Record<>(series,
                            new PartialAggregate(size, start, new WindowAggregate().add(o, maxHosts)), stamp(t),
                            sourceHeaders()));
                    continue;
                }
                add(size, start, series, o);
            }
        }
        if (partials.size() > maxEntries || maxEventTime >= heldUntil
                || (maxEventTime != Long.MIN_VALUE && !flushedSinceFirstEvent)) {
            flush();
        }
        if (maxEventTime >= lastWatermark + flushIntervalMs) {
            // Safe while partials are held (see the class comment). It lets windows close downstream on event
            // time alone, between wall-clock punctuations.
            sendWatermark();
        }
    }

    private void add(long size, long start, String series, Occurrence o) {
        String key = size + "|" + start + "|" + series;
        Held h = partials.get(key);
        boolean metaChanged;
        if (h == null) {
            h = new Held(key, series, new PartialAggregate(size, start, new WindowAggregate()));
            partials.put(key, h);
            heldUntil = Math.min(heldUntil, start + size + slackMs);
            metaChanged = true;
        } else {
            WindowAggregate a = h.partial.agg;
            int hosts = a.hosts.size();
            boolean truncated = a.hostsTruncated;
            boolean sampled = a.sample != null;
            a.add(o, maxHosts);
            metaChanged = a.hosts.size() != hosts || a.hostsTruncated != truncated || (a.sample != null) != sampled;
            if (!metaChanged) {
                store.put(h.countsKey, counts(a));
                return;
            }
        }
        if (h.partial.agg.count == 0) {
            h.partial.agg.add(o, maxHosts);
        }
        store.put(h.metaKey, FaultlineSerdes.PARTIAL.serializer().serialize(storeName, h.partial));
        store.put(h.countsKey, counts(h.partial.agg));
    }

    /** Forwards every partial, oldest timestamp first, and deletes it. */
    void flush() {
        flushedSinceFirstEvent |= maxEventTime != Long.MIN_VALUE;
        if (!announced) {
            // Before any partial, so every downstream task knows this one before its first window can close.
            sendWatermark();
        }
        if (partials.isEmpty()) {
            return;
        }
        List<Held> out = new ArrayList<>(partials.values());
        out.sort(FLUSH_ORDER);
        for (Held h : out) {
            context.forward(new Record<>(h.series, h.partial, stamp(h.partial.timestamp()), sourceHeaders()));
            store.delete(h.countsKey);
            store.delete(h.metaKey);
        }
        partials.clear();
        heldUntil = Long.MAX_VALUE;
    }

    /**
     * A record time for an event time {@code t}: at most this task's time (or, before its first event after a
     * restart, the wall clock). A log's own time may be ahead of its record's, further than a broker accepts.
     */
    private long stamp(long t) {
        long cap = maxEventTime != Long.MIN_VALUE ? maxEventTime : context.currentSystemTimeMs();
        return Math.max(0, Math.min(t, cap));
    }

    /** Sends this task's watermark to every partition, once it has seen an event. */
    private void sendWatermark() {
        if (maxEventTime == Long.MIN_VALUE) {
            return;
        }
        announced = true;
        lastWatermark = maxEventTime;
        lastWatermarkAt = context.currentSystemTimeMs();
        long idle = Math.max(0, context.currentSystemTimeMs() - Math.max(lastAdvancedAt, stalls.since()));
        Headers headers = sourceHeaders().add(IDLE_HEADER, Long.toString(idle).getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(WATERMARK_KEY, PartialAggregate.watermark(maxEventTime),
                Math.max(0, maxEventTime), headers));
    }

    private Headers sourceHeaders() {
        return new RecordHeaders().add(SOURCE_HEADER, source);
    }

    /** The start of the tumbling window of {@code size} holding {@code t}, as Kafka Streams' TimeWindows computes it. */
    static long windowStart(long t, long size) {
        return Math.max(0, t) / size * size;
    }

    private static String seriesOf(String key) {
        return key.substring(key.indexOf('|', key.indexOf('|') + 1) + 1);
    }

    private static Bytes storeKey(byte prefix, String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[utf8.length + 1];
        k[0] = prefix;
        System.arraycopy(utf8, 0, k, 1, utf8.length);
        return Bytes.wrap(k);
    }

    private static byte[] counts(WindowAggregate a) {
        return ByteBuffer.allocate(33).put(InternalSerdes.V1).putLong(a.count).putLong(a.transientCount)
                .putLong(a.firstSeen).putLong(a.lastSeen).array();
    }

    private static void readCounts(byte[] v, WindowAggregate a) {
        if (v == null || v.length != 33 || v[0] != InternalSerdes.V1) {
            throw new SerializationException("cannot read partial counts");
        }
        ByteBuffer b = ByteBuffer.wrap(v, 1, 32);
        a.count = b.getLong();
        a.transientCount = b.getLong();
        a.firstSeen = b.getLong();
        a.lastSeen = b.getLong();
    }
}
