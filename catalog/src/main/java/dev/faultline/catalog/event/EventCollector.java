package dev.faultline.catalog.event;

import java.util.Arrays;
import java.util.List;

/**
 * The mutable state of one event while a reader walks it: the current path (segments plus the matching trie
 * nodes) and what has been collected. One per event, never shared between threads.
 *
 * <p>Readers call {@link #pushKey}/{@link #pop} as they enter and leave keys, and for each scalar first
 * {@link #match()} (cheap, no allocation) and only when it says yes fetch the value text and {@link #accept} it,
 * so uninteresting values are never materialised as strings.
 */
final class EventCollector {

    /** Value types, as the JSON lexer reports them; the other readers name theirs the same way. */
    static final int STRING = JsonLexer.STRING;
    static final int INT = JsonLexer.INT;
    static final int FLOAT = JsonLexer.FLOAT;
    static final int BOOL = JsonLexer.BOOL;
    static final int NULL = JsonLexer.NULL;

    private final PathRules rules;
    private final PathRules.Node root;
    private final int maxFields;
    /** The record's bytes, for keys pushed by position ({@link #pushRaw}); null for readers that push Strings. */
    private byte[] source;
    /** For each entry of {@link #segs} that is null: the key's ASCII bytes in {@link #source}, as (from, to). */
    private int[] spans = new int[16];

    private String[] segs = new String[8];
    /** The {@link PathRules.Segment} of each entry of {@link #segs}, or null when no rule names it. */
    private PathRules.Segment[] segments = new PathRules.Segment[8];
    private PathRules.Node[] nodes = new PathRules.Node[9];
    private int depth;
    private int scalars;
    /**
     * For each level of the path, the number of its push in this event: a level entered again (the next object of
     * an array) gets a new number, and every level above it too, so two paths whose level {@code d} has the same
     * number share levels {@code 0..d}.
     */
    private int[] enteredAt = new int[8];
    private int pushes;
    /** The last path {@link #path()} built: its depth, its parent level's push number and its last segment. */
    private String builtPath;
    private int builtDepth;
    private int builtParentPush;
    private String builtLast;

    private PathRules.Node matchedNode;
    private PathRules.SuffixRule[] matchedSuffix;

    // Plain arrays, turned into List.of at the end: LogEvent's List.copyOf then keeps them without copying.
    private FieldValue[] codes;
    private int codeCount;
    private FieldValue[] texts;
    private int textCount;
    /** The text of the best-ranked message-like field so far, the message of an event without one. */
    private String bestText;
    private int bestTextRank;
    private final String[] meta = new String[PathRules.META_COUNT];
    /** Priority + 1 of the value held per role; 0 while none is held (saves filling with MAX_VALUE). */
    private final int[] metaRank = new int[PathRules.META_COUNT];
    private long retryMs = Timestamps.NONE;
    private long retryFromSeconds = Timestamps.NONE;
    private boolean sawEcsTimestamp;
    private boolean sawEcsLevel;

    EventCollector(PathRules rules, int maxFields) {
        this(rules, rules.root, maxFields);
    }

    /** A collector whose paths start at {@code root}: {@link PathRules#otlpRoot} for OTLP log records. */
    EventCollector(PathRules rules, PathRules.Node root, int maxFields) {
        this.rules = rules;
        this.root = root;
        this.maxFields = maxFields;
        nodes[0] = root;
    }

    /** Names the record whose keys {@link #pushRaw} will point into. */
    EventCollector attach(byte[] source) {
        this.source = source;
        return this;
    }

    /**
     * Makes this collector as new, detached from its record, once a record is read: the JSON reader keeps one per
     * thread, so it must not keep the record or its values alive until the next one. Keeping one per thread
     * takes the ~300 bytes of arrays a fresh one allocates off every record (less garbage for the collector
     * to clean). On thread CPU time alone the two measured the same within the noise; G1's write barrier on
     * stores into the older, reused arrays is the likely reason. Nothing built from it keeps a reference to its
     * arrays.
     */
    void reset() {
        source = null;
        clearEvent();
    }

    /** Forgets one event's path and values but stays attached to its record: for the next event of a batch. */
    void clearEvent() {
        if (segs.length > 64) {
            // A hostile key with thousands of dots grew the path arrays; do not keep them for the thread's life.
            segs = new String[8];
            segments = new PathRules.Segment[8];
            nodes = new PathRules.Node[9];
            nodes[0] = root;
            spans = new int[16];
            enteredAt = new int[8];
        }
        depth = 0;
        pushes = 0;
        builtPath = null;
        builtLast = null;
        scalars = 0;
        matchedNode = null;
        matchedSuffix = null;
        clear(codes, codeCount);
        codeCount = 0;
        clear(texts, textCount);
        textCount = 0;
        bestText = null;
        for (int i = 0; i < PathRules.META_COUNT; i++) {
            meta[i] = null;
            metaRank[i] = 0;
        }
        retryMs = Timestamps.NONE;
        retryFromSeconds = Timestamps.NONE;
        sawEcsTimestamp = false;
        sawEcsLevel = false;
    }

    /** Drops the previous record's values, so a thread's collector never keeps them alive. */
    private static void clear(FieldValue[] values, int count) {
        for (int i = 0; i < count; i++) {
            values[i] = null;
        }
    }

    /** Enters a key; a dotted key enters one level per segment. @return how many segments to {@link #pop} */
    int pushKey(String key) {
        if (key.indexOf('.') < 0) {
            push(key);
            return 1;
        }
        String[] parts = rules.split(key);
        for (String part : parts) {
            push(part);
        }
        return parts.length;
    }

    void push(String segment) {
        push(segment, rules.segment(segment));
    }

    /**
     * Enters a key already resolved to its {@link PathRules.Segment}. {@code segment} may be null only when
     * {@code resolved} is: a key no rule names gives its scalars no role, so {@link #path()} never reads it.
     */
    void push(String segment, PathRules.Segment resolved) {
        if (depth == segs.length) {
            segs = Arrays.copyOf(segs, depth * 2);
            segments = Arrays.copyOf(segments, depth * 2);
            enteredAt = Arrays.copyOf(enteredAt, depth * 2);
            nodes = Arrays.copyOf(nodes, depth * 2 + 1);
        }
        PathRules.Node parent = nodes[depth];
        segs[depth] = segment;
        segments[depth] = resolved;
        enteredAt[depth] = ++pushes;
        depth++;
        nodes[depth] = parent == null ? null : parent.child(resolved);
    }

    /**
     * Enters the ASCII key {@code source[from, to)} (one segment, no dot), resolved by the reader. Its String is cut
     * only if {@link #path()} needs it: most keys name nothing and are never read as text.
     */
    void pushRaw(int from, int to, PathRules.Segment resolved) {
        push(resolved == null ? null : resolved.name, resolved);
        int k = 2 * (depth - 1);
        if (k + 1 >= spans.length) {
            // Keys pushed as Strings (escaped, non-ASCII, split by the cache) do not grow spans: grow to fit.
            spans = Arrays.copyOf(spans, Math.max(spans.length * 2, k + 2));
        }
        spans[k] = from;
        spans[k + 1] = to;
    }

    /**
     * Enters the key {@code source[from, to)}, which must be ASCII with no escape, one level per dot-separated part
     * (empty parts kept, as {@link PathRules#splitPath} splits), each resolved from the bytes: no String for a part
     * no rule names. @return the levels pushed
     */
    int pushRawKey(int from, int to) {
        byte[] b = source;
        if (to - from <= 16) {
            // Most keys: two words hold the whole key, so one test finds a dot and they are the lookup's key too.
            long head = PathRules.head(b, from, to);
            long tail = PathRules.tail(b, from, to);
            if (!hasDot(head) && !hasDot(tail)) {
                pushRaw(from, to, rules.segment(b, from, to, head, tail));
                return 1;
            }
        }
        int count = 0;
        int partFrom = from;
        for (int k = from; k <= to; k++) {
            if (k == to || b[k] == '.') {
                pushRaw(partFrom, k, rules.segment(b, partFrom, k));
                count++;
                partFrom = k + 1;
            }
        }
        return count;
    }

    /** Whether one of the eight bytes of {@code word} is a '.' (exact: a borrow only follows a true match). */
    private static boolean hasDot(long word) {
        long x = word ^ 0x2E2E2E2E2E2E2E2EL;
        return ((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0;
    }

    void pop(int count) {
        depth -= count;
    }

    /** Counts one scalar. @return true when the event now has more than {@code maxFields} of them */
    boolean overFieldLimit() {
        return ++scalars > maxFields;
    }

    /** Whether a scalar at the current path means anything; remembers what for {@link #accept}. */
    boolean match() {
        PathRules.Node n = nodes[depth];
        matchedNode = n != null && n.hasRole ? n : null;
        PathRules.Segment last = depth > 0 ? segments[depth - 1] : null;
        matchedSuffix = last == null ? null : last.suffixRules;
        return matchedNode != null || matchedSuffix != null;
    }

    /** Takes the value of the scalar last {@link #match() matched}. */
    void accept(String value, int type) {
        if (type == NULL || value == null) {
            return;
        }
        TypedField spec = null;
        int order = Integer.MAX_VALUE;
        PathRules.Node n = matchedNode;
        if (n != null && n.code != null) {
            spec = n.code;
            order = n.codeOrder;
        }
        int nestedMessage = -1; // the rank of the message field the path ends like, when it does
        PathRules.SuffixRule[] suffix = matchedSuffix;
        if (suffix != null) {
            for (PathRules.SuffixRule rule : suffix) {
                if (!endsWith(rule.resolved)) {
                    continue;
                }
                switch (rule.kind) {
                    case PathRules.SUFFIX_CODE:
                        if (rule.order < order) {
                            spec = rule.spec;
                            order = rule.order;
                        }
                        break;
                    case PathRules.SUFFIX_MESSAGE:
                        nestedMessage = nestedMessage < 0 ? rule.order : Math.min(nestedMessage, rule.order);
                        break;
                    case PathRules.SUFFIX_RETRY_MS:
                        if (retryMs == Timestamps.NONE && type != BOOL) {
                            retryMs = nonNegative(value, 1);
                        }
                        break;
                    default:
                        if (retryFromSeconds == Timestamps.NONE && type != BOOL) {
                            retryFromSeconds = nonNegative(value, 1000);
                        }
                        break;
                }
            }
        }
        String path = null;
        if (spec != null && type != BOOL && !value.isEmpty()) {
            path = path();
            boolean numeric = type == INT || type == FLOAT || (type == STRING && isNumber(value));
            addCode(new FieldValue(path, value, numeric, spec));
        }
        if ((n == null || !n.message) && nestedMessage >= 0 && type == STRING && !value.isEmpty()) {
            addText(FieldValue.text(path == null ? path() : path, value), nestedMessage);
        }
        if (n != null) {
            if (n.message && type == STRING && !value.isEmpty()) {
                if (path == null) {
                    path = path();
                }
                addText(FieldValue.text(path, value), n.messageRank);
            }
            if (n.meta != PathRules.META_NONE) {
                setMeta(n.meta, n.metaPriority, value, type);
            }
        }
    }

    private void setMeta(int role, int priority, String value, int type) {
        int held = metaRank[role];
        if ((held != 0 && priority + 1 >= held) || value.isEmpty()) {
            return;
        }
        boolean accepted;
        switch (role) {
            case PathRules.META_TIMESTAMP:
                accepted = type == STRING || type == INT || type == FLOAT;
                break;
            case PathRules.META_LEVEL:
                // pino and bunyan write numeric levels (50 = error); keep them as written
                accepted = type == STRING || type == INT;
                break;
            default:
                accepted = type == STRING;
                break;
        }
        if (!accepted) {
            return;
        }
        meta[role] = value;
        metaRank[role] = priority + 1;
        if (priority == 0) {
            sawEcsTimestamp |= role == PathRules.META_TIMESTAMP;
            sawEcsLevel |= role == PathRules.META_LEVEL;
        }
    }

    /** ECS without an {@code ecs.version} marker still has {@code @timestamp} and {@code log.level}. */
    boolean looksEcs() {
        return sawEcsTimestamp && sawEcsLevel;
    }

    String meta(int role) {
        return meta[role];
    }

    List<FieldValue> codes() {
        return immutable(codes, codeCount);
    }

    List<FieldValue> texts() {
        return immutable(texts, textCount);
    }

    void addText(String field, String value) {
        addText(FieldValue.text(field, value), Integer.MAX_VALUE);
    }

    private void addCode(FieldValue v) {
        if (codes == null) {
            codes = new FieldValue[4];
        } else if (codeCount == codes.length) {
            codes = Arrays.copyOf(codes, codeCount * 2);
        }
        codes[codeCount++] = v;
    }

    /** @param rank where its field stands among the message fields; the best is {@link #message}'s fallback */
    private void addText(FieldValue v, int rank) {
        if (textCount == 0 || rank < bestTextRank) {
            bestText = v.value();
            bestTextRank = rank;
        }
        if (texts == null) {
            texts = new FieldValue[4];
        } else if (textCount == texts.length) {
            texts = Arrays.copyOf(texts, textCount * 2);
        }
        texts[textCount++] = v;
    }

    private static List<FieldValue> immutable(FieldValue[] values, int count) {
        switch (count) {
            case 0:
                return List.of();
            case 1:
                return List.of(values[0]);
            case 2:
                return List.of(values[0], values[1]);
            default:
                return List.of(Arrays.copyOf(values, count));
        }
    }

    Long retryAfterMs() {
        if (retryMs != Timestamps.NONE) {
            return retryMs;
        }
        return retryFromSeconds != Timestamps.NONE ? retryFromSeconds : null;
    }

    LogEvent build(LogFormat format) {
        String ts = meta[PathRules.META_TIMESTAMP];
        Long epochMillis = null;
        if (ts != null) {
            long v = Timestamps.parseValue(ts);
            epochMillis = v == Timestamps.NONE ? null : v;
        }
        return new LogEvent(format, ts, epochMillis, meta[PathRules.META_SERVICE], meta[PathRules.META_HOST],
                meta[PathRules.META_LEVEL], message(meta[PathRules.META_MESSAGE]), codes(), texts(), retryAfterMs());
    }

    /**
     * The event's message: its message field, else the first of its message-like fields in the configured order (a
     * JSON-RPC error's {@code error.message} before a stack trace; a foundry envelope's {@code error}), so an error
     * envelope is not an event without text.
     */
    String message(String field) {
        return field != null ? field : bestText; // bestText is null while no text is held
    }

    /** Whether the current path ends with {@code suffix}; segments are unique per name, so {@code ==} compares. */
    private boolean endsWith(PathRules.Segment[] suffix) {
        int k = suffix.length;
        if (k > depth) {
            return false;
        }
        for (int i = 0; i < k; i++) {
            if (suffix[k - 1 - i] != segments[depth - 1 - i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The current path as dotted text; built only for values that are kept, at most {@link #MAX_PATH_CHARS} chars,
     * and once for the values that share it: the elements of an array, and the same key in each object of an array
     * ({@code "error":[{"code":1},{"code":2}]}): same parents (their levels not entered again) and the same last
     * segment String (a rule's name; identity implies the same text). So what one record keeps in paths stays of
     * the order of its size.
     */
    String path() {
        int d = depth;
        PathRules.Node node = nodes[d];
        if (node != null) {
            return node.path; // a path some rule names (the root's is ""): its text was built with the rules
        }
        int parentPush = d < 2 ? 0 : enteredAt[d - 2];
        String last = seg(d - 1);
        if (builtPath == null || d != builtDepth || parentPush != builtParentPush || last != builtLast) {
            builtPath = buildPath();
            builtDepth = d;
            builtParentPush = parentPush;
            builtLast = last;
        }
        return builtPath;
    }

    /**
     * The most chars a kept value's path has; a longer one keeps its last segments after a {@code …}. Each kept
     * value holds its path: under a key of 256K chars, the 4096 values an event may keep would otherwise hold a
     * gigabyte of paths from one record of a few hundred kilobytes.
     */
    static final int MAX_PATH_CHARS = 512;

    private String buildPath() {
        int len = depth - 1;
        for (int i = 0; i < depth; i++) {
            len += seg(i).length();
        }
        if (len > MAX_PATH_CHARS) {
            return truncatedPath();
        }
        // Small depths are the common case; javac's indified concat builds them with one exact-size allocation.
        switch (depth) {
            case 1:
                return segs[0];
            case 2:
                return segs[0] + '.' + segs[1];
            case 3:
                return segs[0] + '.' + segs[1] + '.' + segs[2];
            default:
                break;
        }
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(segs[i]);
        }
        return sb.toString();
    }

    /** {@code ….c.d}: the last segments that fit; {@code …} and the end of the last one if even it does not. */
    private String truncatedPath() {
        int first = depth;
        int len = 1; // the mark
        while (first > 0 && len + 1 + segs[first - 1].length() <= MAX_PATH_CHARS) {
            first--;
            len += 1 + segs[first].length();
        }
        StringBuilder sb = new StringBuilder(MAX_PATH_CHARS).append('…');
        if (first == depth) {
            String last = segs[depth - 1];
            return sb.append(last, last.length() - (MAX_PATH_CHARS - 1), last.length()).toString();
        }
        for (int i = first; i < depth; i++) {
            sb.append('.').append(segs[i]);
        }
        return sb.toString();
    }

    /** Segment {@code i} of the path as text, cut from the record the first time a key pushed by position is read. */
    private String seg(int i) {
        String s = segs[i];
        if (s == null) {
            int from = spans[2 * i];
            s = new String(source, from, spans[2 * i + 1] - from, java.nio.charset.StandardCharsets.ISO_8859_1);
            segs[i] = s;
        }
        return s;
    }

    /**
     * Whether {@code s} reads as a JSON number ({@code -32003}, {@code -32003.0}, {@code -3.2003e4}), with
     * whitespace around it allowed: a code field's value, as a string, that is really a number.
     */
    static boolean isNumber(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        while (n > i && Character.isWhitespace(s.charAt(n - 1))) {
            n--;
        }
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        int end = digits(s, i, n);
        if (end == i) {
            return false;
        }
        i = end;
        if (i < n && s.charAt(i) == '.') {
            end = digits(s, i + 1, n);
            if (end == i + 1) {
                return false;
            }
            i = end;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            end = digits(s, i, n);
            if (end == i) {
                return false;
            }
            i = end;
        }
        return i == n;
    }

    /** The index after the ASCII digits of {@code s} from {@code i}, before {@code n}. */
    private static int digits(String s, int i, int n) {
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** {@code -?[0-9]+}: an integer written as a string ({@code "-32601"}). */
    static boolean isInteger(String s) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        if (i == n) {
            return false;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A non-negative number (integer or decimal) times {@code multiplier}, or {@link Timestamps#NONE}. */
    static long nonNegative(String text, int multiplier) {
        int n = text.length();
        if (n == 0 || n > 24) {
            return Timestamps.NONE;
        }
        boolean integer = true;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                integer = false;
                // Double.parseDouble would also take "NaN", "0x1p3", "2d" and padding: not retry hints
                if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') {
                    return Timestamps.NONE;
                }
            }
        }
        if (integer && n <= 15) {
            return Long.parseLong(text) * multiplier;
        }
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Timestamps.NONE;
        }
        double scaled = d * multiplier;
        if (!(scaled >= 0) || scaled > 9.0e15) {
            return Timestamps.NONE;
        }
        return Math.round(scaled);
    }
}
