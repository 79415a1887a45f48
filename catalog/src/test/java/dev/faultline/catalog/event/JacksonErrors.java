package dev.faultline.catalog.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;

/** Jackson's failures as {@link ParseResult.Unreadable}s, for the tests' Jackson oracles. */
final class JacksonErrors {

    private JacksonErrors() {
    }

    /**
     * Maps a Jackson failure to a reason. Jackson's messages quote the offending input, so only its location is
     * kept: a diagnostic must never carry raw record content.
     */
    static ParseResult failure(IOException e, JsonParser p, int shift, ParseConfig config) {
        StreamConstraintsException limit = constraint(e);
        JsonLocation where = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation()
                : null;
        if (where == null && p != null) {
            where = p.currentLocation();
        }
        if (limit != null) {
            String msg = String.valueOf(limit.getOriginalMessage());
            if (msg.startsWith("Document nesting depth")) {
                return new ParseResult.Unreadable(UnreadableReason.TOO_DEEP,
                        "JSON nested deeper than " + config.maxDepth() + at(where, shift));
            }
            if (msg.startsWith("String value length")) {
                return new ParseResult.Unreadable(UnreadableReason.STRING_TOO_LONG,
                        "JSON string longer than " + config.maxStringChars() + " chars" + at(where, shift));
            }
            if (msg.startsWith("Name length")) {
                return new ParseResult.Unreadable(UnreadableReason.STRING_TOO_LONG,
                        "JSON field name longer than " + config.maxStringChars() + " chars" + at(where, shift));
            }
            if (msg.startsWith("Number value length")) {
                return new ParseResult.Unreadable(UnreadableReason.STRING_TOO_LONG,
                        "JSON number too long" + at(where, shift));
            }
            return new ParseResult.Unreadable(UnreadableReason.MALFORMED_JSON,
                    "JSON exceeds a parser limit" + at(where, shift));
        }
        if (e instanceof JsonEOFException) {
            return new ParseResult.Unreadable(UnreadableReason.MALFORMED_JSON, "truncated JSON" + at(where, shift));
        }
        return new ParseResult.Unreadable(UnreadableReason.MALFORMED_JSON, "malformed JSON" + at(where, shift));
    }

    /** Databind may wrap the streaming parser's limit exception; look through the causes. */
    private static StreamConstraintsException constraint(Throwable e) {
        for (int i = 0; e != null && i < 8; i++, e = e.getCause()) {
            if (e instanceof StreamConstraintsException) {
                return (StreamConstraintsException) e;
            }
        }
        return null;
    }

    static String at(JsonLocation where, int shift) {
        if (where == null) {
            return "";
        }
        long offset = where.getByteOffset();
        if (offset < 0) {
            offset = where.getCharOffset();
        }
        return offset < 0 ? "" : " at byte " + (offset + shift);
    }
}
