package dev.faultline.catalog.event;

import java.util.List;
import java.util.Objects;

/**
 * One log event, as the matcher sees it. A record usually holds one event; an OTLP batch holds many.
 *
 * @param format       the detected format
 * @param timestamp    the event's own time as written in the log, or {@code null}
 * @param epochMillis  that time parsed to epoch milliseconds, or {@code null} when absent or unparseable
 * @param service      the service that logged it ({@code service.name}, {@code service}, syslog tag…), or {@code null}
 * @param host         the host, or {@code null}
 * @param level        the level as written ({@code ERROR}, {@code warn}, {@code 17}…), or {@code null}
 * @param message      the main message text, or {@code null}
 * @param codeFields   values of the configured typed fields, in document order
 * @param textFields   message-like values for the string fallback (for plain text: the whole line)
 * @param retryAfterMs the event's own retry hint ({@code retry_after_ms}, {@code retry_after_seconds}×1000), or {@code null}
 */
public record LogEvent(
        LogFormat format,
        String timestamp,
        Long epochMillis,
        String service,
        String host,
        String level,
        String message,
        List<FieldValue> codeFields,
        List<FieldValue> textFields,
        Long retryAfterMs) {
    public LogEvent {
        Objects.requireNonNull(format, "format");
        codeFields = List.copyOf(codeFields);
        textFields = List.copyOf(textFields);
    }

    /** A copy bound to a service, for sources (a topic, a file) that name the service when the log does not. */
    public LogEvent withServiceIfAbsent(String fallbackService) {
        if (service != null || fallbackService == null) {
            return this;
        }
        return new LogEvent(format, timestamp, epochMillis, fallbackService, host, level, message, codeFields,
                textFields, retryAfterMs);
    }
}
