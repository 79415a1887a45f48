package dev.faultline.catalogs;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.faultline.catalog.load.CatalogSource;
import dev.faultline.catalog.load.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Headers;

/**
 * One catalog document as the catalog topic carries it: key (the catalog id), the document bytes,
 * and what the headers say about it. Immutable.
 */
public final class CatalogDocument {
    /** Catalog ids, as the loader accepts them. */
    static final Pattern CATALOG_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(32).maxStringLength(64 * 1024).build();
    private static final ObjectMapper JSON = jsonMapper();
    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder().streamReadConstraints(LIMITS).build());

    /** How the value is read. */
    public enum Format {
        YAML("yaml"), JSON("json");

        private final String wire;

        Format(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private final String key;
    private final byte[] content;
    private final String file;
    private final String publisher;
    private final String headerSha256;
    private final String sha256;
    /** False for a file to publish: its key is its declared id, which the loader validates itself. */
    private final boolean checkKey;

    /**
     * @param key          the record key (should be the catalog id)
     * @param content      the document bytes
     * @param file         the file it was published from, or {@code null}
     * @param publisher    who published it, or {@code null}
     * @param headerSha256 the hash the record's header claims, or {@code null}
     */
    public CatalogDocument(String key, byte[] content, String file, String publisher, String headerSha256) {
        this(key, content, file, publisher, headerSha256, true);
    }

    private CatalogDocument(String key, byte[] content, String file, String publisher, String headerSha256,
            boolean checkKey) {
        this.checkKey = checkKey;
        this.key = Objects.requireNonNull(key, "key");
        this.content = Objects.requireNonNull(content, "content").clone();
        this.file = file;
        this.publisher = publisher;
        this.headerSha256 = headerSha256;
        this.sha256 = CatalogTopic.sha256(content);
    }

    /** A document read from the topic, with what its headers say. */
    public static CatalogDocument fromRecord(String key, byte[] value, Headers headers) {
        return new CatalogDocument(key, value, CatalogTopic.header(headers, CatalogTopic.FILE),
                CatalogTopic.header(headers, CatalogTopic.PUBLISHER), CatalogTopic.header(headers, CatalogTopic.SHA256));
    }

    /**
     * A document to publish from a file: keyed by the id it declares (or, when it declares none it
     * can be read from, the file name), so validation reports the real problem.
     */
    public static CatalogDocument fromFile(String fileName, byte[] content) {
        String declared = declared(content, sniff(content)).id;
        String key = declared != null ? declared : fileName;
        return new CatalogDocument(key, content, fileName, null, null, false);
    }

    public String key() {
        return key;
    }

    public byte[] content() {
        return content.clone();
    }

    public String file() {
        return file;
    }

    public String publisher() {
        return publisher;
    }

    public String sha256() {
        return sha256;
    }

    /** JSON when the first non-blank character (after a BOM) is <code>{</code>; YAML otherwise. */
    public Format format() {
        return sniff(content);
    }

    /** The {@code version} the document declares, or {@code null}. */
    public String version() {
        return declared(content, format()).version;
    }

    /** Same key and the same bytes. */
    /** What validation reads of the record, as one string: its key, content and claimed hash. */
    String fingerprint() {
        return key + "/" + sha256 + "/" + headerSha256;
    }

    public boolean sameAs(CatalogDocument other) {
        return other != null && key.equals(other.key) && sha256.equals(other.sha256);
    }

    /**
     * The name problems are reported under: the file it came from when its extension agrees with
     * how the bytes are read, else {@code TOPIC/KEY.yaml|json}.
     */
    public String sourceName(String topic) {
        String ext = format() == Format.JSON ? ".json" : ".yaml";
        if (file != null) {
            String lower = file.toLowerCase(Locale.ROOT);
            boolean json = lower.endsWith(".json");
            boolean yaml = lower.endsWith(".yaml") || lower.endsWith(".yml");
            if ((json && format() == Format.JSON) || (yaml && format() == Format.YAML)) {
                return file;
            }
        }
        return topic + "/" + key + ext;
    }

    /** The document as the loader reads it: a user (non-bundled) source. */
    public CatalogSource toSource(String topic) {
        String name = sourceName(topic);
        // CatalogSource reads JSON only when the name ends with .json.
        if (format() == Format.JSON && !name.endsWith(".json")) {
            name = name + ".json";
        }
        return new CatalogSource(name, content, false);
    }

    /**
     * What is wrong with the record itself, before catalog validation: the key, the size, the
     * hash header, a missing {@code version}, an {@code id} that is not the key.
     */
    public List<Problem> recordProblems(String topic) {
        String where = sourceName(topic);
        List<Problem> out = new ArrayList<>();
        if (checkKey && !CATALOG_ID.matcher(key).matches()) {
            out.add(new Problem(where, null, "key", "the record key must be a catalog id matching "
                    + CATALOG_ID.pattern() + ", was '" + key + "'"));
        }
        if (content.length > CatalogTopic.MAX_DOCUMENT_BYTES) {
            out.add(new Problem(where, null, null, "document is " + content.length + " bytes; the limit on "
                    + "the catalog topic is " + CatalogTopic.MAX_DOCUMENT_BYTES));
            return out;
        }
        if (headerSha256 != null && !headerSha256.equalsIgnoreCase(sha256)) {
            out.add(new Problem(where, null, null, "content does not match its " + CatalogTopic.SHA256
                    + " header (header " + headerSha256 + ", content " + sha256 + ")"));
        }
        Declared d = declared(content, format());
        if (d.readable) {
            if (d.id != null && !d.id.equals(key)) {
                out.add(new Problem(where, null, "id", "declares id '" + d.id + "' but is keyed '" + key
                        + "'; the key must be the catalog id"));
            }
            if (d.version == null) {
                out.add(new Problem(where, null, "version",
                        "required for a published catalog: it is stamped on every enriched event"));
            }
        }
        return out;
    }

    /** {@code file 'x', published by 'y'} (or less, when unknown); raw, escape before logging. */
    String provenance() {
        StringBuilder sb = new StringBuilder();
        sb.append("file '").append(file == null ? "-" : file).append('\'');
        if (publisher != null) {
            sb.append(", published by '").append(publisher).append('\'');
        }
        return sb.append(", sha256 ").append(sha256, 0, 12).toString();
    }

    static Format sniff(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            i = 3;
        }
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) {
            i++;
        }
        return i < bytes.length && bytes[i] == '{' ? Format.JSON : Format.YAML;
    }

    private record Declared(boolean readable, String id, String version) {
    }

    private static Declared declared(byte[] content, Format format) {
        if (content.length > CatalogTopic.MAX_DOCUMENT_BYTES) {
            return new Declared(false, null, null);
        }
        try {
            JsonNode root = (format == Format.JSON ? JSON : YAML).readTree(content);
            if (root == null || !root.isObject()) {
                return new Declared(false, null, null); // the loader says what is wrong
            }
            return new Declared(true, text(root.get("id")), text(root.get("version")));
        } catch (IOException | RuntimeException e) {
            return new Declared(false, null, null); // the loader reports the syntax error
        }
    }

    private static String text(JsonNode n) {
        if (n == null || !n.isValueNode() || n.isNull() || n.asText().isBlank()) {
            return null;
        }
        return n.asText().strip();
    }

    private static ObjectMapper jsonMapper() {
        JsonMapper m = JsonMapper.builder().build();
        m.getFactory().setStreamReadConstraints(LIMITS);
        return m;
    }

    @Override
    public String toString() {
        return "CatalogDocument[" + key + ", " + provenance() + "]";
    }
}
