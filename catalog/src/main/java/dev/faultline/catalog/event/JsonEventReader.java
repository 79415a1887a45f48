package dev.faultline.catalog.event;

import static dev.faultline.catalog.event.JsonLexer.AFTER_VALUE;
import static dev.faultline.catalog.event.JsonLexer.ARRAY_FIRST;
import static dev.faultline.catalog.event.JsonLexer.CLOSE;
import static dev.faultline.catalog.event.JsonLexer.NAME;
import static dev.faultline.catalog.event.JsonLexer.OBJECT_FIRST;
import static dev.faultline.catalog.event.JsonLexer.VALUE;

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
 * issue 2's target allows for parse + match (BENCHMARKS.md). OTLP batches go to {@link OtlpReader}, on the same
 * {@link JsonLexer}. The test {@code JsonReaderAgreementTest} holds this reader to Jackson's verdict on random and
 * mutated records.
 *
 * <p>The grammar is RFC 8259's, as strict as Jackson's defaults: no comments, single quotes, unquoted names,
 * leading zeros, {@code NaN}, trailing commas or raw control characters in strings; every escape is validated
 * even in values nobody reads; nothing but whitespace may follow the object. UTF-8 is validated in the same pass
 * ({@link Utf8}, on the string bodies that are not ASCII). Nesting is iterative and bounded by
 * {@link ParseConfig#maxDepth()}; string and name lengths by {@link ParseConfig#maxStringChars()}.
 */
final class JsonEventReader {

    private static final byte[] RESOURCE_LOGS = "resourceLogs".getBytes(StandardCharsets.US_ASCII);

    private final ParseConfig config;
    private final OtlpReader otlp;
    /**
     * Per-thread working state, reset per record: a fresh collector, lexer and frame stack were ~45% of the
     * bytes the JSON parse allocated (see {@link EventCollector#reset} for what that buys).
     */
    private final ThreadLocal<Scratch> scratch;

    JsonEventReader(PathRules rules, ParseConfig config, OtlpReader otlp) {
        this.config = config;
        this.otlp = otlp;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(rules, config));
    }

    /** What one thread reuses from record to record. */
    private static final class Scratch {
        final EventCollector collector;
        final JsonLexer lexer;
        /** Per open container: segments its key pushed << 1 | isArray; grows with the record's depth. */
        int[] frames = new int[16];

        Scratch(PathRules rules, ParseConfig config) {
            collector = new EventCollector(rules, config.maxFields());
            lexer = new JsonLexer(config.maxStringChars());
        }
    }

    /**
     * @param start the index of the opening brace (leading whitespace and BOM already skipped)
     * @param base  the record's own offset, so positions in diagnostics are relative to the record
     */
    ParseResult read(byte[] bytes, int start, int end, int base) {
        Scratch work = scratch.get();
        JsonLexer in = work.lexer.reset(bytes, end, base);
        try {
            return readObject(work, in, start);
        } catch (JsonLexer.Bad bad) {
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

    private ParseResult readObject(Scratch work, JsonLexer in, int start) {
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
                    i = in.first(i, false);
                    state = in.lastClosed ? CLOSE : NAME;
                    break;
                case NAME: {
                    int from = i + 1;
                    int to = in.name(i);
                    if (depth == 1) {
                        if (in.equalsAscii(from, to, RESOURCE_LOGS)) {
                            return otlp.read(b, start, end, in.base);
                        }
                        ecsMarker |= isEcsKey(in, from, to);
                    }
                    pending = pushKey(c, in, from, to);
                    i = in.colon(to);
                    state = VALUE;
                    break;
                }
                case ARRAY_FIRST:
                    i = in.first(i, true);
                    state = in.lastClosed ? CLOSE : VALUE;
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
                            throw in.tooDeep(maxDepth, i);
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
                        int to = in.scalar(i);
                        int type = in.lastScalar;
                        if (c.overFieldLimit()) {
                            throw tooManyFields(in, i);
                        }
                        if (type != EventCollector.NULL && c.match()) {
                            String text;
                            if (type == EventCollector.BOOL) {
                                text = x == 't' ? "true" : "false";
                            } else if (to - i > in.maxStringChars) {
                                // a number whose text is kept is a string as far as the limit goes (as in Jackson)
                                throw new JsonLexer.Bad(UnreadableReason.STRING_TOO_LONG, "JSON string longer than "
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
                    boolean array = (frames[depth - 1] & 1) != 0;
                    i = in.separator(i, array);
                    state = in.lastClosed ? CLOSE : array ? VALUE : NAME;
                    break;
                }
                default: // CLOSE: the container that just ended was frames[depth - 1]
                    c.pop(frames[--depth] >>> 1);
                    if (depth == 0) {
                        in.expectEnd(i);
                        LogFormat format = ecsMarker || c.looksEcs() ? LogFormat.ECS : LogFormat.JSON;
                        return new ParseResult.Events(List.of(c.build(format)));
                    }
                    state = AFTER_VALUE;
                    break;
            }
        }
    }

    /** Enters the key {@code bytes[from, to)}; a dotted key enters one level per segment. @return segments pushed */
    private static int pushKey(EventCollector c, JsonLexer in, int from, int to) {
        if (in.lastStringEscaped || in.lastStringNonAscii) {
            // rare: the key's text differs from its bytes, or it cannot name an (ASCII) rule segment
            return c.pushKey(in.decode(from, to));
        }
        return c.pushRawKey(from, to);
    }

    /** A top-level {@code ecs} or {@code ecs.*} key marks an ECS document. */
    private static boolean isEcsKey(JsonLexer in, int from, int to) {
        if (in.lastStringEscaped) {
            String name = in.decode(from, to);
            return name.startsWith("ecs") && (name.length() == 3 || name.charAt(3) == '.');
        }
        byte[] b = in.bytes;
        return to - from >= 3 && b[from] == 'e' && b[from + 1] == 'c' && b[from + 2] == 's'
                && (to - from == 3 || b[from + 3] == '.');
    }

    private JsonLexer.Bad tooManyFields(JsonLexer in, int at) {
        return new JsonLexer.Bad(UnreadableReason.TOO_MANY_FIELDS,
                "more than " + config.maxFields() + " scalar fields at byte " + (at - in.base));
    }

}
