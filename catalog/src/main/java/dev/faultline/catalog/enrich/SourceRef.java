package dev.faultline.catalog.enrich;

/**
 * Where an event was read from: a Kafka record (topic, partition, offset) or a file (name, line).
 * Unused members are {@code null}.
 */
public record SourceRef(String topic, Integer partition, Long offset, String file, Long line) {
    public static SourceRef kafka(String topic, int partition, long offset) {
        return new SourceRef(topic, partition, offset, null, null);
    }

    public static SourceRef file(String file, long line) {
        return new SourceRef(null, null, null, file, line);
    }

    public static SourceRef none() {
        return new SourceRef(null, null, null, null, null);
    }
}
