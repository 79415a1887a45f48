package dev.faultline.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Read-only views of the topology's state stores for interactive queries, so the query API never
 * sees the stores' internal value types. Every method reads only this instance's local, active
 * store partitions and throws {@link org.apache.kafka.streams.errors.InvalidStateStoreException}
 * while they are not queryable (rebalancing, restoring, closed).
 *
 * <p>Placement: every aggregate series of a service lives in the partition
 * {@link #servicePartitioner()} gives {@link #serviceKey(String)}; alert states are spread by
 * fingerprint, so active alerts need every instance.
 */
public final class QueryableStores {
    private static final Instant ALL_TIME_FROM = Instant.EPOCH;
    private static final Instant ALL_TIME_TO = Instant.ofEpochMilli(Long.MAX_VALUE);
    private static final String TOTAL_PREFIX = Occurrence.TOTAL + "|";

    private QueryableStores() {
    }

    /** Codes counted in one window of one service. */
    public record CodeCount(String catalog, String code, String errorClass, long count, long transientCount) {
    }

    /**
     * One window of one service: every error event counted ({@code total}), and its most frequent
     * codes (at most the requested number; {@code distinctCodes} says how many there were).
     */
    public record ServiceWindow(long start, long end, long total, int distinctCodes, List<CodeCount> codes) {
    }

    /** A series whose spike alert is firing. {@code score} is null when it fired without history. */
    public record ActiveAlert(String fingerprint, String kind, String service, String catalog, String code,
            String errorClass, String transience, long startedAt, long lastNotifiedAt, long windowStart,
            long windowCount, double baseline, Double score, long lastSeen) {
    }

    /** The windowed aggregate store of one window size. */
    public static String aggregateStore(Duration size) {
        return AggregateWindows.storeName(size);
    }

    /** The alert state store. */
    public static String alertStore() {
        return FaultlineTopology.ALERT_STORE;
    }

    /** The key {@link KafkaStreams#queryMetadataForKey} is asked for to find a service's partition. */
    public static String serviceKey(String service) {
        return TOTAL_PREFIX + Objects.requireNonNull(service, "service");
    }

    /** How aggregate series are partitioned (by service); pass it to {@link KafkaStreams#queryMetadataForKey}. */
    public static StreamPartitioner<String, ?> servicePartitioner() {
        return new FaultlineTopology.ByService();
    }

    /** The service of a {@link #serviceKey} key, or {@code null} for any other key. */
    static String serviceOfTotalKey(String key) {
        return key != null && key.startsWith(TOTAL_PREFIX) ? key.substring(TOTAL_PREFIX.length()) : null;
    }

    /**
     * The newest {@code windows} windows of {@code size} that counted anything for {@code service},
     * newest first, each with its {@code topCodes} most frequent codes.
     *
     * @param partition the store partition holding the service, or {@code null} for every local one
     */
    public static List<ServiceWindow> serviceWindows(KafkaStreams streams, Duration size, String service,
            Integer partition, int windows, int topCodes) {
        StoreQueryParameters<ReadOnlyWindowStore<String, WindowAggregate>> params = StoreQueryParameters
                .fromNameAndType(aggregateStore(size), QueryableStoreTypes.<String, WindowAggregate>windowStore());
        ReadOnlyWindowStore<String, WindowAggregate> store = streams.store(
                partition == null ? params : params.withPartition(partition));
        Map<Long, long[]> totals = new TreeMap<>(Comparator.reverseOrder());
        Map<Long, List<CodeCount>> codes = new TreeMap<>(Comparator.reverseOrder());
        try (WindowStoreIterator<WindowAggregate> it = store.fetch(serviceKey(service), ALL_TIME_FROM, ALL_TIME_TO)) {
            while (it.hasNext()) {
                KeyValue<Long, WindowAggregate> kv = it.next();
                totals.computeIfAbsent(kv.key, k -> new long[1])[0] += kv.value.count;
            }
        }
        // '}' follows '|': the range holds exactly the keys starting "code|<service>|" (and, for a
        // service containing '|', a few of another service, which the value's service filters out).
        String from = Occurrence.CODE + "|" + service + "|";
        String to = Occurrence.CODE + "|" + service + "}";
        try (KeyValueIterator<Windowed<String>, WindowAggregate> it = store.fetch(from, to, ALL_TIME_FROM,
                ALL_TIME_TO)) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, WindowAggregate> kv = it.next();
                WindowAggregate a = kv.value;
                if (a == null || !Occurrence.CODE.equals(a.kind) || !service.equals(a.svc)) {
                    continue;
                }
                codes.computeIfAbsent(kv.key.window().start(), k -> new ArrayList<>())
                        .add(new CodeCount(a.catalog, a.code, a.cls, a.count, a.transientCount));
            }
        }
        TreeMap<Long, Boolean> starts = new TreeMap<>(Comparator.reverseOrder());
        totals.keySet().forEach(s -> starts.put(s, true));
        codes.keySet().forEach(s -> starts.put(s, true));
        List<ServiceWindow> out = new ArrayList<>();
        for (Long start : starts.keySet()) {
            if (out.size() >= windows) {
                break;
            }
            List<CodeCount> list = new ArrayList<>(codes.getOrDefault(start, List.of()));
            list.sort(Comparator.comparingLong(CodeCount::count).reversed()
                    .thenComparing(CodeCount::catalog, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(CodeCount::code, Comparator.nullsFirst(Comparator.naturalOrder())));
            long[] total = totals.get(start);
            out.add(new ServiceWindow(start, start + size.toMillis(), total == null ? 0 : total[0], list.size(),
                    List.copyOf(list.subList(0, Math.min(topCodes, list.size())))));
        }
        return out;
    }

    /** Firing alerts in the local alert store partitions, oldest episode first, at most {@code limit}. */
    public static List<ActiveAlert> activeAlerts(KafkaStreams streams, int limit) {
        ReadOnlyKeyValueStore<String, AlertState> store = streams.store(StoreQueryParameters.fromNameAndType(
                alertStore(), QueryableStoreTypes.<String, AlertState>keyValueStore()));
        List<ActiveAlert> out = new ArrayList<>();
        try (KeyValueIterator<String, AlertState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, AlertState> kv = it.next();
                AlertState s = kv.value;
                if (s == null || !s.firing) {
                    continue;
                }
                out.add(new ActiveAlert(kv.key, s.kind, s.svc, s.catalog, s.code, s.cls, s.tr, s.episodeStart,
                        s.lastNotified, s.bucketStart, s.count, s.baseline,
                        Double.isFinite(s.lastScore) ? s.lastScore : null, s.lastSeen));
            }
        }
        out.sort(Comparator.comparingLong(ActiveAlert::startedAt).thenComparing(ActiveAlert::fingerprint));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }
}
