package dev.faultline.catalog.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonTokenId;
import java.io.IOException;
import java.util.List;

/**
 * The JSON reader as it was before the hand-written {@link JsonEventReader}: Jackson's streaming parser feeding the
 * same {@link EventCollector}. Kept in the tests as an oracle: for any record, both readers must agree.
 */
final class JacksonEventReader {

    private final JsonFactory factory;
    private final PathRules rules;
    private final ParseConfig config;
    private final OtlpReader otlp;

    JacksonEventReader(JsonFactory factory, PathRules rules, ParseConfig config, OtlpReader otlp) {
        this.factory = factory;
        this.rules = rules;
        this.config = config;
        this.otlp = otlp;
    }

    /**
     * @param start the index of the opening brace (leading whitespace and BOM already skipped)
     * @param base  the record's own offset, so positions in diagnostics are relative to the record
     */
    ParseResult read(byte[] bytes, int start, int end, int base) {
        EventCollector c = new EventCollector(rules, config.maxFields());
        // Strings can only exceed the limit in a record longer than it (a UTF-8 byte yields at most one char),
        // so the common small record never pays for decoding values it does not need.
        boolean checkStrings = end - start > config.maxStringChars();
        int[] pushed = new int[16];
        int open = 0;
        int pending = 0;
        boolean ecsMarker = false;
        JsonParser p = null;
        try {
            p = factory.createParser(bytes, start, end - start);
            p.nextToken(); // the root '{', guaranteed by detection
            pushed[open++] = 0;
            while (open > 0) {
                if (p.nextToken() == null) {
                    return unreadable(UnreadableReason.MALFORMED_JSON, "truncated JSON", p, start - base);
                }
                switch (p.currentTokenId()) {
                    case JsonTokenId.ID_FIELD_NAME: {
                        String name = p.currentName();
                        if (open == 1) {
                            if ("resourceLogs".equals(name)) {
                                p.close();
                                return otlp.read(bytes, start, end, base);
                            }
                            ecsMarker |= name.startsWith("ecs") && (name.length() == 3 || name.charAt(3) == '.');
                        }
                        pending = c.pushKey(name);
                        break;
                    }
                    case JsonTokenId.ID_START_OBJECT:
                    case JsonTokenId.ID_START_ARRAY:
                        if (open == pushed.length) {
                            pushed = java.util.Arrays.copyOf(pushed, open * 2);
                        }
                        // array elements keep the array's path: pending is 0 inside arrays
                        pushed[open++] = pending;
                        pending = 0;
                        break;
                    case JsonTokenId.ID_END_OBJECT:
                    case JsonTokenId.ID_END_ARRAY:
                        c.pop(pushed[--open]);
                        break;
                    case JsonTokenId.ID_STRING:
                        if (c.overFieldLimit()) {
                            return tooManyFields(p, start - base);
                        }
                        if (checkStrings && p.getTextLength() > config.maxStringChars()) {
                            return stringTooLong(p, start - base);
                        }
                        if (c.match()) {
                            c.accept(p.getText(), EventCollector.STRING);
                        }
                        c.pop(pending);
                        pending = 0;
                        break;
                    case JsonTokenId.ID_NUMBER_INT:
                        if (!scalar(c, p, EventCollector.INT)) {
                            return tooManyFields(p, start - base);
                        }
                        c.pop(pending);
                        pending = 0;
                        break;
                    case JsonTokenId.ID_NUMBER_FLOAT:
                        if (!scalar(c, p, EventCollector.FLOAT)) {
                            return tooManyFields(p, start - base);
                        }
                        c.pop(pending);
                        pending = 0;
                        break;
                    case JsonTokenId.ID_TRUE:
                    case JsonTokenId.ID_FALSE:
                        if (!scalar(c, p, EventCollector.BOOL)) {
                            return tooManyFields(p, start - base);
                        }
                        c.pop(pending);
                        pending = 0;
                        break;
                    default: // null, or embedded objects, which a byte parser never yields
                        if (c.overFieldLimit()) {
                            return tooManyFields(p, start - base);
                        }
                        c.pop(pending);
                        pending = 0;
                        break;
                }
            }
            if (p.nextToken() != null) {
                return unreadable(UnreadableReason.MALFORMED_JSON, "trailing data after the JSON object", p,
                        start - base);
            }
        } catch (IOException e) {
            return failure(e, p, start - base, config);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // a byte-array parser has nothing to release
                }
            }
        }
        LogFormat format = ecsMarker || c.looksEcs() ? LogFormat.ECS : LogFormat.JSON;
        return new ParseResult.Events(List.of(c.build(format)));
    }

    /** @return false when this scalar is one too many */
    private static boolean scalar(EventCollector c, JsonParser p, int type) throws IOException {
        if (c.overFieldLimit()) {
            return false;
        }
        if (c.match()) {
            c.accept(p.getText(), type);
        }
        return true;
    }

    private ParseResult tooManyFields(JsonParser p, int shift) {
        return unreadable(UnreadableReason.TOO_MANY_FIELDS,
                "more than " + config.maxFields() + " scalar fields", p, shift);
    }

    private ParseResult stringTooLong(JsonParser p, int shift) {
        return unreadable(UnreadableReason.STRING_TOO_LONG,
                "JSON string longer than " + config.maxStringChars() + " chars", p, shift);
    }

    private static ParseResult unreadable(UnreadableReason reason, String what, JsonParser p, int shift) {
        return new ParseResult.Unreadable(reason, what + JacksonErrors.at(p == null ? null : p.currentLocation(), shift));
    }

    private static ParseResult failure(IOException e, JsonParser p, int shift, ParseConfig config) {
        return JacksonErrors.failure(e, p, shift, config);
    }
}
