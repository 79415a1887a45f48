package dev.faultline.catalog.match;

import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.catalog.model.CodeFamily;
import dev.faultline.catalog.model.Resolution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every token of every catalog, with what it means in each catalog that knows it. Immutable and
 * thread-safe; build one per catalog set (it takes well under a millisecond per thousand entries).
 */
public final class CatalogIndex {
    private final CatalogSet catalogs;
    private final TokenTable table;
    /** Every catalog's code families, most specific (longest prefix) first. */
    private final List<Family> families;

    /** A code family and the catalog that declares it. */
    private record Family(String catalog, CodeFamily family) {
    }

    private CatalogIndex(CatalogSet catalogs, TokenTable table) {
        this.catalogs = catalogs;
        this.table = table;
        List<Family> all = new ArrayList<>();
        for (Catalog c : catalogs.catalogs()) {
            for (CodeFamily f : c.families()) {
                all.add(new Family(c.id(), f));
            }
        }
        all.sort(Comparator.comparingInt((Family f) -> f.family().prefix().length()).reversed());
        this.families = List.copyOf(all);
    }

    public static CatalogIndex of(CatalogSet catalogs) {
        Map<String, List<CatalogHit>> hits = new LinkedHashMap<>();
        Map<String, Boolean> rpc = new LinkedHashMap<>();
        for (Catalog catalog : catalogs.catalogs()) {
            Map<String, List<CatalogEntry>> claimants = new LinkedHashMap<>();
            for (CatalogEntry entry : catalog.entries().values()) {
                for (String token : entry.stringTokens()) {
                    claimants.computeIfAbsent(token, k -> new ArrayList<>()).add(entry);
                    rpc.putIfAbsent(token, false);
                }
                if (entry.rpcCode() != null) {
                    String token = Integer.toString(entry.rpcCode());
                    claimants.computeIfAbsent(token, k -> new ArrayList<>()).add(entry);
                    rpc.put(token, true);
                }
            }
            Map<String, Resolution> resolutions = new LinkedHashMap<>();
            for (Resolution r : catalog.resolutions()) {
                resolutions.put(r.token(), r);
            }
            for (Map.Entry<String, List<CatalogEntry>> e : claimants.entrySet()) {
                List<CatalogEntry> claim = e.getValue();
                CatalogEntry owner;
                if (claim.size() == 1) {
                    owner = claim.get(0);
                } else {
                    // The loader guarantees a resolution for every shared token.
                    Resolution r = resolutions.get(e.getKey());
                    owner = r == null || r.ambiguous() ? null : catalog.entries().get(r.owner());
                }
                List<CatalogEntry> sorted = new ArrayList<>(claim);
                sorted.sort(Comparator.comparing(CatalogEntry::code));
                hits.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(new CatalogHit(catalog.id(), owner, sorted));
            }
        }
        Map<String, TokenInfo> infos = new LinkedHashMap<>();
        for (Map.Entry<String, List<CatalogHit>> e : hits.entrySet()) {
            boolean isRpc = rpc.get(e.getKey());
            infos.put(e.getKey(),
                    new TokenInfo(e.getKey(), isRpc, TokenInfo.needsContext(e.getKey(), isRpc), e.getValue()));
        }
        return new CatalogIndex(catalogs, new TokenTable(infos));
    }

    public CatalogSet catalogs() {
        return catalogs;
    }

    TokenTable table() {
        return table;
    }

    /** How many distinct tokens the index holds. */
    public int tokenCount() {
        return table.size();
    }

    /**
     * What a token means, for {@code explain}: every entry it resolves to, optionally inside one
     * catalog. One entry means an unambiguous answer; several mean the token is ambiguous (across
     * catalogs, or within one by its resolution); none means unknown.
     */
    public List<CatalogEntry> lookup(String token, Optional<String> catalog) {
        TokenInfo info = table.get(token.strip());
        if (info == null) {
            return List.of();
        }
        List<CatalogEntry> out = new ArrayList<>();
        for (CatalogHit hit : info.hits()) {
            if (catalog.isEmpty() || catalog.get().equals(hit.catalog())) {
                out.addAll(hit.meanings());
            }
        }
        return out;
    }

    /**
     * The unknown code {@code value} from {@code field}, with the code family it has the form of: the most specific
     * family of any catalog, as a code known to one catalog is that catalog's whatever the service is bound to.
     * Where several catalogs' families fit, the service's binding ({@code scope}, {@code null}: none) decides
     * between them, then specificity; two equally specific families of different catalogs name none.
     */
    public UnknownCode unknown(String field, String value, List<String> scope) {
        List<Family> fitting = new ArrayList<>(2);
        for (Family f : families) {
            if (f.family().matches(value)) {
                fitting.add(f);
            }
        }
        if (scope != null && fitting.stream().anyMatch(f -> scope.contains(f.catalog()))) {
            fitting.removeIf(f -> !scope.contains(f.catalog()));
        }
        if (fitting.isEmpty()) {
            return new UnknownCode(field, value);
        }
        Family best = fitting.get(0); // most specific first
        for (Family f : fitting) {
            if (f.family().prefix().length() < best.family().prefix().length()) {
                break;
            }
            if (!f.catalog().equals(best.catalog())) {
                return new UnknownCode(field, value);
            }
        }
        return new UnknownCode(field, value, best.catalog(), best.family().category());
    }

    /** Whether the token is one that counts in free text only with code context. */
    public boolean needsContext(String token) {
        TokenInfo info = table.get(token);
        return info != null && info.contextOnly();
    }
}
