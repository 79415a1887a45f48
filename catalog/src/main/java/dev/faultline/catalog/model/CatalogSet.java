package dev.faultline.catalog.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A validated, immutable set of catalogs, in load order. Only the loader builds one. */
public final class CatalogSet {
    private final Map<String, Catalog> catalogs;

    public CatalogSet(List<Catalog> catalogs) {
        Map<String, Catalog> byId = new LinkedHashMap<>();
        for (Catalog c : catalogs) {
            if (byId.putIfAbsent(c.id(), c) != null) {
                throw new IllegalArgumentException("duplicate catalog id " + c.id());
            }
        }
        this.catalogs = Collections.unmodifiableMap(byId);
    }

    public Collection<Catalog> catalogs() {
        return catalogs.values();
    }

    public Optional<Catalog> catalog(String id) {
        return Optional.ofNullable(catalogs.get(id));
    }

    public int entryCount() {
        return catalogs.values().stream().mapToInt(c -> c.entries().size()).sum();
    }

    /** {@code id@version} of every catalog, comma separated: the version stamp enriched events carry. */
    public String versionStamp() {
        return catalogs.values().stream().map(c -> c.id() + "@" + c.version()).collect(Collectors.joining(","));
    }
}
