package dev.faultline.catalog.match;

import dev.faultline.catalog.event.FieldKind;
import dev.faultline.catalog.event.FieldValue;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.model.CatalogEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The two-stage matcher. Immutable and thread-safe.
 *
 * <p>Stage one reads the event's typed code fields: a string value is looked up as a code; a
 * number is an RPC code only in an RPC field ({@link FieldKind#RPC}) and ignored elsewhere; a
 * value no catalog holds is reported as unknown. Stage two scans the message-like fields. A code
 * found by both stages, or twice, is reported once (the first finding wins, typed before
 * fallback). An ambiguous finding whose candidates include an entry the same event names
 * unambiguously is folded into that entry: the event itself decides.
 */
public final class Matcher {
    /** Bounds per event, so one hostile line cannot produce an unbounded result. */
    public static final int MAX_ERRORS_PER_EVENT = 16;
    public static final int MAX_UNKNOWN_PER_EVENT = 8;
    public static final int MAX_CODE_CHARS = 128;

    private static final Comparator<CatalogEntry> CANDIDATE_ORDER =
            Comparator.comparing(CatalogEntry::catalog).thenComparing(CatalogEntry::code);

    private final CatalogIndex index;
    private final TokenTable table;
    private final FallbackScanner scanner;
    private final List<ServiceBinding> bindings;

    public Matcher(CatalogIndex index, List<ServiceBinding> bindings) {
        this.index = index;
        this.table = index.table();
        this.scanner = new FallbackScanner(table);
        this.bindings = List.copyOf(bindings);
    }

    public CatalogIndex index() {
        return index;
    }

    public MatchResult match(LogEvent event) {
        Collector found = new Collector(scopeOf(event.service()));
        for (FieldValue fv : event.codeFields()) {
            typed(fv, found);
        }
        for (FieldValue fv : event.textFields()) {
            String text = fv.value();
            scanner.scan(text, (info, start, end) ->
                    found.add(info, text.substring(start, end), MatchStage.FALLBACK, fv.field()));
        }
        return found.result();
    }

    private void typed(FieldValue fv, Collector found) {
        String value = fv.value().strip();
        if (value.isEmpty() || value.length() > MAX_CODE_CHARS) {
            return;
        }
        boolean rpcField = fv.spec() != null && fv.spec().kind() == FieldKind.RPC;
        if (fv.numeric()) {
            if (!rpcField) {
                return; // a number in a non-RPC field (an HTTP status, a count) is not an error code
            }
            value = normalizeInteger(value);
            if (value == null) {
                return;
            }
        }
        TokenInfo info = table.get(value);
        if (info != null && info.rpc() == fv.numeric()) {
            found.add(info, fv.value().strip(), MatchStage.TYPED, fv.field());
        } else {
            found.unknown(new UnknownCode(fv.field(), value));
        }
    }

    /** {@code "-32601"}, {@code "-32601.0"} and {@code " -32601"} all mean -32601; non-integers are not RPC codes. */
    private static String normalizeInteger(String value) {
        try {
            if (value.indexOf('.') >= 0 || value.indexOf('e') >= 0 || value.indexOf('E') >= 0) {
                double d = Double.parseDouble(value);
                if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                    return null;
                }
                return Long.toString((long) d);
            }
            return Long.toString(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The catalogs the event's service is bound to, or {@code null} when no binding applies. */
    private List<String> scopeOf(String service) {
        if (service == null) {
            return null;
        }
        for (ServiceBinding b : bindings) {
            if (b.matches(service)) {
                return b.catalogs();
            }
        }
        return null;
    }

    /** Accumulates one event's findings, deduplicated and bounded. */
    private static final class Collector {
        private final List<String> scope;
        private final List<ErrorMatch> errors = new ArrayList<>(2);
        private final Set<String> seen = new LinkedHashSet<>();
        private List<UnknownCode> unknown;

        Collector(List<String> scope) {
            this.scope = scope;
        }

        void add(TokenInfo info, String matched, MatchStage stage, String field) {
            if (errors.size() >= MAX_ERRORS_PER_EVENT) {
                return;
            }
            List<CatalogHit> hits = info.hits();
            CatalogHit chosen = null;
            List<CatalogHit> considered = hits;
            if (hits.size() == 1) {
                chosen = hits.get(0);
            } else if (scope != null) {
                List<CatalogHit> inScope = new ArrayList<>(hits.size());
                for (CatalogHit h : hits) {
                    if (scope.contains(h.catalog())) {
                        inScope.add(h);
                    }
                }
                if (inScope.size() == 1) {
                    chosen = inScope.get(0);
                } else if (inScope.size() > 1) {
                    considered = inScope;
                }
            }
            ErrorMatch match;
            if (chosen != null && chosen.owner() != null) {
                match = new ErrorMatch(chosen.owner(), List.of(), matched, stage, field);
            } else {
                List<CatalogEntry> candidates = new ArrayList<>();
                for (CatalogHit h : chosen != null ? List.of(chosen) : considered) {
                    candidates.addAll(h.meanings());
                }
                candidates.sort(CANDIDATE_ORDER);
                match = new ErrorMatch(null, candidates, matched, stage, field);
            }
            if (seen.add(keyOf(match))) {
                errors.add(match);
            }
        }

        void unknown(UnknownCode code) {
            if (unknown == null) {
                unknown = new ArrayList<>(1);
            }
            if (unknown.size() < MAX_UNKNOWN_PER_EVENT && !unknown.contains(code)) {
                unknown.add(code);
            }
        }

        MatchResult result() {
            if (errors.isEmpty() && unknown == null) {
                return MatchResult.EMPTY;
            }
            List<ErrorMatch> out = errors;
            if (errors.size() > 1) {
                out = foldAmbiguous();
            }
            return new MatchResult(out, unknown == null ? List.of() : unknown);
        }

        private List<ErrorMatch> foldAmbiguous() {
            Set<String> resolved = new LinkedHashSet<>();
            for (ErrorMatch m : errors) {
                if (!m.ambiguous()) {
                    resolved.add(m.entry().key());
                }
            }
            List<ErrorMatch> out = new ArrayList<>(errors.size());
            for (ErrorMatch m : errors) {
                if (m.ambiguous() && m.candidates().stream().anyMatch(c -> resolved.contains(c.key()))) {
                    continue;
                }
                out.add(m);
            }
            return out;
        }

        private static String keyOf(ErrorMatch m) {
            if (!m.ambiguous()) {
                return m.entry().key();
            }
            StringBuilder sb = new StringBuilder("?");
            for (CatalogEntry c : m.candidates()) {
                sb.append(c.key()).append('|');
            }
            return sb.toString();
        }
    }
}
