package dev.faultline.catalog.event;

import java.util.List;

/**
 * logfmt: {@code key=value} pairs separated by spaces; values bare or double-quoted with {@code \"} and
 * {@code \\} escapes (plus the {@code \n \t \r} that Go's strconv.Quote writes); keys may contain dots and are
 * matched as top-level paths by the same rules as JSON.
 */
final class LogfmtReader {

    private final PathRules rules;
    private final ParseConfig config;
    /**
     * One collector per thread, reset after each line, as in {@link JsonEventReader}: a fresh one per line
     * allocated ~300 bytes of arrays.
     */
    private final ThreadLocal<EventCollector> collectors;

    LogfmtReader(PathRules rules, ParseConfig config) {
        this.rules = rules;
        this.config = config;
        this.collectors = ThreadLocal.withInitial(() -> new EventCollector(rules, config.maxFields()));
    }

    /**
     * @param line the record as text, leading/trailing whitespace removed
     * @return the event, or {@code null} when the line is not logfmt (it does not start with {@code key=} or has
     *         fewer than two pairs), so the caller falls back to plain text
     */
    ParseResult read(String line) {
        int n = line.length();
        int firstKeyEnd = keyEnd(line, 0, n);
        if (firstKeyEnd == 0 || firstKeyEnd >= n || line.charAt(firstKeyEnd) != '=') {
            return null;
        }
        // Pairs go to the collector as they are read, and a value is cut out of the line only when its key means
        // something: cutting every key and value first made LogfmtReader 5.3% of the benchmark for the ~8% of
        // lines that are logfmt (JFR).
        EventCollector c = collectors.get();
        try {
            return read(line, c);
        } finally {
            c.reset(); // left clean for the thread's next line, and holding none of this one's values
        }
    }

    private ParseResult read(String line, EventCollector c) {
        int n = line.length();
        int count = 0;
        boolean bareWords = false;
        StringBuilder unescaped = null;
        int i = 0;
        while (i < n) {
            char ch = line.charAt(i);
            if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
                i++;
                continue;
            }
            int ke = keyEnd(line, i, n);
            if (ke == i || ke >= n || line.charAt(ke) != '=') {
                // a bare word or stray text: skip the token, but remember the line is not pure logfmt
                bareWords = true;
                while (i < n && !isSpace(line.charAt(i))) {
                    i++;
                }
                continue;
            }
            int pushed;
            if (!hasDot(line, i, ke)) {
                PathRules.Segment seg = rules.segment(line, i, ke);
                c.push(seg == null ? null : seg.name, seg);
                pushed = 1;
            } else {
                pushed = c.pushKey(line.substring(i, ke)); // dotted: one level per segment, as in JSON
            }
            c.overFieldLimit();
            boolean wanted = c.match();
            i = ke + 1;
            String value = null;
            if (i < n && line.charAt(i) == '"') {
                int j = i + 1;
                int segStart = j;
                boolean escaped = false;
                while (j < n) {
                    char q = line.charAt(j);
                    if (q == '"') {
                        break;
                    }
                    if (q == '\\' && j + 1 < n) {
                        if (wanted) {
                            if (unescaped == null) {
                                unescaped = new StringBuilder();
                            }
                            if (!escaped) {
                                unescaped.setLength(0);
                                escaped = true;
                            }
                            unescaped.append(line, segStart, j);
                            char e = line.charAt(j + 1);
                            unescaped.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
                        }
                        j += 2;
                        segStart = j;
                        continue;
                    }
                    j++;
                }
                // an unterminated quote runs to the end of the line rather than failing the record
                if (wanted) {
                    if (escaped) {
                        unescaped.append(line, segStart, j);
                        value = unescaped.toString();
                    } else {
                        value = line.substring(i + 1, j);
                    }
                }
                i = j < n ? j + 1 : n;
            } else {
                int j = i;
                while (j < n && !isSpace(line.charAt(j))) {
                    j++;
                }
                if (wanted) {
                    value = line.substring(i, j);
                }
                i = j;
            }
            count++;
            if (count > config.maxFields()) {
                return new ParseResult.Unreadable(UnreadableReason.TOO_MANY_FIELDS,
                        "more than " + config.maxFields() + " logfmt fields at char " + i);
            }
            if (wanted) {
                // logfmt has no types: the collector treats number-looking text as numeric
                c.accept(value, EventCollector.STRING);
            }
            c.pop(pushed);
        }
        if (count < 2) {
            return null;
        }
        if (bareWords) {
            // words outside pairs would otherwise be invisible to the string fallback
            c.addText("line", line);
        }
        return new ParseResult.Events(List.of(c.build(LogFormat.LOGFMT)));
    }

    /** The end of a key starting at {@code i}: {@code [A-Za-z_@][A-Za-z0-9_.@/-]*}; {@code i} when none. */
    private static int keyEnd(String s, int i, int n) {
        if (i >= n) {
            return i;
        }
        char c = s.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '@')) {
            return i;
        }
        int j = i + 1;
        while (j < n) {
            c = s.charAt(j);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '@' || c == '/' || c == '-') {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    /** Only the key's own chars: a lastIndexOf from its end ran back through the whole line before it. */
    private static boolean hasDot(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (s.charAt(k) == '.') {
                return true;
            }
        }
        return false;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
