package dev.faultline.catalog.match;

/**
 * The string fallback: one left-to-right pass over a text, cutting it into tokens and probing the
 * {@link TokenTable} with each. Linear in the text; no regex, no substring per token.
 *
 * <p>A token is a run of word characters ({@code [A-Za-z0-9_]} and non-ASCII letters or digits)
 * in which a single {@code .} or {@code -} between two word characters joins rather than splits;
 * a {@code -} directly before a digit and after a non-word character is a sign. So
 * {@code ORD-E2001-77}, {@code 0xE2001F}, {@code SSH_AUTH_FAILED_TOTAL},
 * {@code task.not_found_handler} and {@code -320011} are each one token that holds no code, while
 * {@code E2001.} and {@code (E2001)} hold {@code E2001}.
 */
final class FallbackScanner {
    /** Receives each token the table knows and its position. */
    interface Sink {
        void accept(TokenInfo info, int start, int end);
    }

    /**
     * Whether each char is a word char, for the whole char range: one array load per char, no ASCII range test and
     * no Character.isLetterOrDigit call on the hot path. 64 KB, shared; the walk over the benchmark corpus's text
     * fields was ~10% faster than with an ASCII table plus a range test (thread CPU time).
     */
    private static final boolean[] WORD = new boolean[Character.MAX_VALUE + 1];

    static {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            WORD[c] = c < 128
                    ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    : Character.isLetterOrDigit((char) c);
        }
    }

    private final TokenTable table;

    FallbackScanner(TokenTable table) {
        this.table = table;
    }

    static boolean isWord(char c) {
        return WORD[c];
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    void scan(String text, Sink sink) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int start = i;
            // The token's String.hashCode is computed during the walk, so the table probe does not read the
            // token a second time (re-hashing in TokenTable.get was 5.6% of faultline, JFR).
            int h;
            if (isWord(c)) {
                h = c;
                i++;
            } else if (c == '-' && i + 1 < n && isDigit(text.charAt(i + 1))) {
                // Only reached when the previous char is not a word char: joiners are consumed below.
                h = 31 * c + text.charAt(i + 1);
                i += 2;
            } else {
                i++;
                continue;
            }
            while (true) {
                while (i < n && isWord(c = text.charAt(i))) {
                    h = 31 * h + c;
                    i++;
                }
                // c is text[i] here whenever i < n
                if (i + 1 < n && (c == '.' || c == '-') && isWord(text.charAt(i + 1))) {
                    h = 31 * h + c;
                    i++;
                    continue;
                }
                break;
            }
            TokenInfo info = table.get(text, start, i, h);
            if (info != null && (!info.contextOnly() || hasCodeContext(text, start, i))) {
                sink.accept(info, start, i);
            }
        }
    }

    /**
     * Whether the text marks {@code [start, end)} as a code: enclosed in brackets ({@code (-32013)},
     * {@code [CONFLICT]}), or preceded by a code cue ({@code code=}, {@code error_code: },
     * {@code errorCode=}, {@code error }, {@code err=}, {@code errno }, {@code rpc }) with an
     * optional {@code =} or {@code :} and spaces between.
     */
    static boolean hasCodeContext(String text, int start, int end) {
        if (start > 0 && end < text.length()) {
            char before = text.charAt(start - 1);
            char after = text.charAt(end);
            if ((before == '(' && after == ')') || (before == '[' && after == ']')) {
                return true;
            }
        }
        int i = start - 1;
        while (i >= 0 && text.charAt(i) == ' ') {
            i--;
        }
        if (i >= 0 && (text.charAt(i) == '=' || text.charAt(i) == ':')) {
            i--;
            while (i >= 0 && text.charAt(i) == ' ') {
                i--;
            }
        } else if (i == start - 1) {
            return false; // the token directly follows a non-space, non-separator character
        }
        int wordEnd = i + 1;
        while (i >= 0 && (isWord(text.charAt(i)) || text.charAt(i) == '.')) {
            i--;
        }
        int wordStart = i + 1;
        return wordEnd > wordStart && isCue(text, wordStart, wordEnd);
    }

    private static final String[] CUES = {"code", "error", "err", "errno", "rpc"};

    /** A cue word is one of {@link #CUES}, or any identifier ending in {@code code} ({@code error_code}, {@code errorCode}). */
    private static boolean isCue(String text, int from, int to) {
        int length = to - from;
        if (length >= 4 && text.regionMatches(true, to - 4, "code", 0, 4)) {
            return true;
        }
        for (String cue : CUES) {
            if (cue.length() == length && text.regionMatches(true, from, cue, 0, length)) {
                return true;
            }
        }
        return false;
    }
}
