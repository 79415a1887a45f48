package dev.faultline.catalog.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A form of code a source system reserves for one category: Nefia's {@code E2xxx} is SSH. It says what an
 * unregistered code of that form is about, a code newer than the catalog, say.
 *
 * @param pattern  literal characters followed by one or more {@code x}, each standing for one ASCII digit
 *                 ({@code E81xx}: {@code E81} and two digits)
 * @param category the source system's category for codes of this form
 */
public record CodeFamily(String pattern, String category) {
    /** Literal prefix of word characters (one at least), then the digit placeholders. */
    public static final Pattern FORM = Pattern.compile("[A-Za-z0-9_.-]*[A-Za-wyz0-9_.-]x+");
    public static final int MAX_PATTERN_CHARS = 32;

    public CodeFamily {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(category, "category");
        if (pattern.length() > MAX_PATTERN_CHARS || !FORM.matcher(pattern).matches()) {
            throw new IllegalArgumentException("not a code family pattern: " + pattern);
        }
    }

    /** The literal characters before the placeholders. */
    public String prefix() {
        int end = pattern.length();
        while (pattern.charAt(end - 1) == 'x') {
            end--;
        }
        return pattern.substring(0, end);
    }

    /** Whether {@code code} has this form: the prefix, then exactly as many digits as placeholders. */
    public boolean matches(String code) {
        if (code.length() != pattern.length()) {
            return false;
        }
        String prefix = prefix();
        if (!code.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
