package dev.faultline.catalog.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The hot path: one JSON object (plain or ECS) read straight from the record's bytes in a single pass, no tree and
 * no parser object. Only values whose path means something ({@link EventCollector#match()}) are ever turned into
 * strings, and keys are resolved to their {@link PathRules.Segment} from the bytes, so a key no rule names costs
 * no String at all.
 *
 * <p>Why not Jackson here: on the benchmark corpus, creating a Jackson parser per record plus its bare token loop
 * (no values decoded) cost ~580 ns per JSON line, more than half of the whole 1 µs budget per line that
 * issue 2's target allows for parse + match (BENCHMARKS.md). Jackson still reads OTLP batches and everything
 * else in the project; the test {@code JsonReaderAgreementTest} holds this reader to Jackson's verdict on random
 * and mutated records.
 *
 * <p>The grammar is RFC 8259's, as strict as Jackson's defaults: no comments, single quotes, unquoted names,
 * leading zeros, {@code NaN}, trailing commas or raw control characters in strings; every escape is validated
 * even in values nobody reads; nothing but whitespace may follow the object. UTF-8 is validated in the same pass
 * ({@link Utf8}, on the string bodies that are not ASCII). Nesting is iterative and bounded by
 * {@link ParseConfig#maxDepth()}; string and name lengths by {@link ParseConfig#maxStringChars()}.
 */
final class JsonEventReader {

    /** Jackson's default bound on a number's length, kept so the verdicts stay the same. */
    static final int MAX_NUMBER_CHARS = 1000;

    private static final byte[] RESOURCE_LOGS = "resourceLogs".getBytes(StandardCharsets.US_ASCII);

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

    private final PathRules rules;
    private final ParseConfig config;
    private final OtlpReader otlp;
    /**
     * Per-thread working state, reset per record: a fresh collector, cursor and frame stack were ~45% of the
     * bytes the JSON parse allocated (see {@link EventCollector#reset} for what that buys).
     */
    private final ThreadLocal<Scratch> scratch;

    JsonEventReader(PathRules rules, ParseConfig config, OtlpReader otlp) {
        this.rules = rules;
        this.config = config;
        this.otlp = otlp;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(rules, config));
    }

    /** What one thread reuses from record to record. */
    private static final class Scratch {
        final EventCollector collector;
        final Cursor cursor;
        /** Per open container: segments its key pushed << 1 | isArray; grows with the record's depth. */
        int[] frames = new int[16];

        Scratch(PathRules rules, ParseConfig config) {
            collector = new EventCollector(rules, config.maxFields());
            cursor = new Cursor(config.maxStringChars());
        }
    }

    /**
     * @param start the index of the opening brace (leading whitespace and BOM already skipped)
     * @param base  the record's own offset, so positions in diagnostics are relative to the record
     */
    ParseResult read(byte[] bytes, int start, int end, int base) {
        Scratch work = scratch.get();
        Cursor in = work.cursor.reset(bytes, end, base);
        try {
            return readObject(work, in, start);
        } catch (Bad bad) {
            // Invalid UTF-8 anywhere in the record is reported first, whatever else is wrong with it, as when the
            // whole record was validated before parsing. Only failures pay for the full check.
            ParseResult invalid = EventParser.invalidUtf8(bytes, start, end, base);
            return invalid != null ? invalid : new ParseResult.Unreadable(bad.reason, bad.getMessage());
        } finally {
            // the thread's state must not keep the record (up to maxRecordBytes) alive until its next one; the
            // collector is left clean for it, whichever way this one ended
            in.reset(null, 0, 0);
            work.collector.reset();
        }
    }

    private ParseResult readObject(Scratch work, Cursor in, int start) {
        final byte[] b = in.bytes;
        final int end = in.end;
        final int maxDepth = config.maxDepth();
        EventCollector c = work.collector.attach(b);
        // Per open container: the number of path segments its key pushed (popped when it closes) << 1 | isArray.
        int[] frames = work.frames;
        int depth = 1;
        frames[0] = 0;
        int pending = 0; // segments pushed by the key whose value comes next
        boolean ecsMarker = false;
        int i = start + 1;
        int state = OBJECT_FIRST;
        while (true) {
            switch (state) {
                case OBJECT_FIRST:
                    i = in.skipWhitespace(i);
                    if (b[i] == '}') {
                        i++;
                        state = CLOSE;
                        break;
                    }
                    state = NAME;
                    break;
                case NAME: {
                    if (b[i] != '"') {
                        throw in.malformed(i);
                    }
                    int from = i + 1;
                    int to = in.skipString(from, true);
                    if (depth == 1) {
                        if (in.equalsAscii(from, to, RESOURCE_LOGS)) {
                            ParseResult invalid = EventParser.invalidUtf8(b, start, end, in.base);
                            return invalid != null ? invalid : otlp.read(b, start, end, in.base);
                        }
                        ecsMarker |= isEcsKey(in, from, to);
                    }
                    pending = pushKey(c, in, from, to);
                    i = in.skipWhitespace(to + 1);
                    if (b[i] != ':') {
                        throw in.malformed(i);
                    }
                    i++;
                    state = VALUE;
                    break;
                }
                case ARRAY_FIRST:
                    i = in.skipWhitespace(i);
                    if (b[i] == ']') {
                        i++;
                        state = CLOSE;
                        break;
                    }
                    state = VALUE;
                    break;
                case VALUE: {
                    i = in.skipWhitespace(i);
                    byte x = b[i];
                    if (x == '"') {
                        // counted before the body is read, as Jackson does (it reads a string value lazily)
                        if (c.overFieldLimit()) {
                            throw tooManyFields(in, i);
                        }
                        int from = i + 1;
                        int to = in.skipString(from, false);
                        in.checkLength(from, to, false);
                        if (c.match()) {
                            c.accept(in.decode(from, to), EventCollector.STRING);
                        }
                        i = to + 1;
                        c.pop(pending);
                        pending = 0;
                        state = AFTER_VALUE;
                    } else if (x == '{' || x == '[') {
                        if (depth == maxDepth) {
                            throw new Bad(UnreadableReason.TOO_DEEP,
                                    "JSON nested deeper than " + maxDepth + " at byte " + (i - in.base));
                        }
                        if (depth == frames.length) {
                            frames = java.util.Arrays.copyOf(frames, depth * 2); // bounded by maxDepth
                            work.frames = frames;
                        }
                        // array elements keep the array's path: pending is 0 inside arrays
                        frames[depth++] = pending << 1 | (x == '[' ? 1 : 0);
                        pending = 0;
                        i++;
                        state = x == '{' ? OBJECT_FIRST : ARRAY_FIRST;
                    } else {
                        int type;
                        int to;
                        if (x == 't') {
                            to = in.literal(i, TRUE);
                            type = EventCollector.BOOL;
                        } else if (x == 'f') {
                            to = in.literal(i, FALSE);
                            type = EventCollector.BOOL;
                        } else if (x == 'n') {
                            to = in.literal(i, NULL);
                            type = EventCollector.NULL;
                        } else if (x == '-' || (x >= '0' && x <= '9')) {
                            to = in.number(i);
                            type = in.lastNumberIsInteger ? EventCollector.INT : EventCollector.FLOAT;
                        } else {
                            throw in.malformed(i);
                        }
                        if (c.overFieldLimit()) {
                            throw tooManyFields(in, i);
                        }
                        if (type != EventCollector.NULL && c.match()) {
                            String text;
                            if (type == EventCollector.BOOL) {
                                text = x == 't' ? "true" : "false";
                            } else if (to - i > in.maxStringChars) {
                                // a number whose text is kept is a string as far as the limit goes (as in Jackson)
                                throw new Bad(UnreadableReason.STRING_TOO_LONG, "JSON string longer than "
                                        + in.maxStringChars + " chars at byte " + (i - in.base));
                            } else {
                                text = in.ascii(i, to);
                            }
                            c.accept(text, type);
                        }
                        i = to;
                        c.pop(pending);
                        pending = 0;
                        state = AFTER_VALUE;
                    }
                    break;
                }
                case AFTER_VALUE: {
                    i = in.skipWhitespace(i);
                    byte x = b[i];
                    boolean array = (frames[depth - 1] & 1) != 0;
                    if (x == ',') {
                        i++;
                        if (array) {
                            state = VALUE;
                        } else {
                            i = in.skipWhitespace(i);
                            state = NAME;
                        }
                    } else if (x == (array ? ']' : '}')) {
                        i++;
                        state = CLOSE;
                    } else {
                        throw in.malformed(i);
                    }
                    break;
                }
                default: // CLOSE: the container that just ended was frames[depth - 1]
                    c.pop(frames[--depth] >>> 1);
                    if (depth == 0) {
                        i = in.skipWhitespaceOrEnd(i);
                        if (i != end) {
                            throw new Bad(UnreadableReason.MALFORMED_JSON,
                                    "trailing data after the JSON object at byte " + (i - in.base));
                        }
                        LogFormat format = ecsMarker || c.looksEcs() ? LogFormat.ECS : LogFormat.JSON;
                        return new ParseResult.Events(List.of(c.build(format)));
                    }
                    state = AFTER_VALUE;
                    break;
            }
        }
    }

    private static final int OBJECT_FIRST = 0;
    private static final int NAME = 1;
    private static final int ARRAY_FIRST = 2;
    private static final int VALUE = 3;
    private static final int AFTER_VALUE = 4;
    private static final int CLOSE = 5;

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Enters the key {@code bytes[from, to)}; a dotted key enters one level per segment. @return segments pushed */
    private int pushKey(EventCollector c, Cursor in, int from, int to) {
        if (in.lastStringEscaped || in.lastStringNonAscii) {
            // rare: the key's text differs from its bytes, or it cannot name an (ASCII) rule segment
            return c.pushKey(in.decode(from, to));
        }
        byte[] b = in.bytes;
        int dot = from;
        while (dot < to && b[dot] != '.') {
            dot++;
        }
        if (dot == to) {
            c.pushRaw(from, to, rules.segment(b, from, to));
            return 1;
        }
        // Split on every dot, keeping empty segments, as PathRules.splitPath does.
        int count = 0;
        int partFrom = from;
        for (int k = from; k <= to; k++) {
            if (k == to || b[k] == '.') {
                c.pushRaw(partFrom, k, rules.segment(b, partFrom, k));
                count++;
                partFrom = k + 1;
            }
        }
        return count;
    }

    /** A top-level {@code ecs} or {@code ecs.*} key marks an ECS document. */
    private static boolean isEcsKey(Cursor in, int from, int to) {
        if (in.lastStringEscaped) {
            String name = in.decode(from, to);
            return name.startsWith("ecs") && (name.length() == 3 || name.charAt(3) == '.');
        }
        byte[] b = in.bytes;
        return to - from >= 3 && b[from] == 'e' && b[from + 1] == 'c' && b[from + 2] == 's'
                && (to - from == 3 || b[from + 3] == '.');
    }

    private Bad tooManyFields(Cursor in, int at) {
        return new Bad(UnreadableReason.TOO_MANY_FIELDS,
                "more than " + config.maxFields() + " scalar fields at byte " + (at - in.base));
    }

    /** The record's bytes and the lexical helpers; one per record. */
    private static final class Cursor {
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

        Cursor(int maxStringChars) {
            this.maxStringChars = maxStringChars;
        }

        Cursor reset(byte[] bytes, int end, int base) {
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

        /** The text of a string body already validated by {@link #skipString}, escapes decoded. */
        String decode(int from, int to) {
            if (!lastStringEscaped) {
                return new String(bytes, from, to - from,
                        lastStringNonAscii ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
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
            if (b[i] == '-') {
                i++;
            }
            i = digits(i, true);
            boolean integer = true;
            if (i < end && b[i] == '.') {
                i = digits(i + 1, false);
                integer = false;
            }
            if (i < end && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                if (i < end && (b[i] == '+' || b[i] == '-')) {
                    i++;
                }
                i = digits(i, false);
                integer = false;
            }
            if (i - from > MAX_NUMBER_CHARS) {
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
            if (lastStringEscaped) {
                return decode(from, to).equals(new String(word, StandardCharsets.US_ASCII));
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

        Bad malformed(int at) {
            return new Bad(UnreadableReason.MALFORMED_JSON, "malformed JSON at byte " + (at - base));
        }

        Bad truncated() {
            return new Bad(UnreadableReason.MALFORMED_JSON, "truncated JSON at byte " + (end - base));
        }
    }

    /**
     * Unreadable input, thrown out of the nested lexing and caught once per record. No stack trace: bad records
     * are expected (poison pills), and the diagnostic carries everything.
     */
    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient UnreadableReason reason;

        Bad(UnreadableReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
