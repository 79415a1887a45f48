package dev.faultline.catalog.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The JSON lexer shared by the hand-written readers ({@link JsonEventReader} for one-event records, {@link JsonTape}
 * for OTLP batches): a record's bytes and the helpers that walk and validate strings, escapes, numbers and literals
 * as strictly as Jackson's defaults. Failures are thrown as {@link Bad} and caught once per record.
 *
 * <p>One per thread's reader, {@link #reset} per record.
 */
final class JsonLexer {
    /**
     * Jackson's default bound on a number's length, kept so the verdicts stay the same. Like Jackson, it counts
     * digits only: of the integer part for an integer, of all three parts for a number with a fraction or exponent.
     */
    static final int MAX_NUMBER_CHARS = 1000;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * A mask with the high bit set in the lowest byte of {@code word} (little-endian) that is '"', '\\' or below
     * 0x20, and maybe in higher bytes after it (borrows); zero when there is none. Bytes of 0x80 and above (UTF-8)
     * never match.
     */
    static long special(long word) {
        long quote = word ^ 0x2222222222222222L;
        long backslash = word ^ 0x5C5C5C5C5C5C5C5CL;
        return ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (word - 0x2020202020202020L) & ~word)
                & HIGH_BITS;
    }

    /** What a value is, as {@link #scalar} reports it: the value types {@link EventCollector} takes, too. */
    static final int STRING = 0;
    static final int INT = 1;
    static final int FLOAT = 2;
    static final int BOOL = 3;
    static final int NULL = 4;

    /** The states of the readers' walks over this grammar ({@link JsonEventReader}, {@link JsonTape}). */
    static final int VALUE = 0;
    static final int OBJECT_FIRST = 1;
    static final int NAME = 2;
    static final int ARRAY_FIRST = 3;
    static final int AFTER_VALUE = 4;
    static final int CLOSE = 5;

    private static final byte[] TRUE_BYTES = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_BYTES = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_BYTES = {'n', 'u', 'l', 'l'};

    byte[] bytes;
    int end;
    int base;
    final int maxStringChars;
    /** Set by {@link #skipString}: the string holds a backslash escape. */
    boolean lastStringEscaped;
    /** Set by {@link #skipString}: the string holds a byte outside ASCII. */
    boolean lastStringNonAscii;
    /** Set by {@link #number}: no fraction and no exponent. */
    boolean lastNumberIsInteger;
    /** Set by {@link #scalar}: {@link #INT}, {@link #FLOAT}, {@link #BOOL} or {@link #NULL}. */
    int lastScalar;
    /** Set by {@link #separator}: it closed the container rather than separating two of its values. */
    boolean lastClosed;

    JsonLexer(int maxStringChars) {
        this.maxStringChars = maxStringChars;
    }

    JsonLexer reset(byte[] bytes, int end, int base) {
        this.bytes = bytes;
        this.end = end;
        this.base = base;
        return this;
    }

    /** @return the index of the next non-whitespace byte; the record must go on past it */
    int skipWhitespace(int i) {
        i = skipWhitespaceOrEnd(i);
        if (i == end) {
            throw truncated();
        }
        return i;
    }

    int skipWhitespaceOrEnd(int i) {
        byte[] b = bytes;
        while (i < end) {
            byte x = b[i];
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * Walks a string body from {@code i} (just past the opening quote), validating it.
     *
     * @return the index of the closing quote
     */
    int skipString(int i, boolean name) {
        byte[] b = bytes;
        boolean escaped = false;
        long nonAscii = 0;
        int from = i;
        while (true) {
            // Eight bytes at a time up to the next byte that needs a look: '"', '\\' or a control char. A
            // byte-at-a-time loop costs ~1 ns per byte on the benchmark machine, and string bodies are most
            // of a JSON log line's bytes.
            while (i + 8 <= end) {
                long word = (long) LONGS.get(b, i);
                long stop = special(word);
                if (stop != 0) {
                    int k = Long.numberOfTrailingZeros(stop) >>> 3;
                    if (k > 0) {
                        // only the bytes before the stop: UTF-8 after a closing quote is not this string's
                        nonAscii |= word & (-1L >>> (64 - 8 * k));
                    }
                    i += k;
                    break;
                }
                nonAscii |= word;
                i += 8;
            }
            if (i >= end) {
                throw truncated();
            }
            byte x = b[i];
            if (x == '"') {
                break;
            }
            if (x == '\\') {
                escaped = true;
                i = escape(i, name);
                continue;
            }
            // 0x00-0x1F must be escaped; negative bytes (UTF-8 multi-byte) are not caught by this mask
            if ((x & 0xE0) == 0) {
                throw malformed(i);
            }
            nonAscii |= x;
            i++;
        }
        lastStringEscaped = escaped;
        lastStringNonAscii = (nonAscii & HIGH_BITS) != 0;
        // UTF-8 is checked here, per string body, and only for bodies that are not pure ASCII: outside strings a
        // non-ASCII byte is malformed JSON anyway, so a record that parses is valid UTF-8 throughout. A '"'
        // never occurs inside a multi-byte sequence, so a body is valid on its own when the record is.
        if (lastStringNonAscii) {
            int bad = Utf8.firstInvalid(b, from, i - from);
            if (bad >= 0) {
                throw new Bad(UnreadableReason.INVALID_UTF8, "invalid UTF-8 at byte " + (bad - base));
            }
        }
        if (name) {
            checkLength(from, i, true);
        }
        return i;
    }

    /**
     * Bounds the string body just walked by {@link ParseConfig#maxStringChars()}: a value in chars, a name (as
     * Jackson counts it) in the UTF-8 bytes of its decoded text.
     */
    void checkLength(int from, int to, boolean name) {
        // No escape or UTF-8 sequence is shorter in bytes than what it decodes to, in chars or in UTF-8 bytes,
        // so only a body of more bytes than the limit can exceed it.
        if (to - from > maxStringChars && (name ? nameBytes(from, to) : chars(from, to)) > maxStringChars) {
            throw new Bad(UnreadableReason.STRING_TOO_LONG, (name ? "JSON field name longer than "
                    : "JSON string longer than ") + maxStringChars + " chars at byte " + (from - base));
        }
    }

    private int chars(int from, int to) {
        return lastStringEscaped ? decode(from, to).length() : new String(bytes, from, to - from,
                StandardCharsets.UTF_8).length();
    }

    private int nameBytes(int from, int to) {
        return lastStringEscaped ? decode(from, to).getBytes(StandardCharsets.UTF_8).length : to - from;
    }

    /**
     * @param name whether the string is a field name: there, as in Jackson, an escaped surrogate must be one half
     *             of an escaped pair (backslash-u D83D then backslash-u DE00); in values a lone one is kept as it is
     * @return the index after the escape sequence starting at the backslash at {@code i}
     */
    private int escape(int i, boolean name) {
        if (i + 1 >= end) {
            throw truncated();
        }
        switch (bytes[i + 1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                return i + 2;
            case 'u': {
                int unit = unicodeEscape(i);
                if (name && Character.isSurrogate((char) unit)) {
                    if (Character.isLowSurrogate((char) unit)) {
                        throw malformed(i);
                    }
                    if (i + 7 >= end) {
                        throw truncated();
                    }
                    if (bytes[i + 6] != '\\' || bytes[i + 7] != 'u'
                            || !Character.isLowSurrogate((char) unicodeEscape(i + 6))) {
                        throw malformed(i + 6);
                    }
                    return i + 12;
                }
                return i + 6;
            }
            default:
                throw malformed(i + 1);
        }
    }

    /** The UTF-16 unit of the {@code \\uXXXX} escape at {@code i}, validated. */
    private int unicodeEscape(int i) {
        int unit = 0;
        for (int k = i + 2; k < i + 6; k++) {
            if (k >= end) {
                throw truncated();
            }
            int digit = hex(bytes[k]);
            if (digit < 0) {
                throw malformed(k);
            }
            unit = unit << 4 | digit;
        }
        return unit;
    }

    /** The text of the string body last walked by {@link #skipString}, escapes decoded. */
    String decode(int from, int to) {
        return decode(from, to, lastStringEscaped, lastStringNonAscii);
    }

    /** The text of a string body already validated by {@link #skipString}, which gave its two flags. */
    String decode(int from, int to, boolean escaped, boolean nonAscii) {
        if (!escaped) {
            return new String(bytes, from, to - from, nonAscii ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(to - from);
        int run = from;
        int i = from;
        while (i < to) {
            if (bytes[i] != '\\') {
                i++;
                continue;
            }
            if (i > run) {
                sb.append(new String(bytes, run, i - run, StandardCharsets.UTF_8));
            }
            byte e = bytes[i + 1];
            switch (e) {
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    sb.append((char) (hex(bytes[i + 2]) << 12 | hex(bytes[i + 3]) << 8 | hex(bytes[i + 4]) << 4
                            | hex(bytes[i + 5])));
                    i += 4;
                    break;
                default: // '"', '\\', '/'
                    sb.append((char) e);
                    break;
            }
            i += 2;
            run = i;
        }
        if (to > run) {
            sb.append(new String(bytes, run, to - run, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static int hex(byte x) {
        if (x >= '0' && x <= '9') {
            return x - '0';
        }
        if (x >= 'a' && x <= 'f') {
            return x - 'a' + 10;
        }
        if (x >= 'A' && x <= 'F') {
            return x - 'A' + 10;
        }
        return -1;
    }

    /** @return the index after the literal starting at {@code i} */
    int literal(int i, byte[] word) {
        for (int k = 0; k < word.length; k++) {
            if (i + k >= end) {
                throw truncated();
            }
            if (bytes[i + k] != word[k]) {
                throw malformed(i + k);
            }
        }
        return i + word.length;
    }

    /**
     * Validates {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} from {@code i}.
     *
     * @return the index after the number; what follows is checked by the caller's next state
     */
    int number(int i) {
        byte[] b = bytes;
        int from = i;
        int signs = 0;
        if (b[i] == '-') {
            i++;
            signs++;
        }
        i = digits(i, true);
        boolean integer = true;
        if (i < end && b[i] == '.') {
            i = digits(i + 1, false);
            integer = false;
            signs++;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            signs++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
                signs++;
            }
            i = digits(i, false);
            integer = false;
        }
        if (i - from - signs > MAX_NUMBER_CHARS) {
            throw new Bad(UnreadableReason.STRING_TOO_LONG, "JSON number too long at byte " + (from - base));
        }
        lastNumberIsInteger = integer;
        return i;
    }

    /** One or more digits from {@code i}; an integer part that starts with 0 is just that 0. */
    private int digits(int i, boolean integerPart) {
        byte[] b = bytes;
        if (i >= end) {
            throw truncated();
        }
        byte x = b[i];
        if (x < '0' || x > '9') {
            throw malformed(i);
        }
        i++;
        if (integerPart && x == '0') {
            return i; // "01" then fails on the '1' where a separator is expected, as Jackson does
        }
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    /** The ASCII text {@code bytes[from, to)} (a number). */
    String ascii(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Whether the string body {@code bytes[from, to)} just walked reads as the ASCII {@code word}. */
    boolean equalsAscii(int from, int to, byte[] word) {
        return equalsAscii(from, to, word, lastStringEscaped);
    }

    /** As {@link #equalsAscii(int, int, byte[])} for a body walked earlier, escaped or not. */
    boolean equalsAscii(int from, int to, byte[] word, boolean escaped) {
        if (escaped) {
            return decode(from, to, true, false).equals(new String(word, StandardCharsets.US_ASCII));
        }
        if (to - from != word.length) {
            return false;
        }
        for (int k = 0; k < word.length; k++) {
            if (bytes[from + k] != word[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lexes the literal or number at {@code i} (a value that is not a string or a container).
     *
     * @return the index after it; {@link #lastScalar} says what it was
     */
    int scalar(int i) {
        byte x = bytes[i];
        if (x == 't') {
            lastScalar = BOOL;
            return literal(i, TRUE_BYTES);
        }
        if (x == 'f') {
            lastScalar = BOOL;
            return literal(i, FALSE_BYTES);
        }
        if (x == 'n') {
            lastScalar = NULL;
            return literal(i, NULL_BYTES);
        }
        if (x == '-' || (x >= '0' && x <= '9')) {
            int to = number(i);
            lastScalar = lastNumberIsInteger ? INT : FLOAT;
            return to;
        }
        throw malformed(i);
    }

    /** Walks the member name whose opening quote is at {@code i}. @return the index of its closing quote */
    int name(int i) {
        if (bytes[i] != '"') {
            throw malformed(i);
        }
        return skipString(i + 1, true);
    }

    /** The ':' after a member name that closed at {@code quote}. @return the index after it */
    int colon(int quote) {
        int i = quote + 1;
        if (i < end && bytes[i] == ':') {
            return i + 1; // compact JSON, as most loggers write it
        }
        i = skipWhitespace(i);
        if (bytes[i] != ':') {
            throw malformed(i);
        }
        return i + 1;
    }

    /**
     * What follows the opening bracket of an array or object: its closing bracket, or its first member.
     *
     * @return the index after the closing bracket, else of the first member; {@link #lastClosed} says which
     */
    int first(int i, boolean array) {
        i = skipWhitespace(i);
        lastClosed = bytes[i] == (array ? ']' : '}');
        return lastClosed ? i + 1 : i;
    }

    /**
     * What follows a value in an array or object: a ',' (in an object, up to the next name) or the closing bracket.
     *
     * @return the index after it; {@link #lastClosed} says whether it closed the container
     */
    int separator(int i, boolean array) {
        if (i + 1 < end && bytes[i] == ',' && (array || bytes[i + 1] == '"')) {
            lastClosed = false; // compact JSON, as most loggers write it
            return i + 1;
        }
        i = skipWhitespace(i);
        byte x = bytes[i];
        if (x == ',') {
            lastClosed = false;
            return array ? i + 1 : skipWhitespace(i + 1);
        }
        if (x == (array ? ']' : '}')) {
            lastClosed = true;
            return i + 1;
        }
        throw malformed(i);
    }

    /** Nothing but whitespace may follow the root object, which closed before {@code i}. */
    void expectEnd(int i) {
        i = skipWhitespaceOrEnd(i);
        if (i != end) {
            throw new Bad(UnreadableReason.MALFORMED_JSON, "trailing data after the JSON object at byte " + (i - base));
        }
    }

    /** A container opening at {@code at} beyond {@code maxDepth} levels. */
    Bad tooDeep(int maxDepth, int at) {
        return new Bad(UnreadableReason.TOO_DEEP, "JSON nested deeper than " + maxDepth + " at byte " + (at - base));
    }

    Bad malformed(int at) {
        return new Bad(UnreadableReason.MALFORMED_JSON, "malformed JSON at byte " + (at - base));
    }

    Bad truncated() {
        return new Bad(UnreadableReason.MALFORMED_JSON, "truncated JSON at byte " + (end - base));
    }

    /**
     * Unreadable input, thrown out of the nested lexing and caught once per record. No stack trace: bad records
     * are expected (poison pills), and the diagnostic carries everything.
     */
    static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient UnreadableReason reason;

        Bad(UnreadableReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
