package dev.faultline.topology;

/**
 * Header names Faultline adds to dead letters. The original headers are kept, but for these: a replayed dead letter
 * gets them anew.
 */
public final class DlqHeaders {
    /** {@code UnreadableReason.wire()}, e.g. {@code invalid-utf8}, {@code processing-error}. */
    public static final String REASON = "faultline.dlq.reason";
    /** A short diagnostic; never contains record bytes. */
    public static final String DETAIL = "faultline.dlq.detail";
    /** The exception class, when processing threw. */
    public static final String EXCEPTION = "faultline.dlq.exception";
    public static final String SOURCE_TOPIC = "faultline.source.topic";
    public static final String SOURCE_PARTITION = "faultline.source.partition";
    public static final String SOURCE_OFFSET = "faultline.source.offset";
    /**
     * Set when the dead letter could not carry the whole record (the producer's {@code max.request.size}): the
     * original size in bytes as {@code key,value,headers}; the value (and, if need be, the key) is cut to its first
     * bytes and the original headers dropped. The source headers say where the whole record is.
     */
    public static final String TRUNCATED = "faultline.dlq.truncated";

    private DlqHeaders() {
    }

    /** Whether {@code key} is one of the headers above, which a dead letter gets anew. */
    static boolean isOwn(String key) {
        return key != null && (key.startsWith("faultline.dlq.") || key.startsWith("faultline.source."));
    }
}
