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
    /**
     * Bit {@code (c0 << 7) | c1} set: some token starts with the ASCII pair c0 c1. Prose words pass the first-char
     * test often (the tables hold lower-case words such as {@code not_found}): on the benchmark corpus 23% of the
     * words reached the hash probe, and the lookups were ~20% of the scan's CPU time; with the pair test, 10% do.
     */
    private final long[] firstPairs = new long[128 * 128 / 64];
    /** Whether some token's second char is not ASCII: then such regions go on to the probe. */
    private final boolean nonAsciiSecond;
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
        boolean nonAscii = false;
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
            if (key.length() >= 2) {
                char second = key.charAt(1);
                if (first < 128 && second < 128) {
                    int pair = (first << 7) | second;
                    firstPairs[pair >>> 6] |= 1L << pair;
                } else {
                    nonAscii = true;
                }
            }
        }
        nonAsciiSecond = nonAscii;
        minLength = entries.isEmpty() ? 1 : min;
        maxLength = max;
        firstCharsLow = low;
        firstCharsHigh = high;
        size = entries.size();
    }

    int size() {
        return size;
    }

    /**
     * The info for {@code text[from, to)}, or {@code null}. Allocation-free. The region is hashed only after the
     * filters pass: most regions the scanner probes are rejected by them, and hashing is a chain of dependent
     * multiplies over every char.
     */
    TokenInfo get(CharSequence text, int from, int to) {
        if (!mayHold(text, from, to)) {
            return null;
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + text.charAt(i);
        }
        return probe(text, from, to, h);
    }

    /** The length, first-char and first-pair filters: most prose words stop here, before any probe. */
    private boolean mayHold(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < minLength || length > maxLength) {
            return false;
        }
        char first = text.charAt(from);
        boolean firstOk = first < 64 ? (firstCharsLow & (1L << first)) != 0
                : first < 128 && (firstCharsHigh & (1L << (first - 64))) != 0;
        if (!firstOk || length == 1) {
            return firstOk;
        }
        char second = text.charAt(from + 1);
        if (second >= 128) {
            return nonAsciiSecond;
        }
        int pair = (first << 7) | second;
        return (firstPairs[pair >>> 6] & (1L << pair)) != 0;
    }

    private TokenInfo probe(CharSequence text, int from, int to, int hash) {
        int length = to - from;
        int h = spread(hash);
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
