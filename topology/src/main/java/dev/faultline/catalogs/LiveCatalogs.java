package dev.faultline.catalogs;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.load.CatalogSource;
import dev.faultline.catalog.load.CatalogValidationException;
import dev.faultline.catalog.load.LoadResult;
import dev.faultline.catalog.load.Problem;
import dev.faultline.ops.SafeText;
import dev.faultline.config.FaultlineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogs in use, swapped when the catalog topic brings a document that validates. The
 * topology asks {@link #get()} once per record; the swap is one volatile write, so a record is
 * enriched entirely with the old or entirely with the new catalogs, and its {@code catalog_version}
 * says which.
 *
 * <p>Each topic key (catalog id) is applied on its own: the candidate set is the base (bundled +
 * configured directories, read once) plus every applied document, with the updated key replaced or
 * removed. If it fails validation nothing changes (that catalog keeps its last good version), one
 * WARN line says why, and the listener is told {@code false}. Updates come from one thread (the
 * global stream thread); {@link #get()} is safe from any thread.
 */
public final class LiveCatalogs implements Supplier<Enricher> {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCatalogs.class);
    /** Problems listed in one log line; the rest are counted. */
    static final int MAX_LOGGED_PROBLEMS = 50;
    /** Any one piece of text copied into a log line is cut to this many characters. */
    private static final int MAX_LOGGED_CHARS = 1024;

    /** What an update did. */
    public enum Outcome {
        /** The catalogs changed and the new enricher is in use. */
        APPLIED,
        /** The same bytes were already applied (or a removed key was not applied): nothing to do. */
        UNCHANGED,
        /** The document did not validate; the last good catalogs stay. */
        REJECTED
    }

    /** Told the result of every rebuild the topic caused. {@code FaultlineMetrics::recordCatalogReload} fits. */
    @FunctionalInterface
    public interface ReloadListener {
        void reloaded(boolean ok);

        static ReloadListener none() {
            return ok -> {
            };
        }
    }

    /** Why the latest document of one key was not applied. */
    public record Rejection(String catalogId, String file, String publisher, String sha256, List<Problem> problems) {
        public Rejection {
            problems = List.copyOf(problems);
        }
    }

    private final List<CatalogSource> base;
    private final EnricherConfig config;
    private final String topic;
    private final ReloadListener listener;
    private final CatalogLoader loader = new CatalogLoader();
    private final Map<String, CatalogDocument> applied = new TreeMap<>();
    /**
     * Catalog id → why its latest record was not applied, with that record's {@link CatalogDocument#fingerprint}
     * (null for a tombstone): a re-read of that record is not validated and reported again, but the same bytes
     * with another header (a corrected hash) are.
     */
    private final Map<String, Rejected> rejected = new TreeMap<>();

    private record Rejected(Rejection rejection, String fingerprint) {
    }
    private volatile Enricher current;

    private LiveCatalogs(List<CatalogSource> base, Enricher initial, EnricherConfig config, String topic,
            ReloadListener listener) {
        this.base = List.copyOf(base);
        this.current = initial;
        this.config = config;
        this.topic = topic;
        this.listener = listener;
    }

    /**
     * Live catalogs over {@code base} (bundled and directory sources, in load order).
     *
     * @throws CatalogValidationException when the base itself does not validate
     */
    public static LiveCatalogs create(List<CatalogSource> base, EnricherConfig config, String topic,
            ReloadListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(listener, "listener");
        Enricher initial = Enricher.create(new CatalogLoader().loadSources(base).orThrow(), config);
        return new LiveCatalogs(base, initial, config, topic, listener);
    }

    /**
     * Live catalogs for a config: bundled + {@code catalog.dirs} (read now, once), the config's
     * enricher settings and catalog topic.
     *
     * @throws CatalogValidationException listing every problem when the base does not validate
     */
    public static LiveCatalogs fromConfig(FaultlineConfig config, ReloadListener listener) {
        return create(baseSources(config.catalogDirs()), config.enricherConfig(), CatalogTopic.name(config), listener);
    }

    /**
     * The bundled sources plus every {@code *.yaml|*.yml|*.json} file of each directory, in the
     * order {@link CatalogLoader#load(List)} uses.
     *
     * @throws CatalogValidationException when a directory is missing or a file unreadable or too large
     */
    public static List<CatalogSource> baseSources(List<Path> dirs) {
        List<CatalogSource> out = new ArrayList<>(CatalogLoader.bundledSources());
        List<Problem> problems = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                problems.add(new Problem(dir.toString(), null, null, "catalog directory does not exist"));
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(LiveCatalogs::isCatalogFile).sorted().toList()) {
                    long size = Files.size(file);
                    if (size > CatalogLoader.MAX_FILE_BYTES) {
                        problems.add(new Problem(file.toString(), null, null,
                                "file is " + size + " bytes; the limit is " + CatalogLoader.MAX_FILE_BYTES));
                        continue;
                    }
                    out.add(new CatalogSource(file.toString(), Files.readAllBytes(file), false));
                }
            } catch (IOException e) {
                problems.add(new Problem(dir.toString(), null, null, "cannot read: " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogValidationException(problems);
        }
        return out;
    }

    static boolean isCatalogFile(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    /**
     * Validates {@code base} plus topic documents exactly as an instance applies them: each
     * document's record problems (key, size, hash, id, version), then the merged catalog set.
     * Every problem is returned at once.
     */
    public static LoadResult validate(List<CatalogSource> base, Collection<CatalogDocument> docs, String topic) {
        List<Problem> problems = new ArrayList<>();
        List<CatalogSource> sources = new ArrayList<>(base);
        for (CatalogDocument d : docs) {
            problems.addAll(d.recordProblems(topic));
            if (d.content().length <= CatalogTopic.MAX_DOCUMENT_BYTES) {
                sources.add(d.toSource(topic));
            }
        }
        LoadResult merged = new CatalogLoader().loadSources(sources);
        if (problems.isEmpty()) {
            return merged;
        }
        // A new catalog without a version is reported by the loader too: once is enough.
        problems.removeIf(p -> "version".equals(p.field()) && merged.problems().stream()
                .anyMatch(m -> "version".equals(m.field()) && m.file().equals(p.file())));
        problems.addAll(merged.problems());
        return new LoadResult(Optional.empty(), problems);
    }

    /** The enricher over the current catalogs. */
    @Override
    public Enricher get() {
        return current;
    }

    /** Always true: there is a valid catalog set from construction on (the last good one after a rejection). */
    public boolean loaded() {
        return current != null;
    }

    /** The version stamp of the catalogs in use. */
    public String version() {
        return current.catalogVersion();
    }

    /** Catalog id → SHA-256 of the applied topic documents. */
    public synchronized Map<String, String> appliedDocuments() {
        Map<String, String> out = new LinkedHashMap<>();
        applied.forEach((k, d) -> out.put(k, d.sha256()));
        return out;
    }

    /** Why the latest document of {@code catalogId} was not applied, if it was not. */
    public synchronized Optional<Rejection> rejection(String catalogId) {
        return Optional.ofNullable(rejected.get(catalogId)).map(Rejected::rejection);
    }

    /** A record of the catalog topic: {@code doc} is {@code null} for a tombstone of {@code key}. */
    public synchronized Outcome update(String key, CatalogDocument doc) {
        Objects.requireNonNull(key, "key");
        CatalogDocument before = applied.get(key);
        if (doc == null) {
            rejected.remove(key);
            if (before == null) {
                return Outcome.UNCHANGED;
            }
        } else {
            if (doc.sameAs(before)) {
                rejected.remove(key);
                return Outcome.UNCHANGED;
            }
            Rejected last = rejected.get(key);
            if (last != null && doc.fingerprint().equals(last.fingerprint())) {
                return Outcome.REJECTED; // already reported (a re-read of the same record)
            }
        }
        Map<String, CatalogDocument> candidate = new TreeMap<>(applied);
        if (doc == null) {
            candidate.remove(key);
        } else {
            candidate.put(key, doc);
        }
        LoadResult result;
        try {
            result = validate(base, candidate.values(), topic);
        } catch (RuntimeException e) {
            // Never let an update kill the global thread: a bug in validation is a rejection too.
            result = new LoadResult(Optional.empty(), List.of(new Problem(
                    doc == null ? topic + "/" + key : doc.sourceName(topic), null, null,
                    "validation failed unexpectedly: " + e)));
        }
        if (!result.isValid()) {
            Rejection r = new Rejection(key, doc == null ? null : doc.file(), doc == null ? null : doc.publisher(),
                    doc == null ? "" : doc.sha256(), result.problems());
            rejected.put(key, new Rejected(r, doc == null ? null : doc.fingerprint()));
            LOG.warn(rejectionLine(r, doc == null));
            listener.reloaded(false);
            return Outcome.REJECTED;
        }
        current = Enricher.create(result.orThrow(), config);
        applied.clear();
        applied.putAll(candidate);
        rejected.remove(key);
        if (doc == null) {
            LOG.info("catalog update applied from topic {}: catalog id '{}' removed; catalog version now {}",
                    topic, esc(key), esc(current.catalogVersion()));
        } else {
            LOG.info("catalog update applied from topic {}: catalog id '{}' ({}); catalog version now {}",
                    topic, esc(key), esc(doc.provenance()), esc(current.catalogVersion()));
        }
        listener.reloaded(true);
        return Outcome.APPLIED;
    }

    /**
     * The whole topic content at once (the global store when the topology starts): every key is
     * updated in order, and applied keys the snapshot no longer holds are removed.
     */
    public synchronized void updateAll(Map<String, CatalogDocument> snapshot) {
        for (String gone : new ArrayList<>(applied.keySet())) {
            if (!snapshot.containsKey(gone)) {
                update(gone, null);
            }
        }
        new TreeMap<>(snapshot).forEach(this::update);
    }

    private String rejectionLine(Rejection r, boolean removal) {
        StringBuilder sb = new StringBuilder("catalog update rejected from topic ").append(topic)
                .append(": catalog id '").append(esc(r.catalogId())).append('\'');
        if (removal) {
            sb.append(" (removal)");
        } else {
            sb.append(", file '").append(esc(r.file() == null ? "-" : r.file())).append('\'');
            if (r.publisher() != null) {
                sb.append(", published by '").append(esc(r.publisher())).append('\'');
            }
            sb.append(", sha256 ").append(r.sha256(), 0, Math.min(12, r.sha256().length()));
        }
        List<Problem> ps = r.problems();
        sb.append(": ").append(ps.size()).append(" problem(s): ");
        sb.append(ps.stream().limit(MAX_LOGGED_PROBLEMS).map(p -> esc(p.toString()))
                .collect(Collectors.joining("; ")));
        if (ps.size() > MAX_LOGGED_PROBLEMS) {
            sb.append("; … and ").append(ps.size() - MAX_LOGGED_PROBLEMS).append(" more");
        }
        sb.append("; keeping the last good catalogs (version ").append(esc(current.catalogVersion())).append(')');
        return sb.toString();
    }

    private static String esc(String s) {
        return SafeText.escape(s, MAX_LOGGED_CHARS);
    }
}
