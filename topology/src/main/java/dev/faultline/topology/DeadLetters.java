package dev.faultline.topology;

import dev.faultline.catalog.event.UnreadableReason;
import dev.faultline.ops.FaultlineMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Dead letters in one shape wherever they come from (the enrich step, or an exception handler for what fails
 * later): the original key, value and headers plus Faultline's {@link DlqHeaders}, cut to what the producer can
 * send.
 */
final class DeadLetters {
    /** Room a dead letter leaves in a produce request for Faultline's headers and the record's own overhead. */
    static final int HEADROOM_BYTES = 16 * 1024;
    static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    static final int DEFAULT_MAX_BYTES = DEFAULT_MAX_REQUEST_SIZE - HEADROOM_BYTES;
    private static final int MAX_DETAIL_CHARS = 1024;
    /** Upper bounds of a header's and a record's own framing in a record batch (varints, attributes, deltas). */
    static final int HEADER_FRAMING_BYTES = 10;
    static final int RECORD_FRAMING_BYTES = 128;

    private DeadLetters() {
    }

    /** A dead letter's key, value and headers. */
    record Letter(byte[] key, byte[] value, Headers headers) {
    }

    /** What a dead letter may carry under a producer's {@code max.request.size}. */
    static int maxBytes(int maxRequestSize) {
        return Math.max(1024, maxRequestSize - HEADROOM_BYTES);
    }

    /** {@link #maxBytes} for the producer of a Streams config ({@code producer.}-prefixed or plain). */
    static int maxBytes(Map<String, ?> configs) {
        Object v = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (v == null) {
            v = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        try {
            return maxBytes(v == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(v.toString().strip()));
        } catch (NumberFormatException e) {
            return DEFAULT_MAX_BYTES;
        }
    }

    /**
     * The record with the reason in headers. One that would not fit in a produce request (a too-large record where
     * the input topic allows more than the producer sends) is cut to fit instead, its original headers dropped, and
     * {@link DlqHeaders#TRUNCATED} says so: a dead letter the producer refuses fails the task on every retry and
     * stalls the partition behind it.
     */
    static Letter of(byte[] key, byte[] value, Header[] original, int maxBytes, String reason, String detail,
            String exception, String topic, Integer partition, Long offset) {
        original = withoutOwn(original);
        int keyBytes = key == null ? 0 : key.length;
        int valueBytes = value == null ? 0 : value.length;
        long headerBytes = 0;
        for (Header h : original) {
            headerBytes += utf8(h.key()).length + (h.value() == null ? 0 : h.value().length);
        }
        // On the wire each header also costs its framing (two varint lengths), and the record its own.
        long wire = keyBytes + valueBytes + headerBytes + (long) original.length * HEADER_FRAMING_BYTES
                + RECORD_FRAMING_BYTES;
        Headers headers;
        if (wire > maxBytes) {
            headers = new RecordHeaders();
            headers.add(DlqHeaders.TRUNCATED, utf8(keyBytes + "," + valueBytes + "," + headerBytes));
            int keyKeep = Math.min(keyBytes, maxBytes / 4);
            if (key != null && keyKeep < keyBytes) {
                key = Arrays.copyOf(key, keyKeep);
            }
            int valueKeep = Math.min(valueBytes, maxBytes - keyKeep);
            if (value != null && valueKeep < valueBytes) {
                value = Arrays.copyOf(value, valueKeep);
            }
        } else {
            headers = new RecordHeaders(original);
        }
        headers.add(DlqHeaders.REASON, utf8(reason));
        headers.add(DlqHeaders.DETAIL, utf8(Text.safe(detail, MAX_DETAIL_CHARS)));
        if (exception != null) {
            headers.add(DlqHeaders.EXCEPTION, utf8(exception));
        }
        if (topic != null) {
            headers.add(DlqHeaders.SOURCE_TOPIC, utf8(topic));
            headers.add(DlqHeaders.SOURCE_PARTITION, utf8(String.valueOf(partition)));
            headers.add(DlqHeaders.SOURCE_OFFSET, utf8(String.valueOf(offset)));
        }
        return new Letter(key, value, headers);
    }

    /**
     * The original headers but those a dead letter of Faultline's carries: a dead letter replayed into the input
     * (the usual recovery, after a fix) that fails again must not carry its earlier failure's reason, exception or
     * truncation beside the new one's.
     */
    private static Header[] withoutOwn(Header[] original) {
        int own = 0;
        for (Header h : original) {
            own += DlqHeaders.isOwn(h.key()) ? 1 : 0;
        }
        if (own == 0) {
            return original;
        }
        Header[] kept = new Header[original.length - own];
        int k = 0;
        for (Header h : original) {
            if (!DlqHeaders.isOwn(h.key())) {
                kept[k++] = h;
            }
        }
        return kept;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What both handlers need: the topic, the producer's size limit and the meters (absent in tools and tests). */
    record Settings(String topic, int maxBytes, FaultlineMetrics metrics) {
        static Settings from(Map<String, ?> configs) {
            Object m = configs.get(FaultlineTopology.METRICS_CONFIG);
            return new Settings(String.valueOf(configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)),
                    DeadLetters.maxBytes(configs), m instanceof FaultlineMetrics fm ? fm : null);
        }

        ProducerRecord<byte[], byte[]> deadLetter(byte[] key, byte[] value, Headers headers, String sourceTopic,
                int partition, long offset, String detail, Exception exception) {
            if (metrics != null) {
                metrics.recordDeadLetter(UnreadableReason.PROCESSING_ERROR);
            }
            boolean hasSource = sourceTopic != null && offset >= 0; // a punctuation's failure has no record
            Letter letter = of(key, value, headers == null ? new Header[0] : headers.toArray(),
                    maxBytes, UnreadableReason.PROCESSING_ERROR.wire(), detail, exception.getClass().getName(),
                    hasSource ? sourceTopic : null, partition, offset);
            return new ProducerRecord<>(topic, null, null, letter.key(), letter.value(), letter.headers());
        }
    }
}
