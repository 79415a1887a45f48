package dev.faultline.topology;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.ops.FaultlineMetrics;
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

/**
 * Early-firing spike detection per fingerprint: evaluates on every occurrence (fires as soon as the
 * current window crosses the minimum and the score), and on stream-time punctuation resolves after
 * the hold-down and evicts idle series. Emits {@code faultline.alert/v1} keyed by fingerprint.
 */
final class AlertProcessor implements Processor<String, Occurrence, String, byte[]> {
    private final String storeName;
    private final AlertPolicy policy;
    private final Supplier<Enricher> enricher;
    /** {@code null}: no metrics. */
    private final FaultlineMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, AlertState> store;
    private long series;

    AlertProcessor(String storeName, AlertPolicy policy, Supplier<Enricher> enricher) {
        this(storeName, policy, enricher, null);
    }

    AlertProcessor(String storeName, AlertPolicy policy, Supplier<Enricher> enricher, FaultlineMetrics metrics) {
        this.metrics = metrics;
        this.storeName = storeName;
        this.policy = policy;
        this.enricher = enricher;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        try (KeyValueIterator<String, AlertState> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                series++;
            }
        }
        // Stream time, not wall time: resolution is reproducible and TopologyTestDriver drives it.
        context.schedule(java.time.Duration.ofMillis(policy.punctuateEveryMs()), PunctuationType.STREAM_TIME,
                this::onStreamTime);
    }

    @Override
    public void process(Record<String, Occurrence> record) {
        Occurrence o = record.value();
        if (o == null || o.isTick() || !o.alertable()) {
            return; // a tick's only job is advancing stream time, which receiving it already did
        }
        String fp = record.key();
        AlertState s = store.get(fp);
        if (s == null) {
            if (series >= policy.maxSeries()) {
                return; // bounded: beyond the cap new series are not tracked until idle ones are evicted
            }
            s = AlertState.start(o, policy.bucket(record.timestamp()));
            series++;
        }
        AlertState.Notice n = s.onOccurrence(o, record.timestamp(), policy);
        store.put(fp, s);
        if (n == AlertState.Notice.FIRING || n == AlertState.Notice.REMINDER) {
            emit(fp, s, "firing", n == AlertState.Notice.REMINDER, record.timestamp());
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
                        emit(kv.key, kv.value, "resolved", false, streamTime);
                    }
                }
            }
        }
        // Writes after the scan: iterators over a store being modified are not guaranteed stable.
        changed.forEach(kv -> store.put(kv.key, kv.value));
        evicted.forEach(store::delete);
        series = Math.max(0, series - evicted.size());
    }

    private void emit(String fp, AlertState s, String status, boolean reminder, long at) {
        CatalogEntry entry = null;
        if (Occurrence.CODE.equals(s.kind)) {
            entry = enricher.get().catalogs().catalog(s.catalog).flatMap(c -> c.entry(s.code)).orElse(null);
        }
        byte[] json = AlertJson.toBytes(fp, s, status, reminder, entry, policy, at);
        context.forward(new Record<>(fp, json, at, new RecordHeaders()));
        if (metrics != null) {
            metrics.recordAlert(reminder ? "reminder" : status);
        }
    }
}
