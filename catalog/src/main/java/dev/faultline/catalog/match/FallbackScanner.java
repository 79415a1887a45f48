package dev.faultline.catalog.match;

/**
 * The string fallback: one left-to-right pass over a text, cutting it into tokens and probing the
 * {@link TokenTable} with each. Linear in the text; no regex, no substring per token.
 *
 * <p>A token is a run of word characters ({@code [A-Za-z0-9_]} and non-ASCII letters or digits; one outside the
 * Basic Multilingual Plane next to a token also makes it no code) in which a single {@code .} or {@code -}
 * between two word characters joins rather than splits; a {@code -} directly before a digit and after a
 * non-word character is a sign. So
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
     * 1 where the char is a word char, for the whole char range: one array load per char, no ASCII range test and
     * no Character.isLetterOrDigit call on the hot path. 64 KB, shared; the walk over the benchmark corpus's text
     * fields was ~10% faster than with an ASCII table plus a range test (thread CPU time). Bytes, not booleans, so
     * a char's entry can be shifted straight into a block mask.
     */
    private static final byte[] WORD = new byte[Character.MAX_VALUE + 1];

    static {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            boolean word = c < 128
                    ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    : Character.isLetterOrDigit((char) c);
            WORD[c] = (byte) (word ? 1 : 0);
        }
    }

    private final TokenTable table;

    FallbackScanner(TokenTable table) {
        this.table = table;
    }

    static boolean isWord(char c) {
        return WORD[c] != 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Tokens are found from a bitmask of the word chars of each 64-char block ({@code words}, bit {@code i} for
     * char {@code base + i}): a run's start and end are a numberOfTrailingZeros each, where a char-by-char walk
     * took one hard-to-predict branch per word end; the mask itself is built without branches. Only a run's edges
     * are read again, for a sign before it and a joiner after it. Tokens are hashed only once the table's
     * length and first-chars filter passes (~10% of them), not during the walk. Together ~1.1x faster than the
     * hashing char walk on the benchmark corpus's text fields, ~5% on matchOnly (thread CPU time).
     */
    void scan(String text, Sink sink) {
        int n = text.length();
        int base = 0;
        long words = wordMask(text, 0, n);
        int pos = 0; // chars before pos belong to tokens already reported or are not word chars
        while (true) {
            // Shift counts are taken mod 64 and base is a multiple of 64, so shifting by an absolute position
            // that lies in the block selects the bits from that position on.
            long pending = words & (-1L << pos);
            while (pending == 0) {
                base += 64;
                if (base >= n) {
                    return;
                }
                pending = words = wordMask(text, base, n);
            }
            int run = base + Long.numberOfTrailingZeros(pending);
            // A '-' before this run cannot be a joiner (it would have joined the run to the token before), so
            // before a digit it is a sign.
            int start = run > 0 && text.charAt(run - 1) == '-' && isDigit(text.charAt(run)) ? run - 1 : run;
            int end;
            while (true) {
                long after = ~words & (-1L << run);
                while (after == 0) {
                    base += 64;
                    if (base >= n) {
                        break; // the run ends the text
                    }
                    words = wordMask(text, base, n);
                    after = ~words;
                }
                end = after == 0 ? n : base + Long.numberOfTrailingZeros(after);
                char c;
                if (end + 1 < n && ((c = text.charAt(end)) == '.' || c == '-') && isWord(text.charAt(end + 1))) {
                    run = end + 1; // joined: the token goes on with the next run
                    if (run - base == 64) {
                        base += 64;
                        words = wordMask(text, base, n);
                    }
                    continue;
                }
                break;
            }
            report(table, text, start, end, sink);
            if (end >= n) {
                return;
            }
            pos = end;
        }
    }

    /** Kept out of the walk's loop: the form that measured fastest (thread CPU time). */
    private static void report(TokenTable table, String text, int start, int end, Sink sink) {
        TokenInfo info = table.get(text, start, end);
        if (info != null && (!info.contextOnly() || hasCodeContext(text, start, end))
                && !nextToSupplementaryLetter(text, start, end)) {
            sink.accept(info, start, end);
        }
    }

    /**
     * Whether a letter or digit outside the Basic Multilingual Plane (a surrogate pair, which the char table cannot
     * classify) touches {@code [start, end)}: then, as with {@code ÄE2001}, the token goes on into it. Checked only
     * for known tokens, so prose pays nothing.
     */
    static boolean nextToSupplementaryLetter(String text, int start, int end) {
        return (start > 1 && Character.isLowSurrogate(text.charAt(start - 1))
                && Character.isLetterOrDigit(text.codePointBefore(start)))
                || (end + 1 < text.length() && Character.isHighSurrogate(text.charAt(end))
                && Character.isLetterOrDigit(text.codePointAt(end)));
    }

    /** Bit {@code i} set: {@code text[base + i]} is a word char; bits at and past {@code n} are 0. */
    private static long wordMask(String text, int base, int n) {
        int end = Math.min(base + 64, n);
        long mask = 0;
        for (int i = base; i < end; i++) {
            mask |= (long) WORD[text.charAt(i)] << i; // shift count mod 64: i - base
        }
        return mask;
    }

    /**
     * Whether the text marks {@code [start, end)} as a code: enclosed in brackets ({@code (-32013)},
     * {@code [CONFLICT]}), or preceded by a code cue ({@code code=}, {@code error_code: },
     * {@code errorCode=}, {@code error }, {@code err=}, {@code errno }, {@code rpc }) with an
     * optional {@code =} or {@code :} and blanks (spaces, tabs) between. Quotes as JSON, Python or logfmt put
     * them are allowed around the cue and the token ({@code "code":-32013}, {@code 'code': -32013},
     * {@code code="-32013"}, {@code "error_code":"Exists"}): a JSON-RPC envelope written into a message, or a
     * text record that is a JSON-RPC batch, has no other stage to find its code.
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
        if (i >= 0 && isQuote(text.charAt(i))) {
            i--; // the token's opening quote
        }
        int beforeBlanks = i;
        while (i >= 0 && isBlank(text.charAt(i))) {
            i--;
        }
        if (i >= 0 && (text.charAt(i) == '=' || text.charAt(i) == ':')) {
            i--;
            while (i >= 0 && isBlank(text.charAt(i))) {
                i--;
            }
            if (i >= 0 && isQuote(text.charAt(i))) {
                i--; // the cue's closing quote: "code":
            }
        } else if (i == beforeBlanks) {
            return false; // the token (or its quote) directly follows a non-blank, non-separator character
        }
        int wordEnd = i + 1;
        while (i >= 0 && (isWord(text.charAt(i)) || text.charAt(i) == '.')) {
            i--;
        }
        int wordStart = i + 1;
        return wordEnd > wordStart && isCue(text, wordStart, wordEnd);
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
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
