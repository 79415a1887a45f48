package dev.faultline.catalog.match;

import java.util.Map;

/**
 * An immutable open-addressing hash table from token to {@link TokenInfo} that is probed with a
 * region of a {@link CharSequence}, so the fallback scanner looks tokens up without cutting a
 * substring for each one. A {@code HashMap<String, …>} would need a String per probe, and the
 * scanner probes nearly every word of every message.
 */
final class TokenTable {
    private final String[] keys;
    private final int[] hashes;
    private final TokenInfo[] values;
    private final int mask;
    private final int minLength;
    private final int maxLength;
    // Bit i set: some token starts with ASCII char i. Most prose words are rejected here.
    private final long firstCharsLow;
    private final long firstCharsHigh;
    private final int size;

    TokenTable(Map<String, TokenInfo> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 3)) << 1;
        keys = new String[capacity];
        hashes = new int[capacity];
        values = new TokenInfo[capacity];
        mask = capacity - 1;
        int min = Integer.MAX_VALUE;
        int max = 0;
        long low = 0;
        long high = 0;
        for (Map.Entry<String, TokenInfo> e : entries.entrySet()) {
            String key = e.getKey();
            int h = spread(key.hashCode());
            int slot = h & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            hashes[slot] = h;
            values[slot] = e.getValue();
            min = Math.min(min, key.length());
            max = Math.max(max, key.length());
            char first = key.charAt(0);
            if (first < 64) {
                low |= 1L << first;
            } else if (first < 128) {
                high |= 1L << (first - 64);
            }
        }
        minLength = entries.isEmpty() ? 1 : min;
        maxLength = max;
        firstCharsLow = low;
        firstCharsHigh = high;
        size = entries.size();
    }

    int size() {
        return size;
    }

    /** The info for {@code text[from, to)}, or {@code null}. Allocation-free. */
    TokenInfo get(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < minLength || length > maxLength) {
            return null;
        }
        char first = text.charAt(from);
        if (first < 64 ? (firstCharsLow & (1L << first)) == 0
                : first >= 128 || (firstCharsHigh & (1L << (first - 64))) == 0) {
            return null;
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + text.charAt(i);
        }
        h = spread(h);
        int slot = h & mask;
        String key;
        while ((key = keys[slot]) != null) {
            if (hashes[slot] == h && key.length() == length && regionEquals(key, text, from)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    TokenInfo get(String token) {
        return get(token, 0, token.length());
    }

    private static boolean regionEquals(String key, CharSequence text, int from) {
        if (text instanceof String s) {
            return s.regionMatches(from, key, 0, key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) != text.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
