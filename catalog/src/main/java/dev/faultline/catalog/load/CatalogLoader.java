package dev.faultline.catalog.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.catalog.model.CodeFamily;
import dev.faultline.catalog.model.ErrorClass;
import dev.faultline.catalog.model.Resolution;
import dev.faultline.catalog.model.Transience;
import dev.faultline.catalog.model.TransienceBasis;
import dev.faultline.catalog.model.TransienceRule;
import dev.faultline.catalog.model.TransienceSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ObjIntConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads, merges and validates catalogs. Stateless and thread-safe.
 *
 * <p>Bundled catalogs are read from the classpath; user catalogs from directories. A user file
 * whose {@code id} names a bundled catalog overrides that catalog's entries code by code (and its
 * resolutions token by token); a new id adds a catalog.
 */
public final class CatalogLoader {
    /** The catalogs Faultline ships, one per seed system, in load order. */
    public static final List<String> BUNDLED_IDS = List.of("nefia", "agent-tasks", "foundry-mcp", "vault-rpc", "nps");

    /** Catalog files are small; anything larger is a mistake or an attack. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    private static final Pattern CATALOG_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    // A code must be exactly one token of the free-text scanner (word characters joined by single
    // dots or hyphens), or the fallback stage could never find it.
    private static final Pattern CODE = Pattern.compile("(?=.{1,128}$)[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*");
    private static final Pattern HAS_ALNUM = Pattern.compile(".*[A-Za-z0-9].*");

    private static final Set<String> CATALOG_FIELDS =
            Set.of("id", "version", "name", "source", "docs", "notes", "entries", "resolutions", "code_families");
    private static final Set<String> ENTRY_FIELDS = Set.of("code", "title", "description", "category", "source_type",
            "class", "e_code", "rpc_code", "aliases", "http_status", "nps_status", "transience", "retry_after_ms",
            "retry_after_note", "remediation", "recovery_tool", "recovery_tool_note", "docs", "notes");
    private static final Set<String> TRANSIENCE_FIELDS = Set.of("value", "source", "basis");
    private static final Set<String> RESOLUTION_FIELDS = Set.of("token", "claimants", "owner", "ambiguous", "reason");
    private static final Set<String> FAMILY_FIELDS = Set.of("pattern", "category");
    /** The version stamp part of a user file that adds to a loaded catalog without a version of its own. */
    static final String UNVERSIONED_OVERLAY = "unversioned";

    private final ObjectMapper json;
    private final ObjectMapper yaml;

    public CatalogLoader() {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxStringLength(64 * 1024)
                .build();
        // A key given twice is a problem, not a silent last-one-wins: a second "entries:" would drop the first.
        JsonMapper jsonMapper = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        jsonMapper.getFactory().setStreamReadConstraints(limits);
        this.json = jsonMapper;
        YAMLFactory yamlFactory = YAMLFactory.builder().streamReadConstraints(limits)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.yaml = new YAMLMapper(yamlFactory);
    }

    /** The bundled catalogs alone. */
    public LoadResult loadBundled() {
        return loadSources(bundledSources());
    }

    /** The bundled catalogs with every {@code *.yaml|*.yml|*.json} file of each directory over them. */
    public LoadResult load(List<Path> userDirs) {
        List<CatalogSource> sources = new ArrayList<>(bundledSources());
        List<Problem> problems = new ArrayList<>();
        for (Path dir : userDirs) {
            if (!Files.isDirectory(dir)) {
                problems.add(new Problem(dir.toString(), null, null, "catalog directory does not exist"));
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(CatalogLoader::isCatalogFile).sorted().collect(Collectors.toList())) {
                    long size = Files.size(file);
                    if (size > MAX_FILE_BYTES) {
                        problems.add(new Problem(file.toString(), null, null,
                                "file is " + size + " bytes; the limit is " + MAX_FILE_BYTES));
                        continue;
                    }
                    sources.add(new CatalogSource(file.toString(), Files.readAllBytes(file), false));
                }
            } catch (IOException e) {
                problems.add(new Problem(dir.toString(), null, null, "cannot read: " + e.getMessage()));
            }
        }
        LoadResult result = loadSources(sources);
        if (problems.isEmpty()) {
            return result;
        }
        problems.addAll(result.problems());
        return new LoadResult(Optional.empty(), problems);
    }

    /** Parses, merges in order and validates the given documents. */
    public LoadResult loadSources(List<CatalogSource> sources) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Draft> catalogs = new LinkedHashMap<>();
        for (CatalogSource source : sources) {
            Optional<Draft> parsed = parse(source, problems);
            if (parsed.isEmpty()) {
                continue;
            }
            Draft draft = parsed.get();
            Draft existing = catalogs.get(draft.id);
            if (existing == null) {
                catalogs.put(draft.id, draft);
                if (!source.bundled()) {
                    draft.entries.keySet().forEach(code -> draft.userFiles.put(code, source.name()));
                    draft.families.keySet().forEach(pattern -> draft.familyFiles.put(pattern, source.name()));
                }
            } else if (!source.bundled()) {
                existing.overlay(draft, problems);
            } else {
                problems.add(new Problem(source.name(), null, "id", "duplicate bundled catalog id " + draft.id));
            }
        }
        List<Catalog> built = new ArrayList<>();
        for (Draft draft : catalogs.values()) {
            draft.build(problems).ifPresent(built::add);
        }
        if (!problems.isEmpty()) {
            return new LoadResult(Optional.empty(), problems);
        }
        return new LoadResult(Optional.of(new CatalogSet(built)), List.of());
    }

    /** The bundled catalog documents, read from the classpath. */
    public static List<CatalogSource> bundledSources() {
        List<CatalogSource> out = new ArrayList<>();
        for (String id : BUNDLED_IDS) {
            String resource = "/catalogs/" + id + ".yaml";
            try (InputStream in = CatalogLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("bundled catalog missing from the classpath: " + resource);
                }
                out.add(new CatalogSource(resource, in.readAllBytes(), true));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static boolean isCatalogFile(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private Optional<Draft> parse(CatalogSource source, List<Problem> problems) {
        String file = source.name();
        if (source.content().length > MAX_FILE_BYTES) {
            problems.add(new Problem(file, null, null,
                    "document is " + source.content().length + " bytes; the limit is " + MAX_FILE_BYTES));
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = (source.isJson() ? json : yaml).readTree(source.content());
        } catch (JsonProcessingException e) {
            problems.add(new Problem(file, null, null, "not valid " + (source.isJson() ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage() + locationOf(e)));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(new Problem(file, null, null, "cannot read: " + e.getMessage()));
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            problems.add(new Problem(file, null, null, "a catalog document is a mapping with id, version and entries"));
            return Optional.empty();
        }
        Fields f = new Fields(file, null, root, problems);
        f.unknown(CATALOG_FIELDS);
        String id = f.requiredText("id");
        if (id != null && !CATALOG_ID.matcher(id).matches()) {
            f.problem("id", "must match " + CATALOG_ID.pattern() + ", was '" + id + "'");
            id = null;
        }
        if (id == null) {
            return Optional.empty();
        }
        Draft draft = new Draft(id, file, source.bundled());
        draft.version = f.optionalText("version");
        if (draft.version == null && source.bundled()) {
            f.problem("version", "required");
        }
        draft.name = f.optionalText("name");
        draft.source = f.optionalText("source");
        draft.docs = f.optionalText("docs");
        draft.notes = f.textList("notes");
        JsonNode entries = root.get("entries");
        if (entries == null || !entries.isArray()) {
            f.problem("entries", "required: a list of entries");
        } else {
            int index = 0;
            for (JsonNode node : entries) {
                parseEntry(draft, node, index++, problems);
            }
        }
        optionalList(root, "code_families", f, (node, index) -> parseFamily(draft, node, index, problems));
        optionalList(root, "resolutions", f, (node, index) -> parseResolution(draft, node, index, problems));
        return Optional.of(draft);
    }

    /** Each item of the optional list {@code field}, with its index; a problem if it is there and not a list. */
    private static void optionalList(JsonNode root, String field, Fields f, ObjIntConsumer<JsonNode> item) {
        JsonNode list = root.get(field);
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            f.problem(field, "must be a list");
            return;
        }
        int index = 0;
        for (JsonNode node : list) {
            item.accept(node, index++);
        }
    }

    private static void parseEntry(Draft draft, JsonNode node, int index, List<Problem> problems) {
        String where = "#" + index;
        if (!node.isObject()) {
            problems.add(new Problem(draft.file, where, null, "an entry is a mapping"));
            return;
        }
        JsonNode codeNode = node.get("code");
        if (codeNode != null && codeNode.isValueNode()) {
            where = codeNode.asText();
        }
        Fields f = new Fields(draft.file, where, node, problems);
        f.unknown(ENTRY_FIELDS);
        EntryDraft e = new EntryDraft(draft.file, where);
        e.code = f.token("code", true);
        e.title = f.requiredText("title");
        e.description = f.optionalText("description");
        e.category = f.requiredText("category");
        e.sourceType = f.optionalText("source_type");
        String cls = f.requiredText("class");
        if (cls != null) {
            e.errorClass = ErrorClass.fromWire(cls).orElse(null);
            if (e.errorClass == null) {
                f.problem("class", "unknown class '" + cls + "'; one of " + wires(ErrorClass.values()));
            }
        }
        e.eCode = f.token("e_code", false);
        e.rpcCode = f.optionalInt("rpc_code", Integer.MIN_VALUE, Integer.MAX_VALUE);
        e.aliases = new ArrayList<>();
        JsonNode aliasNodes = node.get("aliases");
        if (aliasNodes != null && aliasNodes.isArray()) {
            for (JsonNode a : aliasNodes) {
                if (a.isBoolean()) {
                    f.problem("aliases", "holds a boolean (" + a.asText() + "); quote the alias, e.g. \"NO\"");
                }
            }
        }
        for (String alias : f.textList("aliases")) {
            if (alias.equals("true") || alias.equals("false")) {
                continue; // reported above when it was a YAML boolean
            }
            if (!CODE.matcher(alias).matches() || !HAS_ALNUM.matcher(alias).matches()) {
                f.problem("aliases", "'" + alias + "' is not a token: " + CODE.pattern());
            } else {
                e.aliases.add(alias);
            }
        }
        e.httpStatus = f.optionalInt("http_status", 100, 599);
        e.npsStatus = f.optionalText("nps_status");
        Long retry = f.optionalLong("retry_after_ms", 0, 24L * 3600 * 1000);
        e.retryAfterMs = retry;
        e.retryAfterNote = f.optionalText("retry_after_note");
        e.remediation = f.textList("remediation");
        e.recoveryTool = f.optionalText("recovery_tool");
        e.recoveryToolNote = f.optionalText("recovery_tool_note");
        e.docs = f.optionalText("docs");
        e.notes = f.textList("notes");
        JsonNode t = node.get("transience");
        if (t != null && !t.isNull()) {
            if (!t.isObject()) {
                f.problem("transience", "a mapping {value, source, basis}, or omitted to derive it from the class");
            } else {
                Fields tf = new Fields(draft.file, where, t, problems, "transience.");
                tf.unknown(TRANSIENCE_FIELDS);
                String value = tf.requiredText("value");
                String source = tf.requiredText("source");
                e.transienceBasisText = tf.requiredText("basis");
                if (value != null) {
                    e.transience = Transience.fromWire(value).orElse(null);
                    if (e.transience == null) {
                        tf.problem("value", "unknown transience '" + value + "'; one of " + wires(Transience.values()));
                    }
                }
                if (source != null) {
                    e.transienceSource = TransienceSource.fromWire(source).orElse(null);
                    if (e.transienceSource == null || e.transienceSource == TransienceSource.DERIVED) {
                        tf.problem("source", "stated or resolved (omit the block to derive from the class), was '"
                                + source + "'");
                        e.transienceSource = null;
                    }
                }
                e.transienceGiven = true;
            }
        }
        if (e.code != null) {
            EntryDraft previous = draft.entries.get(e.code);
            if (previous != null && previous.file.equals(draft.file)) {
                problems.add(new Problem(draft.file, where, "code", "duplicate code (also " + previous.where + ")"));
                return;
            }
            draft.entries.put(e.code, e);
        }
    }

    private static void parseResolution(Draft draft, JsonNode node, int index, List<Problem> problems) {
        String where = "resolutions[" + index + "]";
        if (!node.isObject()) {
            problems.add(new Problem(draft.file, where, null, "a resolution is a mapping"));
            return;
        }
        Fields f = new Fields(draft.file, where, node, problems);
        f.unknown(RESOLUTION_FIELDS);
        ResolutionDraft r = new ResolutionDraft(draft.file, where);
        r.token = f.requiredText("token");
        r.claimants = f.textList("claimants");
        r.owner = f.optionalText("owner");
        JsonNode amb = node.get("ambiguous");
        r.ambiguous = amb != null && amb.asBoolean(false);
        r.reason = f.requiredText("reason");
        if (r.owner != null && r.ambiguous) {
            f.problem("owner", "a resolution has an owner or is ambiguous, not both");
        } else if (r.owner == null && !r.ambiguous) {
            f.problem("owner", "required unless ambiguous: true");
        }
        if (r.token != null) {
            if (draft.resolutions.containsKey(r.token) && draft.resolutions.get(r.token).file.equals(draft.file)) {
                f.problem("token", "duplicate resolution for token " + r.token);
            }
            draft.resolutions.put(r.token, r);
        }
    }

    private static void parseFamily(Draft draft, JsonNode node, int index, List<Problem> problems) {
        String where = "code_families[" + index + "]";
        if (!node.isObject()) {
            problems.add(new Problem(draft.file, where, null, "a code family is a mapping with pattern and category"));
            return;
        }
        Fields f = new Fields(draft.file, where, node, problems);
        f.unknown(FAMILY_FIELDS);
        String pattern = f.requiredText("pattern");
        String category = f.requiredText("category");
        if (pattern != null && (pattern.length() > CodeFamily.MAX_PATTERN_CHARS
                || !CodeFamily.FORM.matcher(pattern).matches())) {
            f.problem("pattern", "'" + pattern + "' is not a code family: literal characters, then one x per digit "
                    + "(E2xxx), at most " + CodeFamily.MAX_PATTERN_CHARS + " characters");
            return;
        }
        if (pattern == null || category == null) {
            return;
        }
        if (draft.families.put(pattern, new CodeFamily(pattern, category)) != null) {
            f.problem("pattern", "duplicate code family " + pattern);
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String wires(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> v : values) {
            out.add(v.name().toLowerCase(java.util.Locale.ROOT));
        }
        return String.join(", ", out);
    }

    /** One catalog while it is being read and merged. */
    private static final class Draft {
        final String id;
        final String file;
        final boolean bundled;
        String version;
        String name;
        String source;
        String docs;
        List<String> notes = List.of();
        final Map<String, EntryDraft> entries = new LinkedHashMap<>();
        final Map<String, ResolutionDraft> resolutions = new LinkedHashMap<>();
        /** By pattern: a user file's family replaces the bundled one with the same pattern. */
        final Map<String, CodeFamily> families = new LinkedHashMap<>();
        final List<String> overlays = new ArrayList<>();
        /** The user file each code not from the bundled catalog came from. */
        final Map<String, String> userFiles = new HashMap<>();
        /** The user file each code family pattern came from, likewise. */
        final Map<String, String> familyFiles = new HashMap<>();

        Draft(String id, String file, boolean bundled) {
            this.id = id;
            this.file = file;
            this.bundled = bundled;
        }

        /**
         * A user file over this catalog: same code replaces the entry, new codes are appended. Two user files that
         * define the same code are a problem: which one wins would depend on file order.
         */
        void overlay(Draft user, List<Problem> problems) {
            for (String code : user.entries.keySet()) {
                String other = userFiles.put(code, user.file);
                if (other != null) {
                    problems.add(new Problem(user.file, code, "code",
                            "also defined in " + other + " (a user file may replace a bundled entry, but one code "
                                    + "must come from one user file)"));
                }
            }
            entries.putAll(user.entries);
            resolutions.putAll(user.resolutions);
            for (String pattern : user.families.keySet()) {
                String other = familyFiles.put(pattern, user.file);
                if (other != null) {
                    problems.add(new Problem(user.file, "code_families", "pattern",
                            "code family " + pattern + " also defined in " + other + " (a user file may replace a "
                                    + "bundled family, but one pattern must come from one user file)"));
                }
            }
            families.putAll(user.families);
            // Stamped on every event, so an overridden catalog never passes for the bundled one.
            overlays.add(user.version != null ? user.version : UNVERSIONED_OVERLAY);
            if (!user.notes.isEmpty()) {
                List<String> merged = new ArrayList<>(notes);
                merged.addAll(user.notes);
                notes = merged;
            }
        }

        Optional<Catalog> build(List<Problem> problems) {
            int before = problems.size();
            if (version == null) {
                problems.add(new Problem(file, null, "version", "required"));
            }
            List<CatalogEntry> built = new ArrayList<>();
            for (EntryDraft e : entries.values()) {
                CatalogEntry entry = e.build(id, problems);
                if (entry != null) {
                    built.add(entry);
                }
            }
            List<Resolution> resolved = validateTokens(built, problems);
            if (problems.size() > before) {
                return Optional.empty();
            }
            String stamp = overlays.isEmpty() ? version : version + "+" + String.join("+", overlays);
            return Optional.of(new Catalog(id, stamp, name, source, docs, notes, built, resolved,
                    List.copyOf(families.values())));
        }

        /**
         * Every token carried by several entries needs exactly one resolution naming exactly those
         * entries; every resolution must be about a token that really is shared.
         */
        private List<Resolution> validateTokens(List<CatalogEntry> built, List<Problem> problems) {
            // User files changed this bundled catalog's entries.
            boolean overlaid = bundled && !userFiles.isEmpty();
            Map<String, Set<String>> claimants = new TreeMap<>();
            for (CatalogEntry e : built) {
                for (String token : e.stringTokens()) {
                    claimants.computeIfAbsent(token, k -> new TreeSet<>()).add(e.code());
                }
                if (e.rpcCode() != null) {
                    claimants.computeIfAbsent(Integer.toString(e.rpcCode()), k -> new TreeSet<>()).add(e.code());
                }
            }
            Set<String> codes = built.stream().map(CatalogEntry::code).collect(Collectors.toSet());
            List<Resolution> out = new ArrayList<>();
            for (ResolutionDraft r : resolutions.values()) {
                if (r.token == null || r.reason == null || (r.owner == null && !r.ambiguous)) {
                    continue; // already reported while parsing
                }
                for (String c : r.claimants) {
                    if (!codes.contains(c)) {
                        problems.add(new Problem(r.file, r.where, "claimants", "names missing code " + c));
                    }
                }
                if (r.owner != null && !codes.contains(r.owner)) {
                    problems.add(new Problem(r.file, r.where, "owner", "names missing code " + r.owner));
                } else if (r.owner != null && !r.claimants.contains(r.owner)) {
                    problems.add(new Problem(r.file, r.where, "owner", r.owner + " is not among the claimants"));
                }
                Set<String> actual = claimants.getOrDefault(r.token, Set.of());
                // A bundled resolution is the user's to redo once their entries change who carries its token.
                boolean redoneByUser = overlaid && r.file.equals(file);
                if (actual.size() < 2 && redoneByUser) {
                    continue; // a user entry no longer carries the token: nothing left to resolve
                }
                String hint = redoneByUser ? "; user files changed the entries that carry it: resolve it in one" : "";
                if (actual.size() < 2) {
                    problems.add(new Problem(r.file, r.where, "token",
                            "token " + r.token + " is not shared (carried by " + actual + "); remove the resolution"));
                } else if (!actual.equals(new TreeSet<>(r.claimants))) {
                    problems.add(new Problem(r.file, r.where, "claimants", "token " + r.token + " is carried by "
                            + actual + ", claimants say " + new TreeSet<>(r.claimants) + hint));
                }
                out.add(new Resolution(r.token, List.copyOf(new TreeSet<>(r.claimants)), r.owner, r.reason));
            }
            for (Map.Entry<String, Set<String>> shared : claimants.entrySet()) {
                if (shared.getValue().size() > 1 && !resolutions.containsKey(shared.getKey())) {
                    problems.add(new Problem(file, String.join(", ", shared.getValue()), "resolutions",
                            "token " + shared.getKey() + " is carried by several entries and has no resolution"
                                    + (overlaid ? " (add one to a user file)" : "")));
                }
            }
            return out;
        }
    }

    /** One entry while it is being read. Nulls mean absent (or already reported). */
    private static final class EntryDraft {
        final String file;
        final String where;
        String code;
        String title;
        String description;
        String category;
        String sourceType;
        ErrorClass errorClass;
        String eCode;
        Integer rpcCode;
        List<String> aliases = List.of();
        Integer httpStatus;
        String npsStatus;
        boolean transienceGiven;
        Transience transience;
        TransienceSource transienceSource;
        String transienceBasisText;
        Long retryAfterMs;
        String retryAfterNote;
        List<String> remediation = List.of();
        String recoveryTool;
        String recoveryToolNote;
        String docs;
        List<String> notes = List.of();

        EntryDraft(String file, String where) {
            this.file = file;
            this.where = where;
        }

        CatalogEntry build(String catalog, List<Problem> problems) {
            if (code == null || title == null || category == null || errorClass == null) {
                return null;
            }
            Transience value;
            TransienceBasis basis;
            if (transienceGiven) {
                if (transience == null || transienceSource == null || transienceBasisText == null) {
                    return null;
                }
                value = transience;
                basis = new TransienceBasis(transienceSource, transienceBasisText, null);
            } else {
                TransienceRule rule = TransienceRule.forClass(errorClass);
                value = rule.transience();
                basis = TransienceBasis.derived(rule);
            }
            if (aliases.contains(code) || (eCode != null && aliases.contains(eCode))) {
                problems.add(new Problem(file, where, "aliases", "repeats the entry's own code or e_code"));
                return null;
            }
            return new CatalogEntry(catalog, code, title, description, category, sourceType, errorClass, eCode,
                    rpcCode, aliases, httpStatus, npsStatus, value, basis, retryAfterMs, retryAfterNote, remediation,
                    recoveryTool, recoveryToolNote, docs, notes);
        }
    }

    private static final class ResolutionDraft {
        final String file;
        final String where;
        String token;
        List<String> claimants = List.of();
        String owner;
        boolean ambiguous;
        String reason;

        ResolutionDraft(String file, String where) {
            this.file = file;
            this.where = where;
        }
    }

    /** Typed field access on one mapping, recording a located problem for each bad field. */
    private static final class Fields {
        private final String file;
        private final String entry;
        private final JsonNode node;
        private final List<Problem> problems;
        private final String prefix;

        Fields(String file, String entry, JsonNode node, List<Problem> problems) {
            this(file, entry, node, problems, "");
        }

        Fields(String file, String entry, JsonNode node, List<Problem> problems, String prefix) {
            this.file = file;
            this.entry = entry;
            this.node = node;
            this.problems = problems;
            this.prefix = prefix;
        }

        void problem(String field, String message) {
            problems.add(new Problem(file, entry, prefix + field, message));
        }

        void unknown(Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!allowed.contains(name)) {
                    problem(name, "unknown field");
                }
            }
        }

        String requiredText(String field) {
            String v = optionalText(field);
            if (v == null && !problemRecordedFor(field)) {
                problem(field, "required");
            }
            return v;
        }

        String optionalText(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isValueNode()) {
                problem(field, "must be a text value");
                return null;
            }
            String text = v.asText().strip();
            if (text.isEmpty()) {
                problem(field, "must not be blank");
                return null;
            }
            return text;
        }

        String token(String field, boolean required) {
            JsonNode raw = node.get(field);
            if (raw != null && raw.isBoolean()) {
                // YAML 1.1 reads unquoted NO, YES, ON, OFF as booleans: a code would silently become "false".
                problem(field, "is a boolean (" + raw.asText() + "); quote the code, e.g. \"NO\"");
                return null;
            }
            String v = required ? requiredText(field) : optionalText(field);
            if (v != null && (!CODE.matcher(v).matches() || !HAS_ALNUM.matcher(v).matches())) {
                problem(field, "'" + v + "' is not a token: " + CODE.pattern());
                return null;
            }
            return v;
        }

        Integer optionalInt(String field, long min, long max) {
            Long v = optionalLong(field, min, max);
            return v == null ? null : v.intValue();
        }

        Long optionalLong(String field, long min, long max) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                problem(field, "must be an integer");
                return null;
            }
            long value = v.asLong();
            if (value < min || value > max) {
                problem(field, "must be between " + min + " and " + max + ", was " + value);
                return null;
            }
            return value;
        }

        List<String> textList(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                problem(field, "must be a list");
                return List.of();
            }
            List<String> out = new ArrayList<>();
            int i = 0;
            for (JsonNode item : v) {
                if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
                    problem(field + "[" + i + "]", "must be non-blank text");
                } else {
                    out.add(item.asText().strip());
                }
                i++;
            }
            return out;
        }

        private boolean problemRecordedFor(String field) {
            String full = prefix + field;
            for (Problem p : problems) {
                if (p.file().equals(file) && java.util.Objects.equals(p.entry(), entry) && full.equals(p.field())) {
                    return true;
                }
            }
            return false;
        }
    }
}
