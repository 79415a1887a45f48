package dev.faultline.catalog.event;

import java.util.List;

/**
 * Plain text and syslog. The whole line is one text field, {@code line}, for the string fallback; what can be
 * had by cheap hand scanning (no regular expressions, so no backtracking on hostile lines) is pulled out: a leading
 * RFC 3339 timestamp, a level word among the first few tokens, and the RFC 3164 / RFC 5424 syslog header.
 * The service is the syslog TAG's program name: in a syslog header, in the traditional syslog file format (an
 * RFC 3164 line without its {@code <PRI>}, as {@code /var/log/syslog} holds it), and in a plain line whose first
 * tokens after the timestamp hold a {@code program[pid]:} tag (journald's and many consoles' short format).
 * Nothing looser is guessed: {@code [name]} or {@code name:} prefixes are too ambiguous to call a service.
 */
final class TextReader {

    static final String LINE_FIELD = "line";

    /** How many leading tokens may hold the level word; later words are message text ("an error occurred"). */
    private static final int LEVEL_TOKENS = 4;

    private static final String[] LEVEL_WORDS = {
        "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "ERR", "FATAL", "CRITICAL"
    };
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final String[] SYSLOG_SEVERITIES = {
        "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"
    };

    /** @param line the record as text, leading/trailing whitespace removed, not empty */
    ParseResult read(String line) {
        LogEvent event = line.charAt(0) == '<' ? syslog(line) : null;
        if (event == null && isClassicTimestamp(line, 0)) {
            // Without <PRI> a classic timestamp alone does not make a syslog line ("Nov 21 10:15:30 disk full" is
            // not host "disk", "Nov 21 10:15:30 error: x" not program "error"): it takes a host and then a TAG.
            LogEvent file = rfc3164(line, 0, -1);
            event = file != null && file.host() != null && file.service() != null ? file : null;
        }
        if (event == null) {
            event = plain(line);
        }
        return new ParseResult.Events(List.of(event));
    }

    private static LogEvent plain(String line) {
        int n = line.length();
        long[] millis = new long[1];
        String timestamp = null;
        Long epochMillis = null;
        int from = 0;
        boolean bracketed = line.charAt(0) == '[';
        int tsStart = bracketed ? 1 : 0;
        int tsEnd = Timestamps.scanIso(line, tsStart, n, true, millis);
        if (tsEnd > 0 && (bracketed ? tsEnd < n && line.charAt(tsEnd) == ']' : tsEnd == n || !isWordChar(line.charAt(tsEnd)))) {
            timestamp = line.substring(tsStart, tsEnd);
            epochMillis = millis[0];
            from = bracketed ? tsEnd + 1 : tsEnd;
        }
        String level = levelWord(line, from, n);
        return new LogEvent(LogFormat.TEXT, timestamp, epochMillis, pidTag(line, from, n), null, level, line,
                List.of(), List.of(FieldValue.text(LINE_FIELD, line)), null);
    }

    /** How many tokens after the timestamp may hold the tag: a level word and a host may come first. */
    private static final int TAG_TOKENS = 3;

    /**
     * The program name of a {@code program[pid]:} token among the first {@link #TAG_TOKENS} tokens from
     * {@code from}: a name of letters, digits and {@code _ . - /} starting with a letter, a pid of 1 to 10 digits.
     * Null when there is none.
     */
    static String pidTag(String s, int from, int n) {
        int i = from;
        for (int token = 0; token < TAG_TOKENS; token++) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int end = tokenEnd(s, i, n);
            if (end - i >= 5 && s.charAt(end - 1) == ':' && s.charAt(end - 2) == ']') {
                int open = s.lastIndexOf('[', end - 3);
                if (open > i && isLetter(s.charAt(i)) && end - 3 - open >= 1 && end - 3 - open <= 10
                        && allDigits(s, open + 1, end - 2) && isProgramName(s, i, open)) {
                    return s.substring(i, open);
                }
            }
            if (end >= n) {
                return null;
            }
            i = end;
        }
        return null;
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isProgramName(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (!isWordChar(c) && c != '_' && c != '.' && c != '-' && c != '/') {
                return false;
            }
        }
        return true;
    }

    /** An RFC 5424 or RFC 3164 line, or null when the header does not parse (then it is plain text). */
    private static LogEvent syslog(String line) {
        int n = line.length();
        int i = 1;
        int pri = 0;
        while (i < n && i <= 3 && isDigit(line.charAt(i))) {
            pri = pri * 10 + (line.charAt(i) - '0');
            i++;
        }
        if (i == 1 || i >= n || line.charAt(i) != '>' || pri > 191) {
            return null;
        }
        i++;
        int versionEnd = i;
        while (versionEnd < n && versionEnd - i < 2 && isDigit(line.charAt(versionEnd))) {
            versionEnd++;
        }
        if (versionEnd > i && versionEnd < n && line.charAt(versionEnd) == ' ') {
            return rfc5424(line, versionEnd + 1, pri);
        }
        return rfc3164(line, i, pri);
    }

    /** {@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]}, with {@code -} for nil values. */
    private static LogEvent rfc5424(String line, int i, int pri) {
        int n = line.length();
        String[] header = new String[5];
        for (int k = 0; k < 5; k++) {
            int end = line.indexOf(' ', i);
            if (end < 0 || end == i) {
                return null;
            }
            header[k] = line.substring(i, end);
            i = end + 1;
        }
        String timestamp = null;
        Long epochMillis = null;
        if (!"-".equals(header[0])) {
            long[] millis = new long[1];
            if (Timestamps.scanIso(header[0], 0, header[0].length(), true, millis) != header[0].length()) {
                return null;
            }
            timestamp = header[0];
            epochMillis = millis[0];
        }
        // structured data: "-" or one or more [id param="value" ...] elements, where \] \" \\ are escaped
        if (i >= n) {
            return null;
        }
        if (line.charAt(i) == '-') {
            i++;
        } else if (line.charAt(i) == '[') {
            while (i < n && line.charAt(i) == '[') {
                boolean quoted = false;
                i++;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        quoted = !quoted;
                    } else if (c == ']' && !quoted) {
                        break;
                    }
                    i++;
                }
                if (i >= n) {
                    return null;
                }
                i++;
            }
        } else {
            return null;
        }
        String message = null;
        if (i < n) {
            if (line.charAt(i) != ' ') {
                return null;
            }
            i++;
            // MSG may be marked as UTF-8 by a BOM
            if (i < n && line.charAt(i) == '\uFEFF') {
                i++;
            }
            message = line.substring(i);
        }
        String level = message == null ? null : levelWord(message, 0, message.length());
        return new LogEvent(LogFormat.TEXT, timestamp, epochMillis, nil(header[2]), nil(header[1]),
                level != null ? level : SYSLOG_SEVERITIES[pri & 7], message, List.of(),
                List.of(FieldValue.text(LINE_FIELD, line)), null);
    }

    /**
     * {@code <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG} (also with an RFC 3339 timestamp, as rsyslog writes it).
     * Without a year the classic timestamp has no epoch value.
     *
     * @param i   where the timestamp starts
     * @param pri the priority, or -1 for a line without {@code <PRI>} (then the level is only what MSG says)
     */
    private static LogEvent rfc3164(String line, int i, int pri) {
        int n = line.length();
        String timestamp;
        Long epochMillis = null;
        long[] millis = new long[1];
        int tsEnd = Timestamps.scanIso(line, i, n, true, millis);
        if (tsEnd > 0) {
            epochMillis = millis[0];
        } else if (isClassicTimestamp(line, i)) {
            tsEnd = i + 15;
        } else {
            return null;
        }
        if (tsEnd >= n || line.charAt(tsEnd) != ' ') {
            return null;
        }
        timestamp = line.substring(i, tsEnd);
        i = tsEnd + 1;
        String host = null;
        String service = null;
        int end1 = tokenEnd(line, i, n);
        if (end1 == i) {
            return null;
        }
        int msgStart;
        if (line.charAt(end1 - 1) == ':') {
            service = tagName(line, i, end1);
            msgStart = end1;
        } else {
            host = line.substring(i, end1);
            int start2 = end1 < n ? end1 + 1 : n;
            int end2 = tokenEnd(line, start2, n);
            if (end2 > start2 && line.charAt(end2 - 1) == ':') {
                service = tagName(line, start2, end2);
                msgStart = end2;
            } else {
                msgStart = start2;
            }
        }
        if (msgStart < n && line.charAt(msgStart) == ' ') {
            msgStart++;
        }
        String message = msgStart < n ? line.substring(msgStart) : null;
        String level = message == null ? null : levelWord(message, 0, message.length());
        return new LogEvent(LogFormat.TEXT, timestamp, epochMillis, service, host,
                level != null || pri < 0 ? level : SYSLOG_SEVERITIES[pri & 7], message, List.of(),
                List.of(FieldValue.text(LINE_FIELD, line)), null);
    }

    /** {@code Nov 21 10:15:30} or {@code Nov  1 10:15:30}: exactly 15 characters. */
    private static boolean isClassicTimestamp(String s, int i) {
        if (s.length() - i < 15) {
            return false;
        }
        boolean month = false;
        for (String m : MONTHS) {
            if (s.startsWith(m, i)) {
                month = true;
                break;
            }
        }
        return month && s.charAt(i + 3) == ' '
                && (s.charAt(i + 4) == ' ' || isDigit(s.charAt(i + 4))) && isDigit(s.charAt(i + 5))
                && s.charAt(i + 6) == ' '
                && isDigit(s.charAt(i + 7)) && isDigit(s.charAt(i + 8)) && s.charAt(i + 9) == ':'
                && isDigit(s.charAt(i + 10)) && isDigit(s.charAt(i + 11)) && s.charAt(i + 12) == ':'
                && isDigit(s.charAt(i + 13)) && isDigit(s.charAt(i + 14));
    }

    /** The app name of a tag token such as {@code app[123]:} or {@code app:}; null when empty. */
    private static String tagName(String s, int start, int end) {
        int j = start;
        while (j < end && s.charAt(j) != '[' && s.charAt(j) != ':') {
            j++;
        }
        return j > start ? s.substring(start, j) : null;
    }

    /**
     * A level word among the first {@link #LEVEL_TOKENS} tokens from {@code from}, as written: a whole token once
     * surrounding punctuation is stripped ({@code [ERROR]}, {@code warn:}), or the value of a {@code level=} /
     * {@code lvl=} token.
     */
    static String levelWord(String s, int from, int n) {
        int i = from;
        for (int token = 0; token < LEVEL_TOKENS; token++) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return null;
            }
            int end = tokenEnd(s, i, n);
            int a = i;
            int b = end;
            while (a < b && !isLetter(s.charAt(a))) {
                a++;
            }
            while (b > a && !isLetter(s.charAt(b - 1))) {
                b--;
            }
            if (b > a) {
                int eq = a;
                while (eq < b && s.charAt(eq) != '=') {
                    eq++;
                }
                if (eq < b) {
                    if (s.regionMatches(true, a, "level", 0, eq - a) && eq - a == 5
                            || s.regionMatches(true, a, "lvl", 0, eq - a) && eq - a == 3) {
                        int v = eq + 1;
                        while (v < b && !isLetter(s.charAt(v))) {
                            v++;
                        }
                        return v < b ? s.substring(v, b) : null;
                    }
                } else if (isLevelWord(s, a, b - a)) {
                    return s.substring(a, b);
                }
            }
            i = end;
        }
        return null;
    }

    private static boolean isLevelWord(String s, int start, int len) {
        // Most tokens fail on length or first letter; regionMatches(ignoreCase) per word was ~7% of text parsing.
        if (len < 3 || len > 8) {
            return false;
        }
        switch (s.charAt(start)) {
            case 'T': case 't': case 'D': case 'd': case 'I': case 'i': case 'W': case 'w':
            case 'E': case 'e': case 'F': case 'f': case 'C': case 'c':
                break;
            default:
                return false;
        }
        for (String w : LEVEL_WORDS) {
            if (w.length() == len && s.regionMatches(true, start, w, 0, len)) {
                return true;
            }
        }
        return false;
    }

    private static String nil(String value) {
        return "-".equals(value) ? null : value;
    }

    private static int tokenEnd(String s, int i, int n) {
        while (i < n && !isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || isDigit(c);
    }
}
