package dev.faultline.generator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One Kafka record the generator made, with what Faultline should make of it.
 *
 * @param topic     destination topic
 * @param key       record key (the service name, UTF-8)
 * @param value     record value: the log line or batch, exactly as written
 * @param format    its shape
 * @param service   the service it is from
 * @param events    how many log events it holds (an OTLP batch holds several; a bad record 0)
 * @param errors    the error events in it, in order (empty for normal lines)
 * @param badReason for a deliberately unreadable record, the DLQ reason Faultline should give
 *                  ({@code invalid-utf8}, {@code malformed-json}); {@code null} for a readable one
 */
public record GeneratedRecord(String topic, byte[] key, byte[] value, WireFormat format, String service, int events,
        List<ExpectedError> errors, String badReason) {
    public GeneratedRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(format, "format");
        errors = List.copyOf(errors);
    }

    public boolean bad() {
        return badReason != null;
    }

    /** The value as text, for logs and assertions (bad bytes replaced). */
    public String valueText() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
