package dev.faultline.catalog.event;

/**
 * Allocation-free timestamp parsing for the hot path: ISO-8601 / RFC 3339 date-times and epoch numbers.
 * Hand-written rather than {@code java.time} because every event carries a timestamp and the formatter
 * route costs several allocations and an exception per unparseable value.
 */
final class Timestamps {

    /** Marks "no timestamp": a real epoch value this small is nonsense in a log anyway. */
    static final long NONE = Long.MIN_VALUE;

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private Timestamps() {
    }

    /** Epoch millis of a timestamp value as written in a structured field (ISO text or an epoch number). */
    static long parseValue(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        char c0 = text.charAt(0);
        if (c0 >= '0' && c0 <= '9' && looksNumeric(text)) {
            return fromEpochNumber(text);
        }
        return isoExact(text);
    }

    /** A whole string as an ISO date-time, or {@link #NONE}. No out-parameter: this runs once per event. */
    static long isoExact(String text) {
        return scan(text, 0, text.length(), false, null);
    }

    /**
     * An epoch number whose unit is guessed by magnitude: seconds (&lt; 1e11, may be fractional), millis
     * (&lt; 1e14), micros (&lt; 1e17), else nanos.
     */
    static long fromEpochNumber(String text) {
        int n = text.length();
        if (n == 0 || n > 40) {
            return NONE;
        }
        boolean integer = true;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                integer = false;
                break;
            }
        }
        if (integer) {
            try {
                return scaleInteger(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return NONE; // beyond a long: no real log time (nanos overflow in 2262)
            }
        }
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return NONE;
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            return NONE;
        }
        if (d < 1e11) {
            return (long) Math.floor(d * 1000.0);
        }
        if (d < 1e14) {
            return (long) Math.floor(d);
        }
        if (d < 1e17) {
            return (long) Math.floor(d / 1000.0);
        }
        if (d < 9.2e24) {
            return (long) Math.floor(d / 1_000_000.0);
        }
        return NONE;
    }

    private static long scaleInteger(long v) {
        if (v < 0) {
            return NONE;
        }
        if (v < 100_000_000_000L) {
            return v * 1000L;
        }
        if (v < 100_000_000_000_000L) {
            return v;
        }
        if (v < 100_000_000_000_000_000L) {
            return v / 1000L;
        }
        return v / 1_000_000L;
    }

    /** Digits with dots, exponents and exponent signs: what a JSON number or an epoch string looks like. */
    private static boolean looksNumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                return false;
            }
            if ((c == '-' || c == '+') && i > 0 && s.charAt(i - 1) != 'e' && s.charAt(i - 1) != 'E') {
                return false; // a date like 2026-11-21, not an exponent sign
            }
        }
        return true;
    }

    /**
     * Scans an ISO-8601 date-time starting at {@code start}: {@code YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)fraction]]]
     * [Z|z|±HH[:]MM|±HH]}. Without a zone the time is taken as UTC (many loggers omit it; UTC is the least
     * surprising reading). Fractions beyond milliseconds are truncated.
     *
     * @param requireTime whether a date alone is rejected (the text scanner wants a full date-time)
     * @param out         receives the epoch millis in {@code out[0]} on success
     * @return the index just past the date-time, or {@code -1} when there is none at {@code start}
     */
    static int scanIso(CharSequence s, int start, int end, boolean requireTime, long[] out) {
        // One pass gives both: the millis of the date-time that ends at stop are what a scan of [start, stop)
        // would compute, since every test that looks at the end passes the same way within it.
        long stop = scan(s, start, end, requireTime, out);
        return stop == NONE ? -1 : (int) stop;
    }

    /**
     * The scanner behind both entry points.
     *
     * @param out null: return the epoch millis, and only if the date-time fills {@code [start, end)} exactly;
     *            otherwise: return where the date-time ends and put its epoch millis in {@code out[0]}
     * @return as above, or {@link #NONE}
     */
    private static long scan(CharSequence s, int start, int end, boolean requireTime, long[] out) {
        int i = start;
        if (end - i < 10) {
            return NONE;
        }
        int year = digits(s, i, 4);
        if (year < 0 || s.charAt(i + 4) != '-') {
            return NONE;
        }
        int month = digits(s, i + 5, 2);
        if (month < 1 || month > 12 || s.charAt(i + 7) != '-') {
            return NONE;
        }
        int day = digits(s, i + 8, 2);
        if (day < 1 || day > daysInMonth(year, month)) {
            return NONE;
        }
        i += 10;
        long days = daysFromCivil(year, month, day);
        if (i >= end || !isTimeSeparator(s.charAt(i)) || end - i < 6) {
            if (requireTime) {
                return NONE;
            }
            return result(days * MILLIS_PER_DAY, i, end, out);
        }
        int hour = digits(s, i + 1, 2);
        if (hour < 0 || hour > 23 || s.charAt(i + 3) != ':') {
            if (requireTime) {
                return NONE;
            }
            return result(days * MILLIS_PER_DAY, i, end, out);
        }
        int minute = digits(s, i + 4, 2);
        if (minute < 0 || minute > 59) {
            return NONE;
        }
        i += 6;
        int second = 0;
        int millis = 0;
        if (end - i >= 3 && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            // 60 is a leap second, which RFC 3339 allows; it simply rolls into the next minute
            if (second < 0 || second > 60) {
                return NONE;
            }
            i += 3;
            if (i < end && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                int j = i + 1;
                int scale = 100;
                while (j < end && isDigit(s.charAt(j))) {
                    if (scale > 0) {
                        millis += (s.charAt(j) - '0') * scale;
                        scale /= 10;
                    }
                    j++;
                }
                if (j == i + 1) {
                    return NONE;
                }
                i = j;
            }
        }
        long offsetMinutes = 0;
        if (i < end) {
            char z = s.charAt(i);
            if (z == 'Z' || z == 'z') {
                i++;
            } else if ((z == '+' || z == '-') && end - i >= 3) {
                int oh = digits(s, i + 1, 2);
                if (oh < 0 || oh > 23) {
                    return NONE;
                }
                int j = i + 3;
                int om = 0;
                if (j < end && s.charAt(j) == ':') {
                    om = end - j >= 3 ? digits(s, j + 1, 2) : -1;
                    j += 3;
                } else if (end - j >= 2 && isDigit(s.charAt(j))) {
                    om = digits(s, j, 2);
                    j += 2;
                }
                if (om < 0 || om > 59) {
                    return NONE;
                }
                offsetMinutes = (z == '-' ? -1 : 1) * (oh * 60L + om);
                i = j;
            }
        }
        return result(days * MILLIS_PER_DAY + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis
                - offsetMinutes * 60_000L, i, end, out);
    }

    private static long result(long millis, int stop, int end, long[] out) {
        if (out != null) {
            out[0] = millis;
            return stop;
        }
        return stop == end ? millis : NONE;
    }

    private static boolean isTimeSeparator(char c) {
        return c == 'T' || c == 't' || c == ' ';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The value of {@code count} ASCII digits at {@code i}, or {@code -1}. */
    private static int digits(CharSequence s, int i, int count) {
        if (i + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < count; k++) {
            char c = s.charAt(i + k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
