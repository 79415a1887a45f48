package dev.faultline.catalog.event;

import static dev.faultline.catalog.event.JsonLexer.AFTER_VALUE;
import static dev.faultline.catalog.event.JsonLexer.ARRAY_FIRST;
import static dev.faultline.catalog.event.JsonLexer.CLOSE;
import static dev.faultline.catalog.event.JsonLexer.NAME;
import static dev.faultline.catalog.event.JsonLexer.OBJECT_FIRST;
import static dev.faultline.catalog.event.JsonLexer.VALUE;

import java.util.Arrays;

/**
 * A JSON object validated in one pass by the {@link JsonLexer} and kept as a flat list of nodes over the record's
 * bytes (a "tape"): no tree of objects and no strings until a value is asked for. For OTLP batches, whose nested
 * shape wants random access: Jackson's tree model cost ~9 µs per batch of the stream benchmark's workload, most of
 * it tokenizing (BENCHMARKS.md).
 *
 * <p>Each node is four ints: kind and flags, the start and end of its bytes (a string's body without the quotes, a
 * number's text, a container's opening bracket), and the index of the node after its subtree. A container's
 * children follow it; an object's are its members' name and value, alternating. The verdicts on bad input are
 * {@link JsonEventReader}'s (Jackson's defaults): the same grammar, depth, string and number limits.
 *
 * <p>One per thread, {@link #read} per record; not thread-safe.
 */
final class JsonTape {

    /** Node kinds: the lexer's scalar kinds, and the two containers. */
    static final int STRING = JsonLexer.STRING;
    static final int INT = JsonLexer.INT;
    static final int FLOAT = JsonLexer.FLOAT;
    static final int BOOL = JsonLexer.BOOL;
    static final int NULL = JsonLexer.NULL;
    static final int OBJECT = 5;
    static final int ARRAY = 6;

    private static final int KIND = 0xF;
    private static final int ESCAPED = 1 << 4;
    private static final int NON_ASCII = 1 << 5;
    private static final int WIDTH = 4;
    /** A tape grown past this many ints by one huge batch is dropped after it, not kept for the thread's life. */
    private static final int KEEP_INTS = 1 << 16;

    private final JsonLexer in;
    private final int maxDepth;
    private int[] tape = new int[WIDTH * 64];
    private int count;
    private int[] open = new int[16];

    JsonTape(ParseConfig config) {
        this.in = new JsonLexer(config.maxStringChars());
        this.maxDepth = config.maxDepth();
    }

    /**
     * Reads the object at {@code bytes[start]} ('{'), which must be followed by nothing but whitespace up to
     * {@code end}. Node 0 is the object.
     *
     * @throws JsonLexer.Bad what is wrong with the record, as {@link JsonEventReader} reports it
     */
    JsonTape read(byte[] bytes, int start, int end, int base) {
        in.reset(bytes, end, base);
        count = 0;
        byte[] b = bytes;
        int depth = 0;
        int i = start;
        int state = VALUE;
        while (true) {
            switch (state) {
                case VALUE: {
                    i = in.skipWhitespace(i);
                    byte x = b[i];
                    if (x == '"') {
                        int from = i + 1;
                        int to = in.skipString(from, false);
                        in.checkLength(from, to, false);
                        add(STRING | flags(), from, to);
                        i = to + 1;
                        state = AFTER_VALUE;
                    } else if (x == '{' || x == '[') {
                        if (depth == maxDepth) {
                            throw in.tooDeep(maxDepth, i);
                        }
                        if (depth == open.length) {
                            open = Arrays.copyOf(open, depth * 2); // bounded by maxDepth
                        }
                        open[depth++] = add(x == '{' ? OBJECT : ARRAY, i, i);
                        i++;
                        state = x == '{' ? OBJECT_FIRST : ARRAY_FIRST;
                    } else {
                        int to = in.scalar(i);
                        add(in.lastScalar, i, to);
                        i = to;
                        state = AFTER_VALUE;
                    }
                    break;
                }
                case OBJECT_FIRST:
                    i = in.first(i, false);
                    state = in.lastClosed ? CLOSE : NAME;
                    break;
                case NAME: {
                    int to = in.name(i);
                    add(STRING | flags(), i + 1, to);
                    i = in.colon(to);
                    state = VALUE;
                    break;
                }
                case ARRAY_FIRST:
                    i = in.first(i, true);
                    state = in.lastClosed ? CLOSE : VALUE;
                    break;
                case AFTER_VALUE: {
                    boolean array = kind(open[depth - 1]) == ARRAY;
                    i = in.separator(i, array);
                    state = in.lastClosed ? CLOSE : array ? VALUE : NAME;
                    break;
                }
                default: { // CLOSE
                    int node = open[--depth];
                    tape[node * WIDTH + 3] = count;
                    if (depth == 0) {
                        in.expectEnd(i);
                        return this;
                    }
                    state = AFTER_VALUE;
                    break;
                }
            }
        }
    }

    private int flags() {
        return (in.lastStringEscaped ? ESCAPED : 0) | (in.lastStringNonAscii ? NON_ASCII : 0);
    }

    private int add(int kindAndFlags, int from, int to) {
        int k = count * WIDTH;
        if (k + WIDTH > tape.length) {
            // bounded by the record: every node is at least one byte of it
            tape = Arrays.copyOf(tape, tape.length * 2);
        }
        tape[k] = kindAndFlags;
        tape[k + 1] = from;
        tape[k + 2] = to;
        tape[k + 3] = count + 1; // a container's is set when it closes
        return count++;
    }

    /** Forgets the record, so the thread's tape does not keep it alive; drops a tape one huge record grew. */
    void clear() {
        in.reset(null, 0, 0);
        count = 0;
        if (tape.length > KEEP_INTS) {
            tape = new int[WIDTH * 64];
        }
    }

    int kind(int node) {
        return tape[node * WIDTH] & KIND;
    }

    /** The node after {@code node}'s subtree: its next sibling, or its parent's end. */
    int next(int node) {
        return tape[node * WIDTH + 3];
    }

    /** Whether {@code node} exists (is not -1) and is not JSON null: Jackson's {@code n != null && !n.isNull()}. */
    boolean present(int node) {
        return node >= 0 && kind(node) != NULL;
    }

    /** The elements of an array, or the names and values of an object, alternating: the first, or -1. */
    int first(int container) {
        int child = container + 1;
        return child < next(container) ? child : -1;
    }

    /** The node after {@code child} under {@code container}, or -1. */
    int after(int container, int child) {
        int n = next(child);
        return n < next(container) ? n : -1;
    }

    /** Number of elements of an array. */
    int size(int array) {
        int n = 0;
        for (int c = first(array); c >= 0; c = after(array, c)) {
            n++;
        }
        return n;
    }

    /** The value of the member named {@code name} (ASCII); the last one, as Jackson's tree keeps; -1 if none. */
    int member(int object, byte[] name) {
        if (kind(object) != OBJECT) {
            return -1;
        }
        int found = -1;
        // a name is a string node, so its value is the very next node
        for (int key = first(object); key >= 0; key = after(object, key + 1)) {
            if (nameIs(key, name)) {
                found = key + 1;
            }
        }
        return found;
    }

    /** Whether the string node's bytes are its text: ASCII, no escape (so {@link #from}/{@link #to} bound it). */
    boolean plainAscii(int node) {
        return (tape[node * WIDTH] & (ESCAPED | NON_ASCII)) == 0;
    }

    /** Where the node's bytes start in the record (a string's body, without its quote). */
    int from(int node) {
        return tape[node * WIDTH + 1];
    }

    /** Where the node's bytes end in the record (a string's closing quote). */
    int to(int node) {
        return tape[node * WIDTH + 2];
    }

    /** Whether the string node {@code key} reads as the ASCII {@code name}. */
    boolean nameIs(int key, byte[] name) {
        int k = key * WIDTH;
        return in.equalsAscii(tape[k + 1], tape[k + 2], name, (tape[k] & ESCAPED) != 0);
    }

    /**
     * The node's text as Jackson's tree gives it ({@code JsonNode.asText()}): a string decoded, an integer as written
     * ({@code -0} is 0), a fraction as its double's {@code Double.toString}, {@code true}/{@code false}; null for
     * JSON null and containers, which callers rule out first.
     */
    String text(int node) {
        int k = node * WIDTH;
        int from = tape[k + 1];
        int to = tape[k + 2];
        switch (tape[k] & KIND) {
            case STRING:
                return in.decode(from, to, (tape[k] & ESCAPED) != 0, (tape[k] & NON_ASCII) != 0);
            case INT: {
                String text = in.ascii(from, to);
                return text.equals("-0") ? "0" : text;
            }
            case FLOAT:
                return Double.toString(Double.parseDouble(in.ascii(from, to)));
            case BOOL:
                return in.bytes[from] == 't' ? "true" : "false";
            default:
                return null;
        }
    }
}
