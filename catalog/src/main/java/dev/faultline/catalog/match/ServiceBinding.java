package dev.faultline.catalog.match;

import java.util.List;
import java.util.Objects;

/**
 * Binds services whose name matches a glob ({@code *} any run, {@code ?} one character) to the
 * catalogs their codes come from. Bindings are tried in order; the first match wins.
 */
public record ServiceBinding(String glob, List<String> catalogs) {
    public ServiceBinding {
        Objects.requireNonNull(glob, "glob");
        catalogs = List.copyOf(catalogs);
    }

    /** Iterative glob match with single-star backtracking: linear for one star, O(n·m) worst case, no regex. */
    public boolean matches(String service) {
        int s = 0;
        int g = 0;
        int starG = -1;
        int starS = 0;
        while (s < service.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == service.charAt(s))) {
                s++;
                g++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                starG = g++;
                starS = s;
            } else if (starG >= 0) {
                g = starG + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
