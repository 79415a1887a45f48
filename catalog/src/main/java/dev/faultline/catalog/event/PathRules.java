package dev.faultline.catalog.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to do with a scalar at a given path, compiled once from a {@link ParseConfig}. Immutable after
 * construction (the split cache aside, which is a bounded concurrent map) and shared by all parses.
 *
 * <p>Exact paths (typed fields without {@code anyDepth}, message fields, the well-known metadata keys) live in a
 * trie keyed by path segment, so a reader walks it one segment per key and knows at each scalar, with no string
 * building, whether the path means anything. Suffix rules ({@code anyDepth} typed fields, retry hints) are
 * indexed by their last segment. Both hang off a {@link Segment} per name any rule uses, so a reader resolves each
 * key once ({@link #segment}) and most keys, which no rule names, stop at that one probe.
 */
final class PathRules {

    /** Metadata roles; the order of the paths in each list is its priority (first wins). */
    static final int META_NONE = -1;
    static final int META_TIMESTAMP = 0;
    static final int META_SERVICE = 1;
    static final int META_HOST = 2;
    static final int META_LEVEL = 3;
    static final int META_MESSAGE = 4;
    static final int META_COUNT = 5;

    // After the common names, journald's (journalctl -o json) and .NET's JSON console formatter's.
    static final List<String> TIMESTAMP_PATHS = List.of("@timestamp", "timestamp", "time", "ts", "datetime", "date",
            "Timestamp", "__REALTIME_TIMESTAMP");
    static final List<String> SERVICE_PATHS = List.of("service.name", "service", "app", "application",
            "resource.service.name", "SYSLOG_IDENTIFIER");
    static final List<String> HOST_PATHS = List.of("host.name", "host.hostname", "host", "hostname", "_HOSTNAME");
    static final List<String> LEVEL_PATHS = List.of("log.level", "level", "severity", "severity_text", "lvl",
            "LogLevel", "PRIORITY");
    static final List<String> MESSAGE_PATHS = List.of("message", "msg", "log", "text", "body", "Message", "MESSAGE");

    /** Top-level maps under which OTel / ECS / Logstash put structured fields; typed fields may sit in them. */
    static final List<String> FIELD_CONTAINERS = List.of("attributes", "labels", "fields");
    /**
     * For OTLP log records, also a structured body (kvlistValue), as a collector's JSON parser leaves a log: only
     * there. In other formats a {@code body} object is often a request's payload, whose {@code code} is no error.
     */
    static final List<String> OTLP_FIELD_CONTAINERS = List.of("attributes", "labels", "fields", "body");

    static final int SUFFIX_CODE = 0;
    static final int SUFFIX_RETRY_MS = 1;
    static final int SUFFIX_RETRY_SECONDS = 2;
    static final int SUFFIX_MESSAGE = 3;

    /**
     * Message fields under these objects also count wherever the object sits: a JSON-RPC error envelope nested in
     * a response ({@code response.error.message}) carries its text there, like {@code error.code} its code.
     */
    static final List<String> NESTED_MESSAGE_OBJECTS = List.of("error", "err", "exception");

    /** Hostile input can carry any number of distinct dotted keys; past this the cache stops growing. */
    private static final int SPLIT_CACHE_LIMIT = 4096;
    /**
     * The longest dotted key the split cache keeps. The cache lives as long as the app: a key of a few hundred
     * thousand dots in one bad record would otherwise pin its text and every segment's String for good.
     */
    static final int SPLIT_CACHE_MAX_KEY_CHARS = 256;

    /** A trie node: what an exact path means, and its children by next segment. */
    static final class Node {
        /** Only used while the rules are built; lookups go through {@link #childById}. */
        final Map<String, Node> children = new HashMap<>();
        /** The child for each {@link Segment#id}, or null for a leaf. */
        Node[] childById;
        /** The first non-anyDepth typed field (config order) at this path, or null. */
        TypedField code;
        int codeOrder = Integer.MAX_VALUE;
        /** Whether a string here is a message-like text field for the fallback. */
        boolean message;
        /** Where its path stands in the configured message fields: the first is the message of an event without one. */
        int messageRank = Integer.MAX_VALUE;
        int meta = META_NONE;
        int metaPriority;
        /** Whether anything at all is attached here, so a reader can skip a scalar with one test. */
        boolean hasRole;
        /** This node's path as dotted text, built once: a value kept at a path a rule names needs no String. */
        String path = "";

        /** The child for a segment {@link PathRules#segment resolved} once per key; null when none. */
        Node child(Segment segment) {
            Node[] byId = childById;
            return segment == null || byId == null ? null : byId[segment.id];
        }
    }

    /**
     * A segment name some rule uses (a trie key or a segment of a suffix rule). A reader resolves each key
     * to its Segment with one probe of {@link #segment} and then reaches the child node by array index and the
     * suffix rules by a field: a HashMap.get per key in the trie plus a scan of the suffix names per scalar were
     * ~19% of the JSON parse (JFR, EventParser on the JSON lines of the benchmark corpus).
     */
    static final class Segment {
        final String name;
        final int hash;
        final int id;
        /** The name's bytes when it is ASCII (only then can a key's raw bytes name it), else null. */
        final byte[] ascii;
        /**
         * {@link #ascii}'s first and last (up to) eight bytes, as {@link PathRules#head} and {@link PathRules#tail}
         * read a key: for names of up to 16 bytes, equal words and length mean equal names.
         */
        final long head;
        final long tail;
        /** The suffix rules whose last segment this is, or null (the common case). */
        SuffixRule[] suffixRules;

        Segment(String name, int id) {
            this.name = name;
            this.hash = name.hashCode();
            this.id = id;
            boolean isAscii = name.chars().allMatch(c -> c < 0x80);
            this.ascii = isAscii ? name.getBytes(StandardCharsets.US_ASCII) : null;
            this.head = isAscii ? head(ascii, 0, ascii.length) : 0;
            this.tail = isAscii ? tail(ascii, 0, ascii.length) : 0;
        }
    }

    /** A rule matched by the end of a path, e.g. {@code error.code} anywhere. */
    static final class SuffixRule {
        final String[] segments;
        /** {@link #segments} resolved, filled in once the segment table is built: compared by identity. */
        Segment[] resolved;
        final int kind;
        final TypedField spec;
        final int order;

        SuffixRule(String[] segments, int kind, TypedField spec, int order) {
            this.segments = segments;
            this.kind = kind;
            this.spec = spec;
            this.order = order;
        }
    }

    final Node root = new Node();
    /** As {@link #root}, with a structured body's fields ({@link #OTLP_FIELD_CONTAINERS}): the OTLP reader's. */
    final Node otlpRoot = new Node();
    /**
     * Open-addressing table of every {@link Segment}, probed by {@link String#hashCode} (cached in the String)
     * and compared by identity first: the names are interned, and so are the field names Jackson hands out
     * (its symbol table interns them by default), so a hit usually costs one reference compare.
     */
    private final Segment[] segmentTable;
    private final int segmentMask;
    /**
     * The ASCII segments again, by {@link #wordSlot} of their bytes: what a JSON key's raw bytes are looked up in.
     * String's hash is a chain of dependent multiplies, one per byte; this one is two loads and one multiply
     * whatever the key's length.
     */
    private final Segment[] byteTable;
    private final int byteShift;
    private final ConcurrentHashMap<String, String[]> splitCache = new ConcurrentHashMap<>();

    PathRules(ParseConfig config) {
        Map<String, List<SuffixRule>> suffixes = new HashMap<>();
        addRules(root, config, FIELD_CONTAINERS, List.of("attributes"), suffixes);
        addRules(otlpRoot, config, OTLP_FIELD_CONTAINERS, List.of("attributes", "body"), null);
        suffixes.computeIfAbsent("retry_after_ms", k -> new ArrayList<>())
                .add(new SuffixRule(new String[] {"retry_after_ms"}, SUFFIX_RETRY_MS, null, Integer.MAX_VALUE));
        suffixes.computeIfAbsent("retry_after_seconds", k -> new ArrayList<>())
                .add(new SuffixRule(new String[] {"retry_after_seconds"}, SUFFIX_RETRY_SECONDS, null,
                        Integer.MAX_VALUE));

        Map<String, Segment> byName = new HashMap<>();
        collectSegments(root, byName);
        collectSegments(otlpRoot, byName);
        for (Map.Entry<String, List<SuffixRule>> e : suffixes.entrySet()) {
            segmentFor(e.getKey(), byName).suffixRules = e.getValue().toArray(new SuffixRule[0]);
            for (SuffixRule rule : e.getValue()) {
                // every segment of a suffix rule gets a Segment, so a reader matches the rule by identity
                rule.resolved = new Segment[rule.segments.length];
                for (int i = 0; i < rule.segments.length; i++) {
                    rule.resolved[i] = segmentFor(rule.segments[i], byName);
                }
            }
        }
        int capacity = Integer.highestOneBit(Math.max(4, byName.size() * 4)) << 1; // load <= 1/4: short misses
        segmentTable = new Segment[capacity];
        segmentMask = capacity - 1;
        for (Segment seg : byName.values()) {
            int slot = spread(seg.hash) & segmentMask;
            while (segmentTable[slot] != null) {
                slot = (slot + 1) & segmentMask;
            }
            segmentTable[slot] = seg;
        }
        byteTable = new Segment[capacity];
        byteShift = 64 - Integer.numberOfTrailingZeros(capacity);
        int byteMask = capacity - 1;
        for (Segment seg : byName.values()) {
            if (seg.ascii == null) {
                continue;
            }
            int slot = wordSlot(seg.head, seg.tail, seg.ascii.length, byteShift);
            while (byteTable[slot] != null) {
                slot = (slot + 1) & byteMask;
            }
            byteTable[slot] = seg;
        }
        compile(root, byName.size(), byName);
        compile(otlpRoot, byName.size(), byName);
    }

    /**
     * The exact-path rules under {@code top}: typed fields (also under each of {@code containers}), message-like
     * fields (also under each of {@code textContainers}) and the metadata paths; and, when {@code suffixes} is
     * given, the rules matched by the end of a path.
     */
    private static void addRules(Node top, ParseConfig config, List<String> containers, List<String> textContainers,
            Map<String, List<SuffixRule>> suffixes) {
        List<TypedField> typed = config.typedFields();
        for (int order = 0; order < typed.size(); order++) {
            TypedField spec = typed.get(order);
            String[] segs = splitPath(spec.path());
            if (spec.anyDepth()) {
                if (suffixes != null) {
                    suffixes.computeIfAbsent(segs[segs.length - 1], k -> new ArrayList<>())
                            .add(new SuffixRule(segs, SUFFIX_CODE, spec, order));
                }
            } else {
                addCode(top, segs, spec, order);
                for (String container : containers) {
                    addCode(top, prefixed(container, segs), spec, order);
                }
            }
        }
        List<String> messageFields = config.messageFields();
        for (int rank = 0; rank < messageFields.size(); rank++) {
            String[] segs = splitPath(messageFields.get(rank));
            addMessage(node(top, segs), rank);
            for (String container : textContainers) {
                addMessage(node(top, prefixed(container, segs)), rank);
            }
            if (suffixes != null && segs.length >= 2 && NESTED_MESSAGE_OBJECTS.contains(segs[segs.length - 2])) {
                String[] tail = {segs[segs.length - 2], segs[segs.length - 1]};
                suffixes.computeIfAbsent(tail[1], k -> new ArrayList<>())
                        .add(new SuffixRule(tail, SUFFIX_MESSAGE, null, rank));
            }
        }
        addMeta(top, TIMESTAMP_PATHS, META_TIMESTAMP);
        addMeta(top, SERVICE_PATHS, META_SERVICE);
        addMeta(top, HOST_PATHS, META_HOST);
        addMeta(top, LEVEL_PATHS, META_LEVEL);
        addMeta(top, MESSAGE_PATHS, META_MESSAGE);
    }

    /** The segment named {@code name}, or null when no rule uses that name (most keys). */
    Segment segment(String name) {
        int h = name.hashCode();
        Segment[] table = segmentTable;
        int slot = spread(h) & segmentMask;
        Segment seg;
        while ((seg = table[slot]) != null) {
            if (seg.name == name || (seg.hash == h && seg.name.equals(name))) {
                return seg;
            }
            slot = (slot + 1) & segmentMask;
        }
        return null;
    }

    /**
     * As {@link #segment(String)}, for the key {@code text[from, to)}: logfmt keys are resolved without cutting a
     * String for each (most name nothing; hashing fresh substrings was ~9% of the logfmt/text parse, JFR).
     */
    Segment segment(String text, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + text.charAt(i);
        }
        int length = to - from;
        Segment[] table = segmentTable;
        int slot = spread(h) & segmentMask;
        Segment seg;
        while ((seg = table[slot]) != null) {
            if (seg.hash == h && seg.name.length() == length && text.regionMatches(from, seg.name, 0, length)) {
                return seg;
            }
            slot = (slot + 1) & segmentMask;
        }
        return null;
    }

    /**
     * As {@link #segment(String)}, for the ASCII key {@code bytes[from, to)} of a JSON record: resolved from the
     * bytes, so a key no rule names never becomes a String.
     */
    Segment segment(byte[] bytes, int from, int to) {
        return segment(bytes, from, to, head(bytes, from, to), tail(bytes, from, to));
    }

    /** As {@link #segment(byte[], int, int)}, with the key's {@link #head} and {@link #tail} already read. */
    Segment segment(byte[] bytes, int from, int to, long head, long tail) {
        int length = to - from;
        Segment[] table = byteTable;
        int mask = table.length - 1;
        int slot = wordSlot(head, tail, length, byteShift);
        Segment seg;
        while ((seg = table[slot]) != null) {
            if (seg.head == head && seg.tail == tail && seg.ascii.length == length
                    && (length <= 16 || Arrays.equals(seg.ascii, 0, length, bytes, from, to))) {
                return seg;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The first {@code min(8, to - from)} bytes of {@code bytes[from, to)}, little-endian, zero above them. */
    static long head(byte[] bytes, int from, int to) {
        int length = to - from;
        if (length >= 8) {
            return (long) LONGS.get(bytes, from);
        }
        if (length > 0 && from + 8 <= bytes.length) {
            // one load that may read past the key (never past the array), the bytes after it masked off
            return (long) LONGS.get(bytes, from) & (-1L >>> (64 - 8 * length));
        }
        long w = 0;
        for (int i = to - 1; i >= from; i--) {
            w = w << 8 | (bytes[i] & 0xFF);
        }
        return w;
    }

    /** The last eight bytes of {@code bytes[from, to)} when it is longer than eight, else 0. */
    static long tail(byte[] bytes, int from, int to) {
        return to - from > 8 ? (long) LONGS.get(bytes, to - 8) : 0;
    }

    /** The slot a byte key's probe starts at; for tests, which need keys that collide. */
    int byteSlot(byte[] bytes, int from, int to) {
        return wordSlot(head(bytes, from, to), tail(bytes, from, to), to - from, byteShift);
    }

    /** Fibonacci hashing of the two words and the length: the top bits of one multiply pick the slot. */
    private static int wordSlot(long head, long tail, int length, int shift) {
        long h = (head ^ Long.rotateLeft(tail, 29) ^ length) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> shift);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private static Segment segmentFor(String name, Map<String, Segment> byName) {
        Segment seg = byName.get(name);
        if (seg == null) {
            seg = new Segment(name.intern(), byName.size());
            byName.put(name, seg);
        }
        return seg;
    }

    private static void collectSegments(Node n, Map<String, Segment> byName) {
        for (Map.Entry<String, Node> c : n.children.entrySet()) {
            segmentFor(c.getKey(), byName);
            collectSegments(c.getValue(), byName);
        }
    }

    /** Sets {@link Node#hasRole}, {@link Node#childById} and {@link Node#path} once every segment has its id. */
    private static void compile(Node n, int segments, Map<String, Segment> byName) {
        n.hasRole = n.code != null || n.message || n.meta != META_NONE;
        if (!n.children.isEmpty()) {
            n.childById = new Node[segments];
            for (Map.Entry<String, Node> c : n.children.entrySet()) {
                n.childById[byName.get(c.getKey()).id] = c.getValue();
                c.getValue().path = n.path.isEmpty() ? c.getKey() : n.path + '.' + c.getKey();
                compile(c.getValue(), segments, byName);
            }
        }
    }

    /** A dotted key's segments; cached because the same few dotted keys recur on every line. */
    String[] split(String key) {
        String[] cached = splitCache.get(key);
        if (cached != null) {
            return cached;
        }
        String[] segs = splitPath(key);
        if (key.length() <= SPLIT_CACHE_MAX_KEY_CHARS && splitCache.size() < SPLIT_CACHE_LIMIT) {
            splitCache.putIfAbsent(key, segs);
        }
        return segs;
    }

    /** Splits on every dot, keeping empty segments, so {@code "a..b"} never aliases {@code "a.b"}. */
    static String[] splitPath(String path) {
        int dots = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots == 0) {
            return new String[] {path};
        }
        String[] out = new String[dots + 1];
        int from = 0;
        int k = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.') {
                out[k++] = path.substring(from, i);
                from = i + 1;
            }
        }
        out[k] = path.substring(from);
        return out;
    }

    private static void addMessage(Node n, int rank) {
        n.message = true;
        n.messageRank = Math.min(n.messageRank, rank);
    }

    private static void addCode(Node top, String[] segs, TypedField spec, int order) {
        Node n = node(top, segs);
        if (order < n.codeOrder) {
            n.code = spec;
            n.codeOrder = order;
        }
    }

    private static void addMeta(Node top, List<String> paths, int meta) {
        for (int priority = 0; priority < paths.size(); priority++) {
            Node n = node(top, splitPath(paths.get(priority)));
            if (n.meta == META_NONE) {
                n.meta = meta;
                n.metaPriority = priority;
            }
        }
    }

    private static Node node(Node top, String[] segs) {
        Node n = top;
        for (String seg : segs) {
            n = n.children.computeIfAbsent(seg, k -> new Node());
        }
        return n;
    }

    private static String[] prefixed(String first, String[] segs) {
        String[] out = new String[segs.length + 1];
        out[0] = first;
        System.arraycopy(segs, 0, out, 1, segs.length);
        return out;
    }
}
