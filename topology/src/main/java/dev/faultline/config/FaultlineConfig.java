package dev.faultline.config;

import static dev.faultline.config.FaultlineKeys.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.catalog.event.ParseConfig;
import dev.faultline.catalog.match.ServiceBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Faultline's whole configuration, typed and immutable. Build one with {@link #load(Path, Map)},
 * {@link #parse(String, Map)} or {@link #defaults()}; every key is declared in {@link FaultlineKeys}.
 */
public final class FaultlineConfig {
    /** Environment variables with this prefix override file values. */
    public static final String ENV_PREFIX = "FAULTLINE_";
    /** {@code FAULTLINE_*} variables that are not configuration keys (read by launch scripts). */
    public static final Set<String> RESERVED_ENV = Set.of("FAULTLINE_CONFIG", "FAULTLINE_OPTS", "FAULTLINE_HOME",
            "FAULTLINE_LOG_LEVEL", "FAULTLINE_VERSION");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Map<String, Object> values;
    private final Map<String, String> kafka;

    private FaultlineConfig(Map<String, Object> values, Map<String, String> kafka) {
        this.values = Collections.unmodifiableMap(values);
        this.kafka = Collections.unmodifiableMap(kafka);
    }

    // ------------------------------------------------------------------ loading

    /**
     * Reads {@code file} (or only defaults when {@code null}) and applies {@code FAULTLINE_*}
     * overrides from {@code env}; environment wins over the file. Never throws for bad input:
     * every problem is in the result.
     */
    public static ConfigResult load(Path file, Map<String, String> env) {
        if (file == null) {
            return parse("", "defaults", env);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return new ConfigResult(Optional.empty(), List.of(file + ": cannot read: " + e.getMessage()));
        }
        return parse(text, file.toString(), env);
    }

    /** Like {@link #load} on YAML text; handy for tests ({@code parse("", Map.of(...))}). */
    public static ConfigResult parse(String yaml, Map<String, String> env) {
        return parse(yaml, "config", env);
    }

    /** The built-in defaults; fails only if a default were invalid (a bug). */
    public static FaultlineConfig defaults() {
        return parse("", Map.of()).orThrow();
    }

    private static ConfigResult parse(String yaml, String origin, Map<String, String> env) {
        List<String> errors = new ArrayList<>();
        Map<String, JsonNode> raw = new LinkedHashMap<>();
        Map<String, String> originOf = new LinkedHashMap<>();
        readYaml(yaml, origin, raw, originOf, errors);
        readEnv(env, raw, originOf, errors);

        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : ALL) {
            JsonNode node = raw.get(key.name());
            Object value = node == null ? key.defaultValue() : typed(key, node, originOf.get(key.name()), errors);
            values.put(key.name(), value);
        }
        Map<String, String> kafka = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : raw.entrySet()) {
            if (e.getKey().startsWith(KAFKA_PREFIX)) {
                String client = e.getKey().substring(KAFKA_PREFIX.length());
                String owner = OWNED_KAFKA_KEYS.get(client);
                if (owner != null) {
                    errors.add(originOf.get(e.getKey()) + ": " + e.getKey() + ": set '" + owner + "' instead");
                }
                String value = scalarText(e.getValue());
                String problem = owner == null ? KafkaSettings.problem(client, value) : null;
                if (problem != null) {
                    errors.add(originOf.get(e.getKey()) + ": " + e.getKey() + ": " + problem);
                }
                kafka.put(client, value);
            }
        }
        kafka.put("bootstrap.servers", (String) values.get(BOOTSTRAP_SERVERS.name()));
        resolveInputs(values, originOf, errors);
        crossCheck(values, errors);
        if (!errors.isEmpty()) {
            return new ConfigResult(Optional.empty(), errors);
        }
        return new ConfigResult(Optional.of(new FaultlineConfig(values, kafka)), List.of());
    }

    private static void readYaml(String yaml, String origin, Map<String, JsonNode> raw, Map<String, String> originOf,
            List<String> errors) {
        if (yaml.isBlank()) {
            return;
        }
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            errors.add(origin + (loc == null ? "" : ":" + loc.getLineNr()) + ": invalid YAML: " + e.getOriginalMessage());
            return;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            errors.add(origin + ": the top level must be a mapping of keys");
            return;
        }
        flatten(root, "", origin, raw, originOf, errors);
    }

    /** Nested mappings become dotted names until a declared key (or the kafka passthrough) is reached. */
    private static void flatten(JsonNode node, String prefix, String origin, Map<String, JsonNode> raw,
            Map<String, String> originOf, List<String> errors) {
        if (node.isNull()) {
            return; // an empty value (a section with only comments) means "use the defaults"
        }
        boolean passthrough = prefix.startsWith(KAFKA_PREFIX);
        ConfigKey<?> key = prefix.isEmpty() ? null : byName(prefix);
        if (!prefix.isEmpty() && !node.isObject() && (key != null || passthrough)) {
            if (raw.putIfAbsent(prefix, node) != null) {
                errors.add(origin + ": " + prefix + ": set more than once");
            }
            originOf.put(prefix, origin);
            return;
        }
        if (!node.isObject()) {
            errors.add(origin + ": " + prefix + ": unknown key" + suggestion(prefix));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (name.equals("kafka") && !f.getValue().isObject() && !f.getValue().isNull()) {
                errors.add(origin + ": kafka: must be a mapping of Kafka client settings");
                continue;
            }
            flatten(f.getValue(), name, origin, raw, originOf, errors);
        }
    }

    private static void readEnv(Map<String, String> env, Map<String, JsonNode> raw, Map<String, String> originOf,
            List<String> errors) {
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String var = e.getKey();
            if (!var.startsWith(ENV_PREFIX) || RESERVED_ENV.contains(var)) {
                continue;
            }
            String name = envToKey(var);
            String origin = "environment " + var;
            ConfigKey<?> key = byName(name);
            if (isKubernetesServiceLink(var, e.getValue(), key != null)) {
                continue;
            }
            if (name.startsWith(KAFKA_PREFIX)) {
                if (name.length() == KAFKA_PREFIX.length() || name.endsWith(".")) {
                    errors.add(origin + ": names no Kafka setting");
                    continue;
                }
                raw.put(name, TextNode.valueOf(e.getValue()));
            } else if (key != null) {
                try {
                    raw.put(name, key.type().fromEnv(e.getValue()));
                } catch (IllegalArgumentException ex) {
                    errors.add(origin + ": " + name + ": " + ex.getMessage());
                    continue;
                }
            } else {
                errors.add(origin + ": maps to '" + name + "', an unknown key" + suggestion(name));
                continue;
            }
            originOf.put(name, origin);
        }
    }

    private static final Pattern SERVICE_LINK_NAME = Pattern.compile(
            "FAULTLINE(_[A-Z0-9_]+)?_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");
    private static final Pattern SERVICE_LINK_PORT = Pattern.compile("FAULTLINE(_[A-Z0-9_]+)?_PORT");
    private static final Pattern SERVICE_LINK_URL = Pattern.compile("(tcp|udp|sctp)://.*");

    /**
     * Whether {@code var} is one Kubernetes sets for a Service whose name starts with {@code faultline} (a Service
     * named {@code faultline} gives every pod of its namespace {@code FAULTLINE_SERVICE_HOST},
     * {@code FAULTLINE_PORT=tcp://…}, {@code FAULTLINE_PORT_9400_TCP_ADDR}, …): not configuration, and an error for
     * each would stop the pod from starting. A {@code *_PORT} whose value is a {@code tcp://} URL is one even where
     * the name is a key ({@code FAULTLINE_OPS_PORT} of a Service {@code faultline-ops}): no port reads so.
     */
    static boolean isKubernetesServiceLink(String var, String value, boolean namesAKey) {
        if (!namesAKey && SERVICE_LINK_NAME.matcher(var).matches()) {
            return true;
        }
        return SERVICE_LINK_PORT.matcher(var).matches() && value != null
                && SERVICE_LINK_URL.matcher(value.strip()).matches();
    }

    /**
     * {@code FAULTLINE_KAFKA_BOOTSTRAP_SERVERS} → {@code kafka.bootstrap.servers}: after the prefix,
     * {@code ___} is {@code -}, {@code __} is {@code _}, {@code _} is {@code .} (the Confluent image
     * convention), lower-cased.
     */
    public static String envToKey(String variable) {
        String s = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        return s.replace("___", "\u0001").replace("__", "\u0002").replace('_', '.')
                .replace('\u0001', '-').replace('\u0002', '_');
    }

    private static Object typed(ConfigKey<?> key, JsonNode node, String origin, List<String> errors) {
        Object value;
        try {
            value = key.type().parse(node);
        } catch (IllegalArgumentException e) {
            errors.add(origin + ": " + key.name() + ": " + e.getMessage());
            return key.defaultValue();
        }
        String problem;
        try {
            @SuppressWarnings("unchecked")
            ConfigKey.Validator<Object> validator = (ConfigKey.Validator<Object>) key.validator();
            problem = validator.check(value);
        } catch (RuntimeException e) {
            // A validator's bug (an overflow on an absurd value) must not hide the other errors behind a stack trace.
            problem = "invalid value (" + e.getClass().getSimpleName() + ")";
        }
        if (problem != null) {
            errors.add(origin + ": " + key.name() + ": " + problem);
            return key.defaultValue();
        }
        return value;
    }

    /**
     * A list and a pattern set at the same level (both in the file, or both in the environment) is
     * an error; across levels the environment wins, so a container can swap the file's list for a
     * pattern. An unset pattern means the list (or its default) is used.
     */
    private static void resolveInputs(Map<String, Object> values, Map<String, String> originOf, List<String> errors) {
        String listOrigin = originOf.get(TOPICS_INPUT.name());
        String patternOrigin = originOf.get(TOPICS_INPUT_PATTERN.name());
        if (listOrigin == null || patternOrigin == null) {
            return;
        }
        boolean listFromEnv = listOrigin.startsWith("environment");
        boolean patternFromEnv = patternOrigin.startsWith("environment");
        if (listFromEnv == patternFromEnv) {
            errors.add(patternOrigin + ": topics.input and topics.input.pattern are exclusive: set one");
        } else if (listFromEnv) {
            values.put(TOPICS_INPUT_PATTERN.name(), null);
        }
    }

    private static void crossCheck(Map<String, Object> values, List<String> errors) {
        Pattern pattern = (Pattern) values.get(TOPICS_INPUT_PATTERN.name());
        @SuppressWarnings("unchecked")
        List<String> inputs = (List<String>) values.get(TOPICS_INPUT.name());
        if (pattern == null && inputs.isEmpty()) {
            errors.add("topics.input: at least one input topic (or set topics.input.pattern)");
        }
        // The catalog topic too: reading logs or our own output as catalog documents, or catalogs as logs, is
        // as wrong as a loop.
        List<ConfigKey<String>> outputs = List.of(TOPICS_ENRICHED, TOPICS_AGGREGATES, TOPICS_ALERTS, TOPICS_DLQ,
                TOPICS_CATALOG);
        Map<String, String> seen = new LinkedHashMap<>();
        for (ConfigKey<String> out : outputs) {
            String topic = (String) values.get(out.name());
            String other = seen.putIfAbsent(topic, out.name());
            if (other != null) {
                errors.add(out.name() + ": same topic as " + other + " ('" + topic + "')");
            }
            // Reading our own output would feed enriched events back in: a loop.
            if (pattern == null && inputs.contains(topic)) {
                errors.add("topics.input: contains the output topic '" + topic + "' (" + out.name() + ")");
            }
            if (pattern != null && pattern.matcher(topic).matches()) {
                errors.add("topics.input.pattern: matches the output topic '" + topic + "' (" + out.name() + ")");
            }
        }
        checkRecordSizes(values, errors);
        @SuppressWarnings("unchecked")
        List<String> alertmanagers = (List<String>) values.get(ALERTS_ALERTMANAGER_URLS.name());
        boolean delivering = !alertmanagers.isEmpty() || values.get(ALERTS_WEBHOOK_URL.name()) != null;
        Duration ttl = (Duration) values.get(ALERTS_SINK_FIRING_TTL.name());
        Duration repeat = (Duration) values.get(ALERTS_REPEAT_INTERVAL.name());
        Duration window = (Duration) values.get(ALERTS_WINDOW.name());
        Duration holdDown = (Duration) values.get(ALERTS_RESOLVE_HOLD_DOWN.name());
        Duration longestQuiet = repeat.plus(window).plus(holdDown);
        if (delivering && ttl.compareTo(longestQuiet) <= 0) {
            // A firing alert is sent again only with occurrences in an anomalous window, at least a repeat interval
            // after the last send: up to repeat + window apart while it lasts, and up to window + hold-down before
            // its resolve. A receiver such as Alertmanager must not expire it in between.
            errors.add(ALERTS_SINK_FIRING_TTL.name() + ": must exceed " + ALERTS_REPEAT_INTERVAL.name() + " + "
                    + ALERTS_WINDOW.name() + " + " + ALERTS_RESOLVE_HOLD_DOWN.name() + " (" + Durations.format(ttl)
                    + " is not above " + Durations.format(longestQuiet) + ")");
        }
    }

    /** Kafka's default largest record (a topic's max.message.bytes, a producer's max.request.size). */
    static final long KAFKA_DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

    /**
     * The aggregate and alert records, and their state in changelogs, hold up to these many hosts and samples: a
     * record larger than Kafka takes fails the task on every retry and stalls its partition. So their worst case
     * (every char of a host or sample a control char, written as a six-byte escape) must fit Kafka's default
     * record size. A host (a label) is at most 256 chars (LogEvent.MAX_LABEL_CHARS); the rest of an alert (its
     * catalog entry's title, steps and links) is allowed 64 KiB.
     */
    private static void checkRecordSizes(Map<String, Object> values, List<String> errors) {
        long hostBytes = 256 * 6;
        long sampleBytes = 6L * (Integer) values.get(AGGREGATES_MAX_SAMPLE_CHARS.name());
        long aggregate = (Integer) values.get(AGGREGATES_MAX_DISTINCT_HOSTS.name()) * hostBytes + sampleBytes + 4096;
        if (aggregate > KAFKA_DEFAULT_MAX_RECORD_BYTES) {
            errors.add(AGGREGATES_MAX_DISTINCT_HOSTS.name() + ", " + AGGREGATES_MAX_SAMPLE_CHARS.name()
                    + ": an aggregate could reach " + aggregate + " bytes, over Kafka's default record size ("
                    + KAFKA_DEFAULT_MAX_RECORD_BYTES + "); lower them");
        }
        long alert = (Integer) values.get(ALERTS_MAX_SAMPLES.name()) * sampleBytes
                + (Integer) values.get(ALERTS_MAX_HOSTS.name()) * hostBytes + 64 * 1024;
        if (alert > KAFKA_DEFAULT_MAX_RECORD_BYTES) {
            errors.add(ALERTS_MAX_SAMPLES.name() + ", " + AGGREGATES_MAX_SAMPLE_CHARS.name() + ": an alert could reach "
                    + alert + " bytes, over Kafka's default record size (" + KAFKA_DEFAULT_MAX_RECORD_BYTES
                    + "); lower them");
        }
    }

    private static String scalarText(JsonNode node) {
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            return String.join(",", parts);
        }
        return node.asText();
    }

    private static String suggestion(String name) {
        String best = null;
        int bestDistance = 4;
        for (ConfigKey<?> k : ALL) {
            int d = distance(name, k.name());
            if (d < bestDistance) {
                bestDistance = d;
                best = k.name();
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ------------------------------------------------------------------ access

    /** The typed value of any key. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) values.get(key.name());
    }

    public String applicationId() {
        return get(APPLICATION_ID);
    }

    public String bootstrapServers() {
        return get(BOOTSTRAP_SERVERS);
    }

    public Guarantee processingGuarantee() {
        return get(PROCESSING_GUARANTEE);
    }

    public Optional<Path> stateDir() {
        return Optional.ofNullable(get(STATE_DIR)).map(Path::of);
    }

    /** Input topics; empty when {@link #inputPattern()} is set. */
    public List<String> inputTopics() {
        return inputPattern().isPresent() ? List.of() : get(TOPICS_INPUT);
    }

    public Optional<Pattern> inputPattern() {
        return Optional.ofNullable(get(TOPICS_INPUT_PATTERN));
    }

    public String enrichedTopic() {
        return get(TOPICS_ENRICHED);
    }

    public String aggregatesTopic() {
        return get(TOPICS_AGGREGATES);
    }

    public String alertsTopic() {
        return get(TOPICS_ALERTS);
    }

    public String dlqTopic() {
        return get(TOPICS_DLQ);
    }

    public List<TopicBinding> topicBindings() {
        return get(TOPICS_SERVICES);
    }

    /** The fallback service for records of {@code topic}, or {@code null} when no binding matches. */
    public String serviceForTopic(String topic) {
        for (TopicBinding b : topicBindings()) {
            if (b.matches(topic)) {
                return b.service();
            }
        }
        return null;
    }

    public boolean emitEventsWithoutErrors() {
        return get(EMIT_EVENTS_WITHOUT_ERRORS);
    }

    /** User catalog directories (relative paths resolve against the working directory). */
    public List<Path> catalogDirs() {
        return get(CATALOG_DIRS).stream().map(Path::of).toList();
    }

    public List<ServiceBinding> serviceBindings() {
        return get(SERVICES);
    }

    /** What the parser extracts and its bounds. */
    public ParseConfig parseConfig() {
        return new ParseConfig(get(MATCHER_TYPED_FIELDS), get(MATCHER_MESSAGE_FIELDS), get(LIMITS_MAX_RECORD_BYTES),
                get(LIMITS_MAX_DEPTH), get(LIMITS_MAX_STRING_CHARS), get(LIMITS_MAX_FIELDS),
                get(LIMITS_MAX_BATCH_RECORDS));
    }

    /** Everything the {@code Enricher} needs besides catalogs. */
    public EnricherConfig enricherConfig() {
        return new EnricherConfig(parseConfig(), serviceBindings(), maxMessageChars());
    }

    public int maxMessageChars() {
        return get(LIMITS_MAX_MESSAGE_CHARS);
    }

    public List<Duration> windowSizes() {
        return get(WINDOWS_SIZES);
    }

    public Duration windowGrace() {
        return get(WINDOWS_GRACE);
    }

    public Duration idlePartitionTimeout() {
        return get(EVENT_TIME_IDLE_PARTITION_TIMEOUT);
    }

    /** Every {@code kafka.*} setting without the prefix, {@code bootstrap.servers} included. */
    public Map<String, String> kafkaProperties() {
        return kafka;
    }

    /**
     * Faultline's defaults for the Streams producer, where Kafka's own do not suit it; each applies only when the
     * {@code kafka:} block sets the key neither plain nor with the {@code producer.} prefix.
     *
     * <p>{@code batch.size}: 64 KiB instead of 16 KiB. A batch is sent when full, after
     * {@code linger.ms} (100 ms, Kafka Streams' default) or at a commit, whichever comes first, so a bigger one
     * adds no latency beyond those. With 16 KiB a partition's batch filled every ~10 enriched events, and each
     * new batch woke the producer's sender thread: in the stream harness that was most of the stream thread's
     * time in sends, and the full topology ran ~25% more records/s with 64 or 128 KiB (BENCHMARKS.md, ninth
     * round); 64 KiB holds half the memory per open batch. The producer's {@code buffer.memory} (32 MiB) bounds
     * the total: when open batches fill it, the producer sends them early and a send waits for the memory,
     * rather than grow.
     */
    private static final Map<String, String> PRODUCER_DEFAULTS = Map.of("batch.size", Integer.toString(64 * 1024));

    /**
     * Properties for {@code new KafkaStreams(topology, props)}: the {@code kafka.*} passthrough,
     * then everything Faultline decides explicitly (ids, guarantee, serdes, error handlers, the
     * dead-letter topic, explicit-naming enforcement), and {@link #PRODUCER_DEFAULTS} where the passthrough
     * leaves them unset.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, ConfigType.wire(processingGuarantee()));
        stateDir().ifPresent(d -> p.put(StreamsConfig.STATE_DIR_CONFIG, d.toString()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, get(NUM_STREAM_THREADS));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, get(REPLICATION_FACTOR));
        // Every operator has explicit serdes; bytes as the default means a forgotten one can never fail to decode.
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        // Bad input never stops the app: the topology dead-letters unreadable logs itself; what still
        // escapes (a bug in an operator) is logged and, via KIP-1034, copied to the same DLQ topic. The app
        // replaces these handlers with Faultline's own (FaultlineTopology.streamsProperties), which write
        // Faultline's dead-letter shape and count it.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Failing on a produce error is right under exactly-once: continuing would silently lose output.
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DefaultProductionExceptionHandler.class.getName());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, dlqTopic());
        // The default extractor fails the app on a negative timestamp; bad input must never stop us.
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, UsePartitionTimeOnInvalidTimestamp.class.getName());
        // Generated names shift when the topology changes and silently orphan state: refuse them.
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        PRODUCER_DEFAULTS.forEach((name, value) -> {
            if (!kafka.containsKey(name) && !kafka.containsKey(StreamsConfig.producerPrefix(name))) {
                p.put(StreamsConfig.producerPrefix(name), value);
            }
        });
        return p;
    }

    @Override
    public String toString() {
        return "FaultlineConfig" + values;
    }
}
