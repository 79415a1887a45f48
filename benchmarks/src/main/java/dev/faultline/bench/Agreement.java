package dev.faultline.bench;

import dev.faultline.catalog.enrich.EnrichedEvent;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.enrich.ProcessOutcome;
import dev.faultline.catalog.enrich.SourceRef;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sanity check run before the benchmarks: Faultline and the regex baseline must find the same
 * codes on the corpus, or the throughput comparison compares two different jobs.
 *
 * <p>Per line, F is the set of tokens Faultline matched ({@link ErrorMatch#matched()}, typed and
 * fallback) and R the set the regex found. Then:
 * <ul>
 *   <li>{@code faultlineOnly}: a token in F but not in R. Should never happen (the regex sees the
 *       whole line);</li>
 *   <li>a token in R but not in F is <em>covered</em> when a Faultline match on the same line means
 *       an entry that claims it too (Faultline reports {@code E2001} and {@code SSH_AUTH_FAILED} on
 *       one line once, as one entry);</li>
 *   <li>{@code regexOnlyContext}: uncovered, and a token Faultline counts in free text only with
 *       code context ({@code conflict}, {@code TIMEOUT}, RPC numbers): a regex false positive by
 *       design, expected on near-miss prose lines and nowhere else;</li>
 *   <li>{@code regexOnlyOther}: uncovered, any other token: a real disagreement.</li>
 * </ul>
 * {@link #check()} fails when more than 1% of the lines that are not near misses disagree
 * ({@code faultlineOnly} or {@code regexOnly*}), or when either side finds a distinctive code on
 * a near-miss line; every count and the first examples are always printed.
 */
public final class Agreement {

    /** Per-kind tallies. */
    static final class Tally {
        int lines;
        int faultlineHits;
        int regexHits;
        int agree;
        int faultlineOnly;
        int regexOnlyContext;
        int regexOnlyOther;
        int unknownCodes;
    }

    private final Map<Corpus.Kind, Tally> tallies = new EnumMap<>(Corpus.Kind.class);
    private final List<String> examples = new ArrayList<>();

    private Agreement() {
    }

    public static Agreement run(Corpus corpus, Enricher enricher, RegexBaseline regex) {
        Agreement a = new Agreement();
        Map<String, Integer> exampleCounts = new HashMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            byte[] line = corpus.lines()[i];
            Corpus.Kind kind = corpus.kind(i);
            Tally t = a.tallies.computeIfAbsent(kind, k -> new Tally());
            t.lines++;
            ProcessOutcome out = enricher.process(line, SourceRef.none(), null);
            if (!(out instanceof ProcessOutcome.Enriched)) {
                throw new IllegalStateException("line " + i + " unreadable: " + out);
            }
            List<ErrorMatch> matches = new ArrayList<>();
            for (EnrichedEvent e : ((ProcessOutcome.Enriched) out).events()) {
                matches.addAll(e.errors());
                t.unknownCodes += e.unknownCodes().size();
            }
            Set<String> f = new LinkedHashSet<>();
            for (ErrorMatch m : matches) {
                f.add(m.matched().strip());
            }
            Set<String> r = new LinkedHashSet<>(regex.findAll(line));
            t.faultlineHits += f.size();
            t.regexHits += r.size();

            Set<String> faultOnly = new LinkedHashSet<>(f);
            faultOnly.removeAll(r);
            Set<String> ctxOnly = new LinkedHashSet<>();
            Set<String> other = new LinkedHashSet<>();
            for (String token : r) {
                if (f.contains(token) || covered(token, matches, regex)) {
                    continue;
                }
                if (enricher.matcher().index().needsContext(token)) {
                    ctxOnly.add(token);
                } else {
                    other.add(token);
                }
            }
            if (faultOnly.isEmpty() && ctxOnly.isEmpty() && other.isEmpty()) {
                t.agree++;
                continue;
            }
            if (!faultOnly.isEmpty()) {
                t.faultlineOnly++;
                a.example(exampleCounts, kind + " faultlineOnly " + faultOnly, line);
            }
            if (!ctxOnly.isEmpty()) {
                t.regexOnlyContext++;
                a.example(exampleCounts, kind + " regexOnlyContext " + ctxOnly, line);
            }
            if (!other.isEmpty()) {
                t.regexOnlyOther++;
                a.example(exampleCounts, kind + " regexOnlyOther " + other, line);
            }
        }
        return a;
    }

    /** Whether some Faultline match on the line means an entry that also claims {@code token}. */
    private static boolean covered(String token, List<ErrorMatch> matches, RegexBaseline regex) {
        List<CatalogEntry> claimants = regex.lookup(token);
        if (claimants == null) {
            return false;
        }
        Set<String> keys = new HashSet<>();
        for (CatalogEntry c : claimants) {
            keys.add(c.key());
        }
        for (ErrorMatch m : matches) {
            if (m.entry() != null && keys.contains(m.entry().key())) {
                return true;
            }
            for (CatalogEntry c : m.candidates()) {
                if (keys.contains(c.key())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void example(Map<String, Integer> counts, String what, byte[] line) {
        String category = what.substring(0, what.indexOf(' ', what.indexOf(' ') + 1));
        if (counts.merge(category, 1, Integer::sum) <= 3) {
            examples.add(what + "\n      " + new String(line, StandardCharsets.UTF_8));
        }
    }

    /** Lines that are not near misses and on which the two disagree. */
    public int disagreeingLines() {
        int n = 0;
        for (Map.Entry<Corpus.Kind, Tally> e : tallies.entrySet()) {
            if (e.getKey() != Corpus.Kind.NEAR_MISS) {
                n += e.getValue().lines - e.getValue().agree;
            }
        }
        return n;
    }

    public int nonNearMissLines() {
        int n = 0;
        for (Map.Entry<Corpus.Kind, Tally> e : tallies.entrySet()) {
            if (e.getKey() != Corpus.Kind.NEAR_MISS) {
                n += e.getValue().lines;
            }
        }
        return n;
    }

    /** Lines that are near misses on which either side found a code that is not context-only. */
    public int nearMissFalsePositives() {
        Tally t = tallies.get(Corpus.Kind.NEAR_MISS);
        return t == null ? 0 : t.faultlineOnly + t.regexOnlyOther;
    }

    public String report() {
        StringBuilder sb = new StringBuilder("agreement Faultline vs regex baseline, per kind:\n");
        sb.append(String.format("  %-12s %6s %9s %9s %7s %9s %9s %9s %8s%n", "kind", "lines", "fl-codes", "re-codes",
                "agree", "fl-only", "re-ctx", "re-other", "unknown"));
        for (Map.Entry<Corpus.Kind, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            sb.append(String.format("  %-12s %6d %9d %9d %7d %9d %9d %9d %8d%n", e.getKey(), t.lines, t.faultlineHits,
                    t.regexHits, t.agree, t.faultlineOnly, t.regexOnlyContext, t.regexOnlyOther, t.unknownCodes));
        }
        sb.append(String.format("  disagreeing non-near-miss lines: %d of %d; near-miss lines with a non-context"
                + " code found: %d%n", disagreeingLines(), nonNearMissLines(), nearMissFalsePositives()));
        for (String ex : examples) {
            sb.append("  e.g. ").append(ex).append('\n');
        }
        return sb.toString();
    }

    /** Throws when the two disagree badly; see the class comment. */
    public Agreement check() {
        if (disagreeingLines() * 100L > nonNearMissLines() || nearMissFalsePositives() > 0) {
            throw new IllegalStateException("Faultline and the regex baseline disagree on the corpus:\n" + report());
        }
        return this;
    }

    /** Runs the check alone: {@code java -cp benchmarks.jar dev.faultline.bench.Agreement}. */
    public static void main(String[] args) {
        CatalogSet set = new CatalogLoader().loadBundled().orThrow();
        Corpus corpus = Corpus.generate(set, Corpus.DEFAULT_SIZE, Corpus.DEFAULT_SEED);
        System.out.print(corpus.describe());
        Agreement a = run(corpus, Enricher.create(set, EnricherConfig.defaults()), RegexBaseline.of(set));
        System.out.print(a.report());
        a.check();
    }
}
