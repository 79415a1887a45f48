package dev.faultline.catalogs;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Adds the catalog topic to a topology as a global store, so every instance reads all of it and
 * converges on the same catalogs. Pure: no I/O.
 */
public final class CatalogGlobalStore {
    /** The global source, processor and store names (state and compatibility: do not rename). */
    public static final String PROCESSOR = "faultline-catalog";
    /** Kafka Streams names the global source after the processor. */
    public static final String SOURCE = PROCESSOR + "-source";
    public static final String STORE = "faultline-catalog-store";

    private CatalogGlobalStore() {
    }

    /**
     * Adds the global store when {@code catalog.live} is on and {@code enricher} is a
     * {@link LiveCatalogs} (the one that will be updated); otherwise the topology is unchanged
     * (fixed catalogs: tests, {@code scan}, {@code demo}).
     *
     * @return whether it was added
     */
    public static boolean addTo(StreamsBuilder builder, FaultlineConfig config, Supplier<Enricher> enricher) {
        if (!config.get(FaultlineKeys.CATALOG_LIVE) || !(enricher instanceof LiveCatalogs live)) {
            return false;
        }
        // Distinct from the log and output topics: FaultlineConfig refuses any config where it is not.
        String topic = CatalogTopic.name(config);
        // In memory: the topic is small and is re-read in full on every start, so nothing stale
        // can survive on local disk. The topic itself is the store's changelog (no logging).
        StoreBuilder<KeyValueStore<String, byte[]>> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled();
        builder.addGlobalStore(store, topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(PROCESSOR),
                () -> new CatalogTopicProcessor(STORE, topic, live));
        return true;
    }
}
