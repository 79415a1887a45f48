package dev.faultline.topology;

/** Bounds and neutralizes text that came from logs before it reaches outputs people read. */
final class Text {
    private Text() {
    }

    /** Cuts to {@code max} chars (never splitting a surrogate pair), marking the cut with {@code …}. */
    static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int cut = Math.max(0, max - 1);
        if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "…";
    }

    /**
     * Control characters (C0, DEL, C1), the Unicode line and paragraph separators, and the bidi
     * controls and invisible marks that can disguise text (overrides, isolates, LRM/RLM/ALM, BOM)
     * written as visible {@code \\uXXXX}, so log text cannot forge lines, inject terminal escapes or
     * reorder what a chat client shows. The same set as {@code dev.faultline.ops.SafeText}.
     */
    static String escapeControls(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 || c == 0x200e || c == 0x200f
                    || c == 0x061c || c == 0xfeff;
            if (bad) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Escaped, then bounded. */
    static String safe(String s, int max) {
        return truncate(escapeControls(s), max);
    }
}
