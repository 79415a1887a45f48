package dev.faultline.catalog.event;

/**
 * Why a record could not be read. The wire names are bounded metric tags and dead-letter header
 * values: adding one is a compatible change, renaming one is not.
 */
public enum UnreadableReason {
    INVALID_UTF8("invalid-utf8"),
    TOO_LARGE("too-large"),
    TOO_DEEP("too-deep"),
    STRING_TOO_LONG("string-too-long"),
    TOO_MANY_FIELDS("too-many-fields"),
    TOO_MANY_RECORDS("too-many-records"),
    MALFORMED_JSON("malformed-json"),
    MALFORMED_OTLP("malformed-otlp"),
    PROCESSING_ERROR("processing-error"),
    /** A record with no value (a tombstone): nothing to read, but a producer sending them has a bug worth seeing. */
    NULL_VALUE("null-value");

    private final String wire;

    UnreadableReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
