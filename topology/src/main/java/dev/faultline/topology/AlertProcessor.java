package dev.faultline.topology;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.ops.Alert;
import dev.faultline.ops.FaultlineMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Early-firing spike detection per fingerprint: evaluates on every occurrence (fires as soon as the
 * current window crosses the minimum and the score), and as event time advances resolves after the
 * hold-down and evicts idle series. Emits {@code faultline.alert/v1} keyed by fingerprint.
 *
 * <p>Event time here is the <em>slowest</em> input partition's: every enrich task sends ticks naming itself
 * to every alert partition, and resolution and eviction run on the minimum of their times. Kafka Streams' own
 * stream time is the newest time of any partition, so in a backlog catch-up one partition running ahead would
 * resolve another partition's still-firing alerts, whose later occurrences then fire a second episode (a
 * flap); for the same reason a series judges its windows only up to that time ({@link AlertState}), while
 * occurrences in later windows still fire early. As for the windowed aggregates, a partition not heard from for
 * the idle timeout stops holding time back, and nothing resolves for one timeout after the task starts ({@link PartitionClock}). When the whole input
 * falls silent, time moves on with the wall clock, so a firing alert still resolves after the hold-down.
 */
final class AlertProcessor implements Processor<String, Occurrence, String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);
    /** Not a task id (those look like {@code 0_1}), so it cannot stand in for one. */
    private static final String RESTORED_SOURCE = "restored-state";

    private final String storeName;
    private final AlertPolicy policy;
    private final Supplier<Enricher> enricher;
    /** {@code null}: no metrics. */
    private final FaultlineMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, AlertState> store;
    private long series;
    /** The enrich tasks' tick times. */
    private final PartitionClock clock;
    /** The slowest active partition's event time; never goes back. */
    private long eventTime = Long.MIN_VALUE;
    private long nextEvaluation = Long.MIN_VALUE;
    /** Occurrences of new series dropped at the cap, for the log. */
    private long untracked;

    AlertProcessor(String storeName, AlertPolicy policy, Supplier<Enricher> enricher, Duration idleTimeout,
            FaultlineMetrics metrics) {
        this.metrics = metrics;
        this.storeName = storeName;
        this.policy = policy;
        this.enricher = enricher;
        this.clock = new PartitionClock(idleTimeout);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        series = 0;
        long lastSeen = Long.MIN_VALUE;
        try (KeyValueIterator<String, AlertState> it = store.all()) {
            while (it.hasNext()) {
                lastSeen = Math.max(lastSeen, it.next().value.lastSeen);
                series++;
            }
        }
        long now = context.currentSystemTimeMs();
        clock.start(now, "faultline-alert-detector " + context.taskId());
        if (series > 0) {
            // What the store last saw stands for the input's time until a task is heard from: should the input stay
            // silent after a restart, time still moves on from there and firing alerts resolve.
            clock.restore(RESTORED_SOURCE, lastSeen, now);
        }
        eventTime = Long.MIN_VALUE;
        nextEvaluation = Long.MIN_VALUE;
        // Event time (ticks), not wall time, drives resolution: it is reproducible and TopologyTestDriver drives
        // it. The wall clock only decides which partitions are idle and, once all are, how far time moves on.
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::advance);
    }

    /** Moves {@link #eventTime} to the slowest active partition's tick time and evaluates when it has moved on. */
    private void advance(long now) {
        if (!clock.ready(now)) {
            return;
        }
        long t = clock.slowest(now, Long.MIN_VALUE);
        if (t <= eventTime) {
            return;
        }
        eventTime = t;
        if (nextEvaluation == Long.MIN_VALUE || t >= nextEvaluation) {
            long every = policy.punctuateEveryMs();
            nextEvaluation = Math.floorDiv(t, every) * every + every;
            onStreamTime(t);
        }
    }

    @Override
    public void process(Record<String, Occurrence> record) {
        Occurrence o = record.value();
        if (o != null && o.isTick()) {
            // Ticks from a version before they named their task count as one partition.
            long now = context.currentSystemTimeMs();
            clock.heard(o.svc == null ? "" : o.svc, o.t, 0, now);
            advance(now);
            return;
        }
        if (o == null || !o.alertable()) {
            return;
        }
        String fp = record.key();
        // In the start-up hold the slowest partition is not known for sure; the slowest heard from so far (or what
        // the store last saw) is: judging windows up to each occurrence's own instead would make a lagging
        // partition's spike late whenever one ahead in a catch-up is read first.
        long judgedTo = eventTime != Long.MIN_VALUE ? eventTime : clock.slowestKnown();
        AlertState s = store.get(fp);
        if (s == null) {
            if (series >= policy.maxSeries()) {
                // Bounded: beyond the cap new series are not tracked until idle ones are evicted. Said, not silent.
                if (metrics != null) {
                    metrics.recordUntrackedAlertSeries();
                }
                if (untracked++ % 10_000 == 0) {
                    LOG.warn("{}: holds alerts.max-series ({}) series; new series are not tracked (occurrences "
                            + "dropped so far: {})", context.taskId(), policy.maxSeries(), untracked);
                }
                return;
            }
            s = AlertState.start(o, AlertState.firstWindow(o.t, judgedTo, policy));
            series++;
        }
        AlertState.Notice n = s.onOccurrence(o, o.t, judgedTo, policy);
        store.put(fp, s);
        if (n == AlertState.Notice.FIRING || n == AlertState.Notice.REMINDER) {
            // The record carries its partition's progress, at most the input record's time: a log's own time may
            // be ahead of it (within the future skew), further than a broker accepts.
            emit(fp, s, "firing", n == AlertState.Notice.REMINDER, o.t, Math.min(o.t, record.timestamp()),
                    Alert.millisHeader(record.headers(), EnrichProcessor.INGESTED_AT_HEADER));
        }
    }

    private void onStreamTime(long streamTime) {
        List<KeyValue<String, AlertState>> changed = new ArrayList<>();
        List<String> evicted = new ArrayList<>();
        try (KeyValueIterator<String, AlertState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, AlertState> kv = it.next();
                boolean wasFiring = kv.value.firing;
                AlertState.Notice n = kv.value.onStreamTime(streamTime, policy);
                if (n == AlertState.Notice.EVICT) {
                    evicted.add(kv.key);
                } else if (wasFiring) {
                    changed.add(kv);
                    if (n == AlertState.Notice.RESOLVED) {
                        emit(kv.key, kv.value, "resolved", false, streamTime, streamTime, -1);
                    }
                }
            }
        }
        // Writes after the scan: iterators over a store being modified are not guaranteed stable.
        changed.forEach(kv -> store.put(kv.key, kv.value));
        evicted.forEach(store::delete);
        series = Math.max(0, series - evicted.size());
    }

    private void emit(String fp, AlertState s, String status, boolean reminder, long at, long recordTime,
            long ingestedAt) {
        CatalogEntry entry = null;
        if (Occurrence.CODE.equals(s.kind)) {
            entry = enricher.get().catalogs().catalog(s.catalog).flatMap(c -> c.entry(s.code)).orElse(null);
        }
        byte[] json = AlertJson.toBytes(fp, s, status, reminder, entry, policy, at);
        // Timestamped with event time (windows and alerts downstream are about it), capped as above; the
        // emission's wall-clock time goes in a header, for judging staleness when it is delivered.
        RecordHeaders headers = new RecordHeaders();
        headers.add(Alert.EMITTED_AT_HEADER, Alert.millisHeader(context.currentSystemTimeMs()));
        if (ingestedAt >= 0) {
            headers.add(Alert.INGESTED_AT_HEADER, Alert.millisHeader(ingestedAt));
        }
        context.forward(new Record<>(fp, json, Math.max(0, recordTime), headers));
        if (metrics != null) {
            metrics.recordAlert(reminder ? "reminder" : status);
        }
    }
}
