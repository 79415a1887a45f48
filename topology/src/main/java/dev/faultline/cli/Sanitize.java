package dev.faultline.cli;

/**
 * Escapes control characters in text copied from logs or files before it reaches a terminal or a
 * log line, so that no input can inject CR/LF (forged lines) or ANSI escape sequences, nor use bidi
 * controls to make a line display differently from what it is.
 */
public final class Sanitize {
    private Sanitize() {
    }

    public static String forTerminal(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u200e' || c == '\u200f' || c == '\u061c' || c == '\ufeff';
            if (control && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (!control) {
                    sb.append(c);
                } else if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else if (c == '\t') {
                    sb.append("\\t");
                } else {
                    sb.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return sb == null ? text : sb.toString();
    }
}
