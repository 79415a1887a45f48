package dev.faultline.cli;

import dev.faultline.catalog.enrich.EnrichedEvent;
import dev.faultline.catalog.event.LogFormat;
import dev.faultline.catalog.event.UnreadableReason;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.MatchStage;
import dev.faultline.catalog.match.UnknownCode;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogSet;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The coverage table of {@code scan --summary}: per catalog, what was matched and how; what was
 * ambiguous or unknown; and the most frequent error-level lines that matched nothing, which is
 * where a catalog is missing something. Counting maps are capped so a huge input stays bounded.
 */
final class ScanSummary {
    static final int MAX_DISTINCT = 10_000;
    private static final int TOP = 10;
    private static final Set<String> ERROR_LEVELS = Set.of("error", "err", "fatal", "critical", "crit", "alert",
            "emerg", "emergency", "severe", "panic", "50", "60", "0", "1", "2", "3"); // pino's; syslog's (journald)

    private long events;
    private final Map<String, Long> formats = new TreeMap<>();
    private final Map<UnreadableReason, Long> unreadable = new EnumMap<>(UnreadableReason.class);
    private final Map<String, long[]> perCatalog = new LinkedHashMap<>(); // matched, typed, fallback
    private long ambiguous;
    private long eventsWithErrors;
    private final Map<String, Long> unknown = new HashMap<>();
    private final Map<String, Long> unmatchedErrorLines = new HashMap<>();

    ScanSummary(CatalogSet catalogs) {
        for (Catalog c : catalogs.catalogs()) {
            perCatalog.put(c.id(), new long[3]);
        }
    }

    void unreadable(UnreadableReason reason) {
        unreadable.merge(reason, 1L, Long::sum);
    }

    void event(EnrichedEvent e) {
        events++;
        formats.merge(e.event().format().wire(), 1L, Long::sum);
        if (!e.errors().isEmpty()) {
            eventsWithErrors++;
        }
        for (ErrorMatch m : e.errors()) {
            if (m.ambiguous()) {
                ambiguous++;
                continue;
            }
            long[] c = perCatalog.computeIfAbsent(m.entry().catalog(), k -> new long[3]);
            c[0]++;
            c[m.stage() == MatchStage.TYPED ? 1 : 2]++;
        }
        for (UnknownCode u : e.unknownCodes()) {
            bump(unknown, u.field() + "=" + u.value()
                    + (u.category() == null ? "" : " (" + u.catalog() + " " + u.category() + " by its form)"));
        }
        if (e.errors().isEmpty() && isErrorLevel(e.event().format(), e.event().level())) {
            String text = e.event().message() != null ? e.event().message() : "";
            bump(unmatchedErrorLines, shape(text));
        }
    }

    private static boolean isErrorLevel(LogFormat format, String level) {
        if (level == null) {
            return false;
        }
        if (format == LogFormat.OTLP && level.length() == 2 && level.compareTo("17") >= 0
                && level.compareTo("24") <= 0) {
            return true; // an OTel severityNumber without a severityText: ERROR (17) to FATAL4 (24)
        }
        return ERROR_LEVELS.contains(level.toLowerCase(Locale.ROOT));
    }

    /** Digits folded to '#' and length capped, so that the same line with other ids counts once. */
    static String shape(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 160));
        for (int i = 0; i < text.length() && sb.length() < 160; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '#') {
                    sb.append('#');
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void bump(Map<String, Long> counts, String key) {
        if (counts.containsKey(key) || counts.size() < MAX_DISTINCT) {
            counts.merge(key, 1L, Long::sum);
        }
    }

    void print(PrintWriter out) {
        long bad = unreadable.values().stream().mapToLong(Long::longValue).sum();
        out.println("events read: " + events + "  " + formats + "   unreadable records: " + bad
                + (bad == 0 ? "" : "  " + unreadable));
        out.println("events with errors: " + eventsWithErrors + "   ambiguous matches: " + ambiguous);
        out.println();
        out.printf("%-14s %10s %10s %10s%n", "CATALOG", "MATCHED", "TYPED", "FALLBACK");
        for (Map.Entry<String, long[]> e : perCatalog.entrySet()) {
            long[] c = e.getValue();
            out.printf("%-14s %10d %10d %10d%n", e.getKey(), c[0], c[1], c[2]);
        }
        out.printf("%-14s %10d%n", "(ambiguous)", ambiguous);
        out.println();
        out.println("unknown codes (typed fields no catalog holds): " + unknown.size() + " distinct");
        top(unknown).forEach((k, v) -> out.printf("  %8d  %s%n", v, Sanitize.forTerminal(k)));
        out.println();
        out.println("most frequent error-level lines that matched nothing:");
        top(unmatchedErrorLines).forEach((k, v) -> out.printf("  %8d  %s%n", v, Sanitize.forTerminal(k)));
        out.flush();
    }

    private static Map<String, Long> top(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
