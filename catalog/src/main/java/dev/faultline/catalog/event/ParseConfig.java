package dev.faultline.catalog.event;

import java.util.List;
import java.util.Objects;

/**
 * What the parser extracts and the bounds it enforces. Immutable.
 *
 * @param typedFields     ordered typed code fields (see {@link TypedField#defaults()})
 * @param messageFields   dotted paths of message-like fields the string fallback scans
 * @param maxRecordBytes  a larger record is {@link UnreadableReason#TOO_LARGE}
 * @param maxDepth        deeper JSON nesting is {@link UnreadableReason#TOO_DEEP}
 * @param maxStringChars  a longer JSON string is {@link UnreadableReason#STRING_TOO_LONG}
 * @param maxFields       more scalar fields in one event is {@link UnreadableReason#TOO_MANY_FIELDS}
 * @param maxBatchRecords more log records in one OTLP batch is {@link UnreadableReason#TOO_MANY_RECORDS}
 */
public record ParseConfig(
        List<TypedField> typedFields,
        List<String> messageFields,
        int maxRecordBytes,
        int maxDepth,
        int maxStringChars,
        int maxFields,
        int maxBatchRecords) {

    public static final List<String> DEFAULT_MESSAGE_FIELDS = List.of(
            "message", "msg", "log", "text", "body", "error", "error.message", "err", "err.message",
            "exception.message", "error.stack_trace", "err.stack", "reason", "detail", "description", "Message",
            "MESSAGE");

    public ParseConfig {
        typedFields = List.copyOf(Objects.requireNonNull(typedFields, "typedFields"));
        messageFields = List.copyOf(Objects.requireNonNull(messageFields, "messageFields"));
        if (maxRecordBytes < 1 || maxDepth < 2 || maxStringChars < 1 || maxFields < 1 || maxBatchRecords < 1) {
            throw new IllegalArgumentException("parse limits must be positive");
        }
    }

    public static ParseConfig defaults() {
        return new ParseConfig(TypedField.defaults(), DEFAULT_MESSAGE_FIELDS,
                1024 * 1024, 64, 256 * 1024, 4096, 10_000);
    }
}
