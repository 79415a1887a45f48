package dev.faultline.catalog.match;

import dev.faultline.catalog.event.FieldKind;
import dev.faultline.catalog.event.FieldValue;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.model.CatalogEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
    /**
     * Findings of each kind held while an event is matched, before the folds and the cut to
     * {@link #MAX_ERRORS_PER_EVENT}: a code named after 16 others can still fold away a shared token's owner.
     */
    private static final int MAX_HELD = 2 * MAX_ERRORS_PER_EVENT;
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
        List<FieldValue> codeFields = event.codeFields();
        for (int i = 0, n = codeFields.size(); i < n; i++) {
            typed(codeFields.get(i), found);
        }
        // The collector is the scanner's sink: no lambda (and captured text) per field. Index loops, no
        // iterators: both showed up in the per-line allocation profile.
        List<FieldValue> textFields = event.textFields();
        for (int i = 0, n = textFields.size(); i < n; i++) {
            FieldValue fv = textFields.get(i);
            found.scanning(fv);
            scanner.scan(fv.value(), found);
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
            found.unknown(index.unknown(fv.field(), value, found.scope));
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

    /**
     * Accumulates one event's findings, deduplicated and bounded. Entries are compared with {@link #same}: by
     * identity first (the index holds one {@link CatalogEntry} object per {@code catalog:code}), else by catalog
     * and code, which is what comparing {@link CatalogEntry#key()} strings did, without building a key string and
     * a {@code LinkedHashSet} per event (~350 B and ~10% of match time, JFR).
     */
    private static final class Collector implements FallbackScanner.Sink {
        private final List<String> scope;
        /** Created on the first finding: most events have none. */
        private ArrayList<ErrorMatch> errors;
        private List<UnknownCode> unknown;
        /** The text field being scanned, for {@link #accept}. */
        private FieldValue scanned;
        /**
         * Unambiguous and ambiguous findings held, each bounded on its own and the result after folding: an
         * ambiguous finding must not take the place of the code that would resolve it.
         */
        private int resolved;
        private int ambiguous;
        /** Findings resolved from a shared token: bounded on their own too, since the fold may drop them. */
        private int fromShared;
        /**
         * For each finding in {@link #errors}: the entries that share the token it was found by, when that token is
         * shared inside a catalog ({@code E9001}: INTERNAL and SESSION_NOT_FOUND; for an ambiguous finding, every
         * such entry of its candidates' catalogs); else null. Created with the first finding from a shared token.
         */
        private ArrayList<List<CatalogEntry>> sharedBy;

        Collector(List<String> scope) {
            this.scope = scope;
        }

        void scanning(FieldValue field) {
            scanned = field;
        }

        @Override
        public void accept(TokenInfo info, int start, int end) {
            add(info, scanned.value().substring(start, end), MatchStage.FALLBACK, scanned.field());
        }

        void add(TokenInfo info, String matched, MatchStage stage, String field) {
            if (resolved >= MAX_HELD && ambiguous >= MAX_HELD && fromShared >= MAX_HELD) {
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
            List<CatalogEntry> shared = null;
            if (chosen != null && chosen.owner() != null) {
                shared = chosen.claimants().size() > 1 ? chosen.claimants() : null;
                int held = indexOf(chosen.owner());
                if (held >= 0) {
                    if (shared == null && sharedBy != null) {
                        sharedBy.set(held, null); // named by a token of its own too: never folded
                    }
                    return;
                }
                if (shared == null) {
                    if (resolved >= MAX_HELD) {
                        return;
                    }
                    resolved++;
                } else {
                    if (fromShared >= MAX_HELD) {
                        return;
                    }
                    fromShared++;
                }
                match = new ErrorMatch(chosen.owner(), List.of(), matched, stage, field);
            } else {
                if (ambiguous >= MAX_HELD) {
                    return;
                }
                List<CatalogEntry> candidates = new ArrayList<>();
                for (CatalogHit h : chosen != null ? List.of(chosen) : considered) {
                    candidates.addAll(h.meanings());
                    if (h.owner() != null && h.claimants().size() > 1) {
                        if (shared == null) {
                            shared = new ArrayList<>();
                        }
                        shared.addAll(h.claimants());
                    }
                }
                candidates.sort(CANDIDATE_ORDER);
                if (containsAmbiguous(candidates)) {
                    return;
                }
                match = new ErrorMatch(null, candidates, matched, stage, field);
                ambiguous++;
            }
            if (errors == null) {
                errors = new ArrayList<>(2);
            }
            if (shared != null && sharedBy == null) {
                sharedBy = new ArrayList<>(errors.size() + 1);
                for (int i = 0; i < errors.size(); i++) {
                    sharedBy.add(null);
                }
            }
            errors.add(match);
            if (sharedBy != null) {
                sharedBy.add(shared);
            }
        }

        /** The index of the unambiguous finding of {@code entry} held, or -1. */
        private int indexOf(CatalogEntry entry) {
            if (errors != null) {
                for (int i = 0, n = errors.size(); i < n; i++) {
                    CatalogEntry held = errors.get(i).entry();
                    if (held != null && same(held, entry)) {
                        return i;
                    }
                }
            }
            return -1;
        }

        /** Whether an ambiguous finding with the same (sorted) candidates is already held. */
        private boolean containsAmbiguous(List<CatalogEntry> candidates) {
            if (errors != null) {
                for (int i = 0, n = errors.size(); i < n; i++) {
                    ErrorMatch m = errors.get(i);
                    if (m.ambiguous() && sameEntries(m.candidates(), candidates)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The same {@code catalog:code}; almost always decided by the identity test. */
        private static boolean same(CatalogEntry a, CatalogEntry b) {
            return a == b || (a.code().equals(b.code()) && a.catalog().equals(b.catalog()));
        }

        private static boolean sameEntries(List<CatalogEntry> a, List<CatalogEntry> b) {
            int n = a.size();
            if (n != b.size()) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
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
            if (errors == null && unknown == null) {
                return MatchResult.EMPTY;
            }
            List<ErrorMatch> out = errors == null ? List.of() : errors;
            if (sharedBy != null && out.size() > 1) {
                out = foldShared(out, sharedBy);
            }
            if (out.size() > 1) {
                out = foldAmbiguous(out);
            }
            if (out.size() > MAX_ERRORS_PER_EVENT) {
                out = out.subList(0, MAX_ERRORS_PER_EVENT); // MatchResult copies it
            }
            return new MatchResult(out, unknown == null ? List.of() : unknown);
        }

        /**
         * Drops each finding made from a token shared inside a catalog when the event also names, unambiguously,
         * another entry that shares it: {@code E9001} with {@code SESSION_NOT_FOUND} is SESSION_NOT_FOUND, not that
         * and INTERNAL (E9001's owner) beside it; {@code -32006} with {@code FILE_NOT_FOUND} is FILE_NOT_FOUND, also
         * where {@code -32006} was ambiguous across catalogs. One code found by both stages is reported once, as
         * typed: a typed finding dropped for a code found in free text gives that finding its stage and field.
         */
        private static List<ErrorMatch> foldShared(List<ErrorMatch> errors, List<List<CatalogEntry>> sharedBy) {
            int n = errors.size();
            ErrorMatch[] kept = errors.toArray(new ErrorMatch[0]);
            boolean[] dropped = new boolean[n];
            for (int i = 0; i < n; i++) {
                List<CatalogEntry> shared = sharedBy.get(i);
                if (shared == null) {
                    continue;
                }
                ErrorMatch m = errors.get(i);
                int by = namedBy(errors, dropped, m.entry(), shared);
                if (by >= 0) {
                    dropped[i] = true;
                    if (m.stage() == MatchStage.TYPED && kept[by].stage() != MatchStage.TYPED) {
                        kept[by] = new ErrorMatch(kept[by].entry(), kept[by].candidates(), m.matched(), m.stage(),
                                m.field());
                    }
                }
            }
            List<ErrorMatch> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (!dropped[i]) {
                    out.add(kept[i]);
                }
            }
            return out;
        }

        /** The index of a finding kept so far that names another entry of {@code shared} than {@code own}, or -1. */
        private static int namedBy(List<ErrorMatch> errors, boolean[] dropped, CatalogEntry own,
                List<CatalogEntry> shared) {
            for (int i = 0, n = errors.size(); i < n; i++) {
                CatalogEntry entry = errors.get(i).entry();
                if (dropped[i] || entry == null || (own != null && same(entry, own))) {
                    continue;
                }
                for (int k = 0, m = shared.size(); k < m; k++) {
                    if (same(shared.get(k), entry)) {
                        return i;
                    }
                }
            }
            return -1;
        }

        /** Drops each ambiguous finding one of whose candidates the event also names unambiguously. */
        private static List<ErrorMatch> foldAmbiguous(List<ErrorMatch> errors) {
            int n = errors.size();
            boolean anyAmbiguous = false;
            boolean anyResolved = false;
            for (int i = 0; i < n; i++) {
                if (errors.get(i).ambiguous()) {
                    anyAmbiguous = true;
                } else {
                    anyResolved = true;
                }
            }
            if (!anyAmbiguous || !anyResolved) {
                return errors; // nothing to fold: the common case
            }
            List<ErrorMatch> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ErrorMatch m = errors.get(i);
                if (!m.ambiguous() || !namesAnyOf(errors, m.candidates())) {
                    out.add(m);
                }
            }
            return out;
        }

        private static boolean namesAnyOf(List<ErrorMatch> errors, List<CatalogEntry> candidates) {
            for (int i = 0, n = errors.size(); i < n; i++) {
                CatalogEntry entry = errors.get(i).entry();
                if (entry == null) {
                    continue;
                }
                for (int k = 0, m = candidates.size(); k < m; k++) {
                    if (same(candidates.get(k), entry)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
