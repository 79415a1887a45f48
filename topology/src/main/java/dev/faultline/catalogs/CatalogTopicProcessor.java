package dev.faultline.catalogs;

import dev.faultline.ops.SafeText;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the catalog global store (the raw topic content) and hands every record to
 * {@link LiveCatalogs}. Never throws: a failure here would stop the global thread and the app.
 */
final class CatalogTopicProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogTopicProcessor.class);

    private final String storeName;
    private final String topic;
    private final LiveCatalogs live;
    private KeyValueStore<String, byte[]> store;

    CatalogTopicProcessor(String storeName, String topic, LiveCatalogs live) {
        this.storeName = storeName;
        this.topic = topic;
        this.live = live;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        // The store was just restored from the topic; apply whatever the records did not already
        // bring (updates are idempotent per key and content hash).
        Map<String, CatalogDocument> snapshot = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.key != null && kv.value != null) {
                    snapshot.put(kv.key, new CatalogDocument(kv.key, kv.value, null, null, null));
                }
            }
        }
        try {
            live.updateAll(snapshot);
        } catch (RuntimeException e) {
            LOG.error("catalog topic {}: could not apply the stored catalogs; keeping the last good ones", topic, e);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            LOG.warn("catalog topic {}: ignoring a record without a key (the key must be the catalog id)", topic);
            return;
        }
        try {
            if (record.value() == null) {
                store.delete(key);
                live.update(key, null);
            } else {
                store.put(key, record.value());
                live.update(key, CatalogDocument.fromRecord(key, record.value(), record.headers()));
            }
        } catch (RuntimeException e) {
            LOG.error("catalog topic {}: could not apply the update of catalog id '{}'; keeping the last good "
                    + "catalogs", topic, SafeText.escape(key, 256), e);
        }
    }
}
