package dev.faultline.ops;

/**
 * Makes text copied from logs safe to put into alerts, webhooks and HTTP responses that people read
 * in terminals, chat tools and e-mail.
 *
 * <p>Stricter than the CLI's terminal sanitizer: besides C0/C1 controls, DEL and the Unicode line
 * separators (escaped, so no CR/LF or ANSI/OSC injection), it escapes the bidirectional overrides
 * and isolates (U+202A..U+202E, U+2066..U+2069: text that displays differently from what it is),
 * replaces unpaired surrogates with U+FFFD (they are not valid UTF-8 and make Alertmanager reject a
 * whole batch), and caps the length, so one huge log line cannot produce a huge notification.
 */
public final class SafeText {
    /** Default cap for annotation values. */
    public static final int DEFAULT_MAX_CHARS = 2048;
    /** Cap for label values (labels are identity; they should be short). */
    public static final int LABEL_MAX_CHARS = 256;

    private static final String ELLIPSIS = "…";

    private SafeText() {
    }

    /** {@link #escape(String, int)} with {@link #DEFAULT_MAX_CHARS}. */
    public static String escape(String text) {
        return escape(text, DEFAULT_MAX_CHARS);
    }

    /**
     * Escapes control, line-separator and bidi characters as {@code \n}, {@code \r}, {@code \t} or
     * {@code \\uXXXX}, replaces unpaired surrogates with U+FFFD, and cuts the result to at most
     * {@code maxChars} characters (ending with "…" when cut, never splitting a surrogate pair or
     * an escape). {@code null} becomes the empty string.
     */
    public static String escape(String text, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive");
        }
        if (text == null) {
            return "";
        }
        if (text.length() <= maxChars && isClean(text)) {
            return text;
        }
        int budget = maxChars - ELLIPSIS.length();
        StringBuilder sb = new StringBuilder(Math.min(text.length(), maxChars) + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String piece;
            int consumed = 1;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                piece = text.substring(i, i + 2);
                consumed = 2;
            } else if (Character.isSurrogate(c)) {
                piece = "\uFFFD";
            } else if (needsEscape(c)) {
                piece = escapeChar(c);
            } else {
                piece = null;
            }
            int len = piece == null ? 1 : piece.length();
            boolean last = i + consumed >= text.length();
            if (sb.length() + len > (last ? maxChars : budget)) {
                return sb.append(ELLIPSIS).toString();
            }
            if (piece == null) {
                sb.append(c);
            } else {
                sb.append(piece);
            }
            i += consumed - 1;
        }
        return sb.toString();
    }

    private static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static boolean needsEscape(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c'
                || c == '\ufeff';
    }

    private static String escapeChar(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                return String.format("\\u%04x", (int) c);
        }
    }

    /** Stack depth of causes {@link #forLog(Throwable)} copies; deeper ones are dropped. */
    private static final int MAX_CAUSES = 8;

    /**
     * A copy of {@code t} to hand to a logger: the same class name (in the message), stack traces
     * and causes, but every message {@linkplain #escape(String) escaped}, so text from a log record
     * that ended up in an exception message cannot forge log lines or inject terminal escapes
     * through a logged stack trace. {@code null} stays {@code null}.
     */
    public static Throwable forLog(Throwable t) {
        return forLog(t, 0);
    }

    private static Throwable forLog(Throwable t, int depth) {
        if (t == null || depth > MAX_CAUSES) {
            return null;
        }
        Escaped copy = new Escaped(t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + escape(t.getMessage())), forLog(t.getCause(), depth + 1));
        copy.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            Throwable sc = forLog(s, depth + 1);
            if (sc != null) {
                copy.addSuppressed(sc);
            }
        }
        return copy;
    }

    /** What {@link #forLog(Throwable)} returns: prints as the original ({@code class: escaped message}). */
    private static final class Escaped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Escaped(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
