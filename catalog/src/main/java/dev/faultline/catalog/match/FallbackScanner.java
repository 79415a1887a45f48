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

    private static final boolean[] WORD = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            WORD[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            WORD[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            WORD[c] = true;
        }
        WORD['_'] = true;
    }

    private final TokenTable table;

    FallbackScanner(TokenTable table) {
        this.table = table;
    }

    static boolean isWord(char c) {
        return c < 128 ? WORD[c] : Character.isLetterOrDigit(c);
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
            if (isWord(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && isDigit(text.charAt(i + 1))) {
                // Only reached when the previous char is not a word char: joiners are consumed below.
                i += 2;
            } else {
                i++;
                continue;
            }
            while (true) {
                while (i < n && isWord(text.charAt(i))) {
                    i++;
                }
                if (i + 1 < n && (text.charAt(i) == '.' || text.charAt(i) == '-') && isWord(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                break;
            }
            TokenInfo info = table.get(text, start, i);
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
