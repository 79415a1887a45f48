package dev.faultline.catalog.match;

import java.util.List;

/**
 * One token of the index.
 *
 * @param token       the literal token
 * @param rpc         the token is a JSON-RPC number ({@code -32601})
 * @param contextOnly in free text it counts only with code context ({@code code=…}, {@code (…)}):
 *                    RPC numbers, single plain words and lower-case snake_case without a dot
 * @param hits        one per catalog that knows the token, in catalog load order
 */
record TokenInfo(String token, boolean rpc, boolean contextOnly, List<CatalogHit> hits) {
    TokenInfo {
        hits = List.copyOf(hits);
    }

    /**
     * Plain words ({@code CONFLICT}, {@code Exists}) and lower-case snake_case without a dot
     * ({@code not_found}) occur in ordinary prose and identifiers; they name an error only where
     * the text says it is a code. Everything with a digit, an upper-case word joined by
     * {@code _}/{@code -}, or a dot ({@code auth.invalid_token}) is distinctive enough alone.
     */
    static boolean needsContext(String token, boolean rpc) {
        if (rpc) {
            return true;
        }
        boolean digit = false;
        boolean upper = false;
        boolean dot = false;
        boolean separator = false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c == '.') {
                dot = true;
            } else if (c == '_' || c == '-') {
                separator = true;
            }
        }
        if (digit || dot) {
            return false;
        }
        return !(separator && upper);
    }
}
