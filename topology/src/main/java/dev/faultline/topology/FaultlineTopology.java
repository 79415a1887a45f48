package dev.faultline.topology;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalogs.CatalogGlobalStore;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;
import dev.faultline.ops.FaultlineMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds Faultline's topology from typed config: raw logs → enrich (or dead-letter) → enriched
 * events; occurrences → final windowed aggregates; transient/conditional occurrences → spike
 * alerts. A pure function: no I/O, no clock, no Kafka connection.
 */
public final class FaultlineTopology {
    /** Processor, store and internal-topic names (internal topics get the application id as prefix). */
    public static final String SOURCE = "faultline-source";
    public static final String ENRICH = "faultline-enrich";
    public static final String ALERT_STORE = "faultline-alert-state";
    public static final String AGG_REPARTITION = "faultline-agg-by-series";
    public static final String AGG_COMBINE = "faultline-agg-combine";
    public static final String AGG_PARTIALS_STORE = "faultline-agg-partials";
    public static final String AGG_WINDOWS = "faultline-agg-windows";
    public static final String AGG_PROGRESS_STORE = "faultline-agg-progress";
    public static final String ALERT_REPARTITION = "faultline-alert-by-fingerprint";

    /** Ticks (stream-time heartbeats for the alert task) are sent at most this often per enrich task, in event time. */
    static final long TICK_INTERVAL_MS = 1000;
    /**
     * The combiner flushes its partials, and sends its watermark, at least this often in wall-clock time; in event
     * time it flushes when a held partial's window ends (see {@link AggregateCombiner}).
     */
    static final long COMBINE_INTERVAL_MS = 1000;
    /** The combiner flushes everything when it holds more partials than this. */
    static final int COMBINE_MAX_PARTIALS = 10_000;
    /** See {@link #retention}. */
    static final Duration RETENTION_MARGIN = Duration.ofHours(1);

    private FaultlineTopology() {
    }

    /**
     * Key of the Streams config entry that hands the app's {@link FaultlineMetrics} to the exception handlers, which
     * Kafka Streams creates from class names.
     */
    public static final String METRICS_CONFIG = "faultline.internal.metrics";

    /**
     * {@link FaultlineConfig#streamsProperties()} with Faultline's own exception handlers, so a failure after the
     * enrich step is dead-lettered in the same shape as every other dead letter and counted in {@code metrics}
     * ({@code null}: not counted).
     */
    public static Properties streamsProperties(FaultlineConfig config, FaultlineMetrics metrics) {
        Properties p = config.streamsProperties();
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                FaultlineProcessingExceptionHandler.class.getName());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                FaultlineDeserializationExceptionHandler.class.getName());
        if (metrics != null) {
            p.put(METRICS_CONFIG, metrics);
        }
        return p;
    }

    /** {@link #build(FaultlineConfig, Supplier)} with one fixed enricher. */
    public static Topology build(FaultlineConfig config, Enricher enricher) {
        return build(config, () -> enricher);
    }

    /**
     * The topology for {@code config}. {@code enricher} is asked once per record, so a caller may
     * swap catalogs at run time by returning a new {@code Enricher} (it must be thread-safe).
     */
    public static Topology build(FaultlineConfig config, Supplier<Enricher> enricher) {
        return build(config, enricher, null);
    }

    /**
     * {@link #build(FaultlineConfig, Supplier)} with Faultline's meters recorded by the processors
     * (events per format, matches, unknown codes, dead letters, match latency, alerts); {@code null}
     * records nothing.
     */
    public static Topology build(FaultlineConfig config, Supplier<Enricher> enricher, FaultlineMetrics metrics) {
        return build(config, enricher, metrics, COMBINE_MAX_PARTIALS);
    }

    /** {@link #build(FaultlineConfig, Supplier, FaultlineMetrics)} with the combiner's bound given (tests). */
    static Topology build(FaultlineConfig config, Supplier<Enricher> enricher, FaultlineMetrics metrics,
            int maxPartials) {
        Topics topics = Topics.from(config);
        // Built with the app's own config so ensure.explicit.internal.resource.naming is checked here, at build time.
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config.streamsProperties())));
        Consumed<byte[], byte[]> consumed = Consumed.with(FaultlineSerdes.BYTES, FaultlineSerdes.BYTES)
                .withName(SOURCE);
        KStream<byte[], byte[]> logs = topics.pattern().isPresent()
                ? builder.stream(topics.inputPattern(), consumed)
                : builder.stream(topics.inputs(), consumed);

        EventTime eventTime = EventTime.of(config.get(FaultlineKeys.EVENT_TIME_MAX_FUTURE_SKEW),
                config.get(FaultlineKeys.EVENT_TIME_MAX_PAST_AGE));
        int maxSampleChars = config.get(FaultlineKeys.AGGREGATES_MAX_SAMPLE_CHARS);
        int maxDeadLetterBytes = DeadLetters.maxBytes(config.kafkaProperties());
        ProcessorSupplier<byte[], byte[], byte[], Routed> enrich = () -> new EnrichProcessor(enricher,
                config::serviceForTopic, config.emitEventsWithoutErrors(), eventTime, maxSampleChars,
                TICK_INTERVAL_MS, maxDeadLetterBytes, metrics);
        Map<String, KStream<byte[], Routed>> routes = logs.process(enrich, Named.as(ENRICH))
                .split(Named.as("faultline-route"))
                .branch((k, v) -> v instanceof Routed.DeadLetter, Branched.as("-dlq"))
                .defaultBranch(Branched.as("-events"));

        routes.get("faultline-route-dlq")
                .mapValues(v -> ((Routed.DeadLetter) v).value(), Named.as("faultline-dlq-value"))
                .to(topics.dlq(), Produced.with(FaultlineSerdes.BYTES, FaultlineSerdes.BYTES)
                        .withName("faultline-dlq-sink"));

        KStream<byte[], Routed.Event> events = routes.get("faultline-route-events")
                .mapValues(v -> (Routed.Event) v, Named.as("faultline-events"));
        events.filter((k, v) -> v.json() != null, Named.as("faultline-enriched-filter"))
                .mapValues(Routed.Event::json, Named.as("faultline-enriched-value"))
                .to(topics.enriched(), Produced.with(FaultlineSerdes.BYTES, FaultlineSerdes.BYTES)
                        .withName("faultline-enriched-sink"));

        aggregates(config, topics, events, maxPartials);
        alerts(config, topics, events, enricher, metrics);
        // Last, so the sub-topology (task) ids of the stream part never shift.
        CatalogGlobalStore.addTo(builder, config, enricher);
        return builder.build();
    }

    private static void aggregates(FaultlineConfig config, Topics topics, KStream<byte[], Routed.Event> events,
            int maxPartials) {
        int maxHosts = config.get(FaultlineKeys.AGGREGATES_MAX_DISTINCT_HOSTS);
        int maxSampleChars = config.get(FaultlineKeys.AGGREGATES_MAX_SAMPLE_CHARS);
        Duration grace = config.windowGrace();
        List<Duration> sizes = config.windowSizes();
        // Bytes in, bytes out: the combiner encodes its two small entries per partial itself.
        StoreBuilder<KeyValueStore<Bytes, byte[]>> partials = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(AGG_PARTIALS_STORE), Serdes.Bytes(), FaultlineSerdes.BYTES)
                // Cached: a partial updated many times between commits reaches the changelog once.
                .withCachingEnabled();
        ProcessorSupplier<byte[], Routed.Event, String, PartialAggregate> combiner = new ProcessorSupplier<>() {
            @Override
            public AggregateCombiner get() {
                return new AggregateCombiner(AGG_PARTIALS_STORE, sizes, grace, maxHosts, COMBINE_INTERVAL_MS,
                        maxPartials, config.idlePartitionTimeout());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(partials);
            }
        };
        KStream<String, PartialAggregate> bySeries = events.process(combiner, Named.as(AGG_COMBINE))
                .repartition(Repartitioned.<String, PartialAggregate>as(AGG_REPARTITION)
                        .withKeySerde(FaultlineSerdes.STRING).withValueSerde(FaultlineSerdes.PARTIAL)
                        // Every series of a service in one partition: the query API reads a service's
                        // windows from the one instance that owns it (QueryableStores).
                        .withStreamPartitioner(new ByService()));

        Duration idleTimeout = config.idlePartitionTimeout();
        Set<StoreBuilder<?>> stores = new HashSet<>();
        for (Duration size : sizes) {
            stores.add(Stores.timestampedWindowStoreBuilder(
                            Stores.persistentTimestampedWindowStore(AggregateWindows.storeName(size),
                                    retention(size, grace), size, false),
                            FaultlineSerdes.STRING, FaultlineSerdes.AGGREGATE)
                    // Each window is written once per partial and read back once, when it closes: a cache
                    // would save little, and on the first emit after a start it would walk from epoch 0.
                    .withCachingDisabled());
        }
        stores.add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AGG_PROGRESS_STORE),
                FaultlineSerdes.STRING, Serdes.Long()));
        ProcessorSupplier<String, PartialAggregate, String, byte[]> windows = new ProcessorSupplier<>() {
            @Override
            public AggregateWindows get() {
                return new AggregateWindows(sizes, grace, idleTimeout, maxHosts, maxSampleChars, AGG_PROGRESS_STORE,
                        COMBINE_INTERVAL_MS);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
        bySeries.process(windows, Named.as(AGG_WINDOWS))
                .to(topics.aggregates(), Produced.with(FaultlineSerdes.STRING, FaultlineSerdes.BYTES)
                        .withName("faultline-agg-sink"));
    }

    /**
     * A window is emitted once every input partition's event time is past its close; a store retaining
     * only size + grace could drop it before that, when one partition lags or the input pauses. So the store
     * keeps 2 × size + grace + {@link #RETENTION_MARGIN}: {@link AggregateWindows} emits a window with what it
     * has once the newest partition is the margin plus the grace past the window's end, one window before the
     * store would drop it, so a partition may lag the newest by the margin whatever the window size. (With
     * size + grace + max(size, margin), windows of an hour or more closed on the newest partition alone.) A
     * partial's window is its log's time, up to the future skew ahead of its partition, so the lead a partition may
     * have is the margin less that skew (which is at most 30 minutes). The retention depends on size and grace
     * alone: it sets the store's segment interval, and a store reopened with another one misses its segments.
     */
    static Duration retention(Duration size, Duration grace) {
        return size.multipliedBy(2).plus(grace).plus(RETENTION_MARGIN);
    }

    private static void alerts(FaultlineConfig config, Topics topics, KStream<byte[], Routed.Event> events,
            Supplier<Enricher> enricher, FaultlineMetrics metrics) {
        AlertPolicy policy = AlertPolicy.from(config);
        StoreBuilder<KeyValueStore<String, AlertState>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ALERT_STORE), FaultlineSerdes.STRING, FaultlineSerdes.ALERT_STATE)
                // A series is updated on every one of its occurrences: cached, it reaches RocksDB and the changelog
                // once per commit. The detector forwards alerts itself, so the cache holds nothing back downstream.
                .withCachingEnabled();
        ProcessorSupplier<String, Occurrence, String, byte[]> detector = new ProcessorSupplier<>() {
            @Override
            public AlertProcessor get() {
                return new AlertProcessor(ALERT_STORE, policy, enricher, config.idlePartitionTimeout(), metrics);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(store);
            }
        };
        events.flatMap((k, ev) -> {
                    List<KeyValue<String, Occurrence>> out = new ArrayList<>(2);
                    for (Occurrence o : ev.occurrences()) {
                        if (o.isTick()) {
                            out.add(KeyValue.pair(Occurrence.TICK, o));
                        } else if (o.alertable()) {
                            out.add(KeyValue.pair(AlertJson.fingerprint(o), o));
                        }
                    }
                    return out;
                }, Named.as("faultline-alert-signals"))
                .repartition(Repartitioned.<String, Occurrence>as(ALERT_REPARTITION)
                        .withKeySerde(FaultlineSerdes.STRING).withValueSerde(FaultlineSerdes.OCCURRENCE)
                        .withStreamPartitioner(new TickBroadcast()))
                .process(detector, Named.as("faultline-alert-detector"))
                .to(topics.alerts(), Produced.with(FaultlineSerdes.STRING, FaultlineSerdes.BYTES)
                        .withName("faultline-alerts-sink"));
    }

    /**
     * Partitions aggregate series by their service alone (murmur2 of the service name), so all of a
     * service's series share one partition and one store partition; a combiner's watermark goes to every
     * partition (KIP-837 multicast). A record's service comes from
     * its value; without one (an interactive-query lookup) the key must be a service-total key.
     */
    static final class ByService implements StreamPartitioner<String, PartialAggregate> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, PartialAggregate value,
                int numPartitions) {
            if (value != null && value.isWatermark()) {
                return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
            }
            String service = value != null ? value.agg.svc : QueryableStores.serviceOfTotalKey(key);
            byte[] bytes = (service == null ? "" : service).getBytes(StandardCharsets.UTF_8);
            return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % numPartitions));
        }
    }

    /**
     * Sends ticks to every partition (KIP-837 multicast) so each alert task's stream time advances
     * even when its series have gone quiet; everything else is partitioned like the default (murmur2
     * of the key).
     */
    static final class TickBroadcast implements StreamPartitioner<String, Occurrence> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, Occurrence value, int numPartitions) {
            if (value != null && value.isTick()) {
                return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
            }
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % numPartitions));
        }
    }
}
