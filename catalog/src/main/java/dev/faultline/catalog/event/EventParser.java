package dev.faultline.catalog.event;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Turns one raw record into {@link LogEvent}s. Thread-safe and immutable after construction: build one per
 * {@link ParseConfig} and share it.
 *
 * <p>Per record, after leading whitespace and a UTF-8 BOM: an opening brace starts a JSON object (ECS when it carries
 * {@code ecs.version} or {@code @timestamp} + {@code log.level}, an OTLP batch when it has a top-level
 * {@code resourceLogs}); a line starting with {@code key=} with at least two pairs is logfmt; anything else is
 * plain text or syslog. A blank record has no events.
 *
 * <p>Content never makes {@code parse} throw: anything it cannot read comes back as
 * {@link ParseResult.Unreadable} with a reason and a short diagnostic that never quotes the record. Only caller
 * errors (a null array, a slice outside it) throw.
 */
public final class EventParser {

    private static final ParseResult NO_EVENTS = new ParseResult.Events(List.of());

    private final ParseConfig config;
    private final JsonEventReader json;
    private final LogfmtReader logfmt;
    private final TextReader text;

    public EventParser(ParseConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        PathRules rules = new PathRules(config);
        this.json = new JsonEventReader(rules, config, new OtlpReader(rules, config));
        this.logfmt = new LogfmtReader(rules, config);
        this.text = new TextReader();
    }

    public ParseConfig config() {
        return config;
    }

    /** Parses the whole array as one record. */
    public ParseResult parse(byte[] record) {
        return parse(record, 0, record.length);
    }

    /** Parses {@code record[offset, offset + length)} as one record. */
    public ParseResult parse(byte[] record, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, record.length);
        // Before anything that reads the bytes, so a huge record costs nothing.
        if (length > config.maxRecordBytes()) {
            return new ParseResult.Unreadable(UnreadableReason.TOO_LARGE,
                    "record of " + length + " bytes exceeds " + config.maxRecordBytes());
        }
        try {
            return parseBounded(record, offset, length);
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug must cost one record, not the stream; the class name is enough to find it.
            return new ParseResult.Unreadable(UnreadableReason.PROCESSING_ERROR,
                    "unexpected " + e.getClass().getSimpleName());
        }
    }

    private ParseResult parseBounded(byte[] record, int offset, int length) {
        int end = offset + length;
        int start = offset;
        // One BOM, first, as Jackson takes it: after whitespace, or a second one, it is not one.
        if (length >= 3 && record[start] == (byte) 0xEF && record[start + 1] == (byte) 0xBB
                && record[start + 2] == (byte) 0xBF) {
            start += 3;
        }
        while (start < end && isWhitespace(record[start])) {
            start++;
        }
        if (start == end) {
            return NO_EVENTS;
        }
        if (record[start] == '{') {
            // validates UTF-8 itself, in the same pass (whitespace and a BOM before it are valid)
            return json.read(record, start, end, offset);
        }
        ParseResult invalid = invalidUtf8(record, start, end, offset);
        if (invalid != null) {
            return invalid;
        }
        int stop = end;
        while (stop > start && isWhitespace(record[stop - 1])) {
            stop--;
        }
        String line = new String(record, start, stop - start, StandardCharsets.UTF_8);
        ParseResult result = logfmt.read(line);
        return result != null ? result : text.read(line);
    }

    /** An {@link UnreadableReason#INVALID_UTF8} result for {@code record[from, to)}, or null when it is valid. */
    static ParseResult invalidUtf8(byte[] record, int from, int to, int base) {
        int bad = Utf8.firstInvalid(record, from, to - from);
        return bad < 0 ? null
                : new ParseResult.Unreadable(UnreadableReason.INVALID_UTF8, "invalid UTF-8 at byte " + (bad - base));
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
