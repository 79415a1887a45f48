package dev.faultline.catalog.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One validated catalog: an error-code system's entries, in source order, and its resolutions. */
public final class Catalog {
    private final String id;
    private final String version;
    private final String name;
    private final String source;
    private final String docs;
    private final List<String> notes;
    private final Map<String, CatalogEntry> entries;
    private final List<Resolution> resolutions;
    private final List<CodeFamily> families;

    public Catalog(String id, String version, String name, String source, String docs, List<String> notes,
            List<CatalogEntry> entries, List<Resolution> resolutions) {
        this(id, version, name, source, docs, notes, entries, resolutions, List.of());
    }

    public Catalog(String id, String version, String name, String source, String docs, List<String> notes,
            List<CatalogEntry> entries, List<Resolution> resolutions, List<CodeFamily> families) {
        this.id = Objects.requireNonNull(id, "id");
        this.version = Objects.requireNonNull(version, "version");
        this.name = name == null ? id : name;
        this.source = source;
        this.docs = docs;
        this.notes = List.copyOf(notes);
        Map<String, CatalogEntry> byCode = new LinkedHashMap<>();
        for (CatalogEntry e : entries) {
            if (byCode.putIfAbsent(e.code(), e) != null) {
                throw new IllegalArgumentException("duplicate code " + e.code() + " in catalog " + id);
            }
        }
        this.entries = Collections.unmodifiableMap(byCode);
        this.resolutions = List.copyOf(resolutions);
        this.families = List.copyOf(families);
    }

    public String id() {
        return id;
    }

    public String version() {
        return version;
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public String docs() {
        return docs;
    }

    public List<String> notes() {
        return notes;
    }

    /** Entries in source order. */
    public Map<String, CatalogEntry> entries() {
        return entries;
    }

    public Optional<CatalogEntry> entry(String code) {
        return Optional.ofNullable(entries.get(code));
    }

    public List<Resolution> resolutions() {
        return resolutions;
    }

    /** The forms of code the source reserves for a category, in source order. */
    public List<CodeFamily> families() {
        return families;
    }

    /** The most specific family (longest prefix) {@code code} belongs to, if any. */
    public Optional<CodeFamily> family(String code) {
        CodeFamily best = null;
        for (CodeFamily f : families) {
            if (f.matches(code) && (best == null || f.prefix().length() > best.prefix().length())) {
                best = f;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public String toString() {
        return "Catalog[" + id + "@" + version + ", " + entries.size() + " entries]";
    }
}
