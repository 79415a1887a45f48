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
 *
 * <p>{@code timestamp}, {@code service}, {@code host} and {@code level} are labels: they become record keys, state-store
 * keys and alert identities downstream, so each is cut to {@value #MAX_LABEL_CHARS} chars (the cut marked {@code …}).
 * A record may be a megabyte; a key that large would fail every write it reaches.
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
    /** The most chars a label field keeps (a DNS name is at most 253). */
    public static final int MAX_LABEL_CHARS = 256;

    public LogEvent {
        Objects.requireNonNull(format, "format");
        timestamp = label(timestamp);
        service = label(service);
        host = label(host);
        level = label(level);
        codeFields = List.copyOf(codeFields);
        textFields = List.copyOf(textFields);
    }

    /** Cut to {@link #MAX_LABEL_CHARS}, never splitting a surrogate pair. */
    static String label(String s) {
        if (s == null || s.length() <= MAX_LABEL_CHARS) {
            return s;
        }
        int cut = MAX_LABEL_CHARS - 1;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "…";
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
