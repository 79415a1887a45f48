package dev.faultline.bench;

import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a grok user writes: one precompiled {@link java.util.regex.Pattern}, an alternation of every
 * code token of every loaded catalog (codes, E-codes, aliases and the JSON-RPC numbers; longest
 * first, each {@link Pattern#quote quoted}), wrapped in lookarounds that give the same token
 * boundaries as Faultline's scanner:
 *
 * <pre>{@code (?<![A-Za-z0-9_.-])(?:TOKEN|TOKEN|...)(?![A-Za-z0-9_]|[.-][A-Za-z0-9_])}</pre>
 *
 * <p>So {@code E2001}, {@code (E2001)} and {@code E2001.} match while {@code 0xE2001F}, {@code E20010},
 * {@code SSH_AUTH_FAILED_TOTAL}, {@code task.not_found_handler}, {@code ORD-E2001-77} and
 * {@code -320011} do not. Each match is then looked up in a {@link HashMap} to the entries that
 * claim the token. The regex knows nothing of JSON, typed fields or code context: it runs over the
 * whole decoded line.
 */
public final class RegexBaseline {
    static final String BEFORE = "(?<![A-Za-z0-9_.-])";
    static final String AFTER = "(?![A-Za-z0-9_]|[.-][A-Za-z0-9_])";

    private final Pattern pattern;
    private final Map<String, List<CatalogEntry>> entries;

    private RegexBaseline(Pattern pattern, Map<String, List<CatalogEntry>> entries) {
        this.pattern = pattern;
        this.entries = entries;
    }

    public static RegexBaseline of(CatalogSet catalogs) {
        Map<String, List<CatalogEntry>> byToken = new HashMap<>();
        for (Catalog c : catalogs.catalogs()) {
            for (CatalogEntry e : c.entries().values()) {
                for (String t : e.stringTokens()) {
                    byToken.computeIfAbsent(t, k -> new ArrayList<>(1)).add(e);
                }
                if (e.rpcCode() != null) {
                    byToken.computeIfAbsent(Integer.toString(e.rpcCode()), k -> new ArrayList<>(1)).add(e);
                }
            }
        }
        byToken.replaceAll((k, v) -> List.copyOf(v));
        String alternation = byToken.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
        Pattern p = Pattern.compile(BEFORE + "(?:" + alternation + ")" + AFTER);
        return new RegexBaseline(p, byToken);
    }

    public Pattern pattern() {
        return pattern;
    }

    public int tokenCount() {
        return entries.size();
    }

    /** The entries that claim {@code token}, or {@code null}. */
    public List<CatalogEntry> lookup(String token) {
        return entries.get(token);
    }

    /** Every token the pattern finds in the line, in order. For the agreement check, not the benchmark. */
    public List<String> findAll(byte[] line) {
        Matcher m = pattern.matcher(new String(line, StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>(2);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
