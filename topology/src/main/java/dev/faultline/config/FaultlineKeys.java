package dev.faultline.config;

import static dev.faultline.config.ConfigType.BOOLEAN;
import static dev.faultline.config.ConfigType.DOUBLE;
import static dev.faultline.config.ConfigType.DURATION;
import static dev.faultline.config.ConfigType.DURATION_LIST;
import static dev.faultline.config.ConfigType.INT;
import static dev.faultline.config.ConfigType.PATTERN;
import static dev.faultline.config.ConfigType.SIZE;
import static dev.faultline.config.ConfigType.STRING;
import static dev.faultline.config.ConfigType.STRING_LIST;

import dev.faultline.catalog.event.ParseConfig;
import dev.faultline.catalog.event.TypedField;
import dev.faultline.catalog.match.ServiceBinding;
import dev.faultline.config.ConfigKey.Validator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every configuration key, declared exactly once. {@code config/faultline.yaml} documents the same
 * keys for humans; {@code FaultlineKeysTest} keeps the two in step.
 */
public final class FaultlineKeys {
    /**
     * The longest duration any key takes: ten years. Durations are used as milliseconds and added up (a window
     * store's retention is twice the size plus the grace plus an hour), so a bound keeps that arithmetic exact.
     */
    static final Duration MAX_DURATION = Duration.ofDays(3650);

    /** Top-level section passed through to the Kafka clients unchanged. */
    public static final String KAFKA_PREFIX = "kafka.";

    /** How Kafka Streams commits: the two guarantees Kafka Streams 4 supports. */
    public enum Guarantee {
        AT_LEAST_ONCE,
        EXACTLY_ONCE_V2
    }

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]{1,253}:([0-9]{1,5})");

    public static final ConfigKey<String> APPLICATION_ID = key("application.id", STRING, "faultline",
            "Kafka Streams application id: consumer group, internal topic and state directory prefix.",
            matches(Pattern.compile("[a-zA-Z0-9._-]{1,200}"), "letters, digits, '.', '_' and '-'"));
    public static final ConfigKey<String> BOOTSTRAP_SERVERS = key("kafka.bootstrap.servers", STRING, "localhost:9092",
            "Kafka brokers, host:port[,host:port]; every other kafka.* key passes through to the clients.",
            notBlank());
    public static final ConfigKey<Guarantee> PROCESSING_GUARANTEE = key("processing.guarantee",
            ConfigType.enumOf(Guarantee.class), Guarantee.EXACTLY_ONCE_V2,
            "exactly_once_v2 (no duplicate alerts after a crash) or at_least_once.", Validator.any());
    public static final ConfigKey<String> STATE_DIR = key("state.dir", STRING, null,
            "Directory for local state stores (default: Kafka Streams' temp directory).", notBlank());
    public static final ConfigKey<Integer> NUM_STREAM_THREADS = key("num.stream.threads", INT, 1,
            "Stream threads in this instance.", range(1, 64));
    public static final ConfigKey<Integer> REPLICATION_FACTOR = key("replication.factor", INT, -1,
            "Replication of internal topics; -1 uses the broker default.", v -> v == -1 || (v >= 1 && v <= 32)
                    ? null : "must be -1 or 1..32");

    public static final ConfigKey<List<String>> TOPICS_INPUT = key("topics.input", STRING_LIST, List.of("logs"),
            "Log topics to read (exclusive with topics.input.pattern).", topicList());
    public static final ConfigKey<Pattern> TOPICS_INPUT_PATTERN = key("topics.input.pattern", PATTERN, null,
            "Regex of log topics to read, e.g. 'logs\\..*' (exclusive with topics.input).",
            v -> v.pattern().isBlank() ? "must not be empty (it would match no topic)" : null);
    public static final ConfigKey<String> TOPICS_ENRICHED = key("topics.enriched", STRING, "faultline.enriched",
            "Enriched events (faultline.enriched/v1), keyed by service.", topic());
    public static final ConfigKey<String> TOPICS_AGGREGATES = key("topics.aggregates", STRING, "faultline.aggregates",
            "Final windowed counts (faultline.aggregate/v1).", topic());
    public static final ConfigKey<String> TOPICS_ALERTS = key("topics.alerts", STRING, "faultline.alerts",
            "Spike alerts (faultline.alert/v1, Alertmanager-shaped), keyed by fingerprint.", topic());
    public static final ConfigKey<String> TOPICS_DLQ = key("topics.dlq", STRING, "faultline.dlq",
            "Unreadable records, original bytes plus faultline.dlq.* headers.", topic());
    public static final ConfigKey<String> TOPICS_CATALOG = key("topics.catalog", STRING, "faultline.catalog",
            "Compacted topic of published catalogs (key: catalog id), read by every instance as a global store.",
            topic());
    public static final ConfigKey<List<TopicBinding>> TOPICS_SERVICES = key("topics.services",
            ConfigType.TOPIC_BINDINGS, List.of(),
            "Fallback service per topic glob, for logs that name none; first match wins.", Validator.any());

    public static final ConfigKey<Boolean> EMIT_EVENTS_WITHOUT_ERRORS = key("emit.events-without-errors", BOOLEAN,
            false, "Also write events without findings to topics.enriched.", Validator.any());

    public static final ConfigKey<List<String>> CATALOG_DIRS = key("catalog.dirs", STRING_LIST, List.of(),
            "Extra catalog directories (added to the bundled catalogs).", Validator.any());
    public static final ConfigKey<Boolean> CATALOG_LIVE = key("catalog.live", BOOLEAN, true,
            "Apply catalogs published to topics.catalog while running (faultline run).", Validator.any());
    public static final ConfigKey<List<ServiceBinding>> SERVICES = key("services", ConfigType.SERVICE_BINDINGS,
            List.of(), "Service glob -> catalogs its codes come from; first match wins.", Validator.any());

    public static final ConfigKey<List<TypedField>> MATCHER_TYPED_FIELDS = key("matcher.typed-fields",
            ConfigType.TYPED_FIELDS, TypedField.defaults(),
            "Structured code fields, in priority order (default: the README's list).", nonEmpty());
    public static final ConfigKey<List<String>> MATCHER_MESSAGE_FIELDS = key("matcher.message-fields", STRING_LIST,
            ParseConfig.DEFAULT_MESSAGE_FIELDS, "Message-like fields the string fallback scans.", Validator.any());

    public static final ConfigKey<Integer> LIMITS_MAX_RECORD_BYTES = key("limits.max-record-bytes", SIZE,
            1024 * 1024, "Larger records go to the DLQ (too-large).", range(64, 64 * 1024 * 1024));
    public static final ConfigKey<Integer> LIMITS_MAX_DEPTH = key("limits.max-depth", INT, 64,
            "Deeper JSON goes to the DLQ (too-deep).", range(2, 1000));
    public static final ConfigKey<Integer> LIMITS_MAX_STRING_CHARS = key("limits.max-string-chars", SIZE,
            256 * 1024, "Longer JSON strings go to the DLQ (string-too-long).", range(1, 64 * 1024 * 1024));
    public static final ConfigKey<Integer> LIMITS_MAX_FIELDS = key("limits.max-fields", INT, 4096,
            "More scalar fields in one event go to the DLQ (too-many-fields).", range(1, 1_000_000));
    public static final ConfigKey<Integer> LIMITS_MAX_BATCH_RECORDS = key("limits.max-batch-records", INT, 10_000,
            "More log records in one OTLP batch go to the DLQ.", range(1, 1_000_000));
    public static final ConfigKey<Integer> LIMITS_MAX_MESSAGE_CHARS = key("limits.max-message-chars", INT, 8192,
            "Messages are cut to this length in enriched events.", range(64, 1024 * 1024));

    public static final ConfigKey<List<Duration>> WINDOWS_SIZES = key("windows.sizes", DURATION_LIST,
            List.of(Duration.ofMinutes(1)), "Tumbling aggregate window sizes.", durations());
    public static final ConfigKey<Duration> WINDOWS_GRACE = key("windows.grace", DURATION, Duration.ofSeconds(30),
            "How long after a window ends late events are still counted.", nonNegative());
    public static final ConfigKey<Integer> AGGREGATES_MAX_DISTINCT_HOSTS = key("aggregates.max-distinct-hosts", INT,
            64, "Distinct hosts kept per aggregate (beyond: counted as truncated).", range(1, 10_000));
    public static final ConfigKey<Integer> AGGREGATES_MAX_SAMPLE_CHARS = key("aggregates.max-sample-chars", INT, 512,
            "Sample messages in aggregates and alerts are cut to this length.", range(16, 65_536));

    public static final ConfigKey<Duration> EVENT_TIME_MAX_FUTURE_SKEW = key("event-time.max-future-skew", DURATION,
            Duration.ofMinutes(5), "A log time further ahead of the record time is not trusted (at most 30m: the "
                    + "aggregate stores' margin for a partition ahead is an hour less this).", atMostMinutes(30));
    public static final ConfigKey<Duration> EVENT_TIME_MAX_PAST_AGE = key("event-time.max-past-age", DURATION,
            Duration.ofDays(7), "A log time further behind the record time is not trusted.", nonNegative());
    public static final ConfigKey<Duration> EVENT_TIME_IDLE_PARTITION_TIMEOUT = key(
            "event-time.idle-partition-timeout", DURATION, Duration.ofSeconds(30),
            "Windows close and alerts resolve on the slowest input partition's event time; a partition whose event "
                    + "time has not advanced for this long stops holding them back; once all have, event time moves "
                    + "on with the wall clock.", positive());

    public static final ConfigKey<Duration> ALERTS_WINDOW = key("alerts.window", DURATION, Duration.ofMinutes(1),
            "The window spike detection counts in.", positive());
    public static final ConfigKey<Integer> ALERTS_MIN_COUNT = key("alerts.min-count", INT, 20,
            "Never fire below this many occurrences in one window.", range(1, Integer.MAX_VALUE));
    public static final ConfigKey<Double> ALERTS_SCORE_THRESHOLD = key("alerts.score-threshold", DOUBLE, 3.0,
            "Fire when (count - baseline) / max(stddev, 1) reaches this.", v -> v > 0 ? null : "must be > 0");
    public static final ConfigKey<Double> ALERTS_EWMA_ALPHA = key("alerts.ewma-alpha", DOUBLE, 0.3,
            "Weight of the newest window in the baseline, 0 < alpha <= 1.", v -> v > 0 && v <= 1 ? null
                    : "must be in (0, 1]");
    public static final ConfigKey<Duration> ALERTS_REPEAT_INTERVAL = key("alerts.repeat-interval", DURATION,
            Duration.ofMinutes(5), "Re-notify a still-firing alert at most this often.", positive());
    public static final ConfigKey<Duration> ALERTS_RESOLVE_HOLD_DOWN = key("alerts.resolve-hold-down", DURATION,
            Duration.ofMinutes(2), "Resolve only after the rate stayed normal this long.", positive());
    public static final ConfigKey<Duration> ALERTS_IDLE_EVICTION = key("alerts.idle-eviction", DURATION,
            Duration.ofHours(24), "Forget a quiet, non-firing series after this long.", positive());
    public static final ConfigKey<Integer> ALERTS_MAX_SERIES = key("alerts.max-series", INT, 10_000,
            "Series tracked per task; new series beyond this are not tracked.", range(1, 10_000_000));
    public static final ConfigKey<Integer> ALERTS_MAX_HOSTS = key("alerts.max-hosts", INT, 5,
            "Top hosts listed in an alert.", range(0, 100));
    public static final ConfigKey<Integer> ALERTS_MAX_SAMPLES = key("alerts.max-samples", INT, 3,
            "Sample messages listed in an alert.", range(0, 100));

    public static final ConfigKey<String> OPS_HOST = key("ops.host", STRING, "127.0.0.1",
            "Address the ops HTTP server (metrics, health, query API) binds to; 0.0.0.0 only behind a network policy.",
            notBlank());
    public static final ConfigKey<Integer> OPS_PORT = key("ops.port", INT, 9400,
            "Port of the ops HTTP server; 0 picks a free one.", range(0, 65535));
    public static final ConfigKey<String> APPLICATION_SERVER = key("application.server", STRING, null,
            "host:port other instances reach this one's query API at (default: ops.host:ops.port).",
            hostPort());
    public static final ConfigKey<List<String>> ALERTS_ALERTMANAGER_URLS = key("alerts.alertmanager.urls",
            STRING_LIST, List.of(), "Alertmanager base URLs to push alerts to, one per instance; empty: off.",
            v -> v.stream().map(FaultlineKeys::httpUrlProblem).filter(java.util.Objects::nonNull).findFirst()
                    .orElseGet(() -> v.stream().map(FaultlineKeys::alertmanagerEndpoint).distinct().count() != v.size()
                            ? "URLs must be distinct" : null)); // one receiver twice would get every alert twice
    public static final ConfigKey<String> ALERTS_WEBHOOK_URL = key("alerts.webhook.url", STRING, null,
            "URL to POST each alert to as faultline.alert/v1 JSON; unset: off.", FaultlineKeys::httpUrlProblem);
    public static final ConfigKey<Integer> ALERTS_SINK_QUEUE_CAPACITY = key("alerts.sink.queue-capacity", INT,
            10_000, "Alerts each sink holds while its receiver is slow or down; beyond it the oldest is dropped.",
            range(1, 1_000_000));
    public static final ConfigKey<Duration> ALERTS_SINK_FIRING_TTL = key("alerts.sink.firing-ttl", DURATION,
            Duration.ofMinutes(20), "Alertmanager endsAt of a firing alert; must exceed alerts.repeat-interval + "
                    + "alerts.window + alerts.resolve-hold-down.",
            positive());
    public static final ConfigKey<Duration> ALERTS_FORWARDER_MAX_AGE = key("alerts.forwarder.max-age", DURATION,
            Duration.ofMinutes(15), "Firing alerts emitted longer ago than this (wall clock) are not forwarded.",
            positive());
    public static final ConfigKey<Duration> ALERTS_FORWARDER_MAX_EVENT_LAG = key("alerts.forwarder.max-event-lag",
            DURATION, Duration.ofHours(1), "Firing alerts detected longer than this after their log reached Kafka "
                    + "(a catch-up replaying history) are not forwarded.", positive());

    /** Every key, in documentation order. */
    public static final List<ConfigKey<?>> ALL = List.of(
            APPLICATION_ID, BOOTSTRAP_SERVERS, PROCESSING_GUARANTEE, STATE_DIR, NUM_STREAM_THREADS, REPLICATION_FACTOR,
            TOPICS_INPUT, TOPICS_INPUT_PATTERN, TOPICS_ENRICHED, TOPICS_AGGREGATES, TOPICS_ALERTS, TOPICS_DLQ,
            TOPICS_CATALOG, TOPICS_SERVICES, EMIT_EVENTS_WITHOUT_ERRORS, CATALOG_DIRS, CATALOG_LIVE, SERVICES,
            MATCHER_TYPED_FIELDS, MATCHER_MESSAGE_FIELDS, LIMITS_MAX_RECORD_BYTES, LIMITS_MAX_DEPTH,
            LIMITS_MAX_STRING_CHARS, LIMITS_MAX_FIELDS, LIMITS_MAX_BATCH_RECORDS, LIMITS_MAX_MESSAGE_CHARS, WINDOWS_SIZES, WINDOWS_GRACE,
            AGGREGATES_MAX_DISTINCT_HOSTS, AGGREGATES_MAX_SAMPLE_CHARS, EVENT_TIME_MAX_FUTURE_SKEW,
            EVENT_TIME_MAX_PAST_AGE, EVENT_TIME_IDLE_PARTITION_TIMEOUT, ALERTS_WINDOW, ALERTS_MIN_COUNT, ALERTS_SCORE_THRESHOLD, ALERTS_EWMA_ALPHA,
            ALERTS_REPEAT_INTERVAL, ALERTS_RESOLVE_HOLD_DOWN, ALERTS_IDLE_EVICTION, ALERTS_MAX_SERIES,
            ALERTS_MAX_HOSTS, ALERTS_MAX_SAMPLES, OPS_HOST, OPS_PORT, APPLICATION_SERVER, ALERTS_ALERTMANAGER_URLS,
            ALERTS_WEBHOOK_URL, ALERTS_SINK_QUEUE_CAPACITY, ALERTS_SINK_FIRING_TTL, ALERTS_FORWARDER_MAX_AGE,
            ALERTS_FORWARDER_MAX_EVENT_LAG);

    /** Kafka client keys the typed keys own: setting them under {@code kafka:} is an error, not a silent override. */
    static final Map<String, String> OWNED_KAFKA_KEYS = Map.of(
            "application.id", APPLICATION_ID.name(),
            "processing.guarantee", PROCESSING_GUARANTEE.name(),
            "state.dir", STATE_DIR.name(),
            "num.stream.threads", NUM_STREAM_THREADS.name(),
            "replication.factor", REPLICATION_FACTOR.name(),
            "errors.dead.letter.queue.topic.name", TOPICS_DLQ.name(),
            "application.server", APPLICATION_SERVER.name());

    private static final Map<String, ConfigKey<?>> BY_NAME;

    static {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        for (ConfigKey<?> k : ALL) {
            if (byName.put(k.name(), k) != null) {
                throw new ExceptionInInitializerError("key declared twice: " + k.name());
            }
        }
        BY_NAME = java.util.Collections.unmodifiableMap(byName);
    }

    private FaultlineKeys() {
    }

    /** The key with this dotted name, or {@code null}. */
    public static ConfigKey<?> byName(String name) {
        return BY_NAME.get(name);
    }

    private static <T> ConfigKey<T> key(String name, ConfigType<T> type, T def, String doc, Validator<? super T> v) {
        return new ConfigKey<>(name, type, def, doc, v);
    }

    private static Validator<Integer> range(int min, int max) {
        return v -> v >= min && v <= max ? null : "must be between " + min + " and " + max;
    }

    private static Validator<String> notBlank() {
        return v -> v.isBlank() ? "must not be empty" : null;
    }

    private static Validator<String> matches(Pattern p, String what) {
        return v -> p.matcher(v).matches() ? null : "only " + what + " allowed";
    }

    private static Validator<String> topic() {
        return v -> TOPIC.matcher(v).matches() ? null : "not a valid topic name (letters, digits, '.', '_', '-')";
    }

    private static Validator<List<String>> topicList() {
        return v -> v.stream().filter(t -> !TOPIC.matcher(t).matches()).findFirst()
                .map(t -> "'" + t + "' is not a valid topic name").orElse(null);
    }

    private static <T> Validator<List<T>> nonEmpty() {
        return v -> v.isEmpty() ? "must not be empty" : null;
    }

    private static Validator<String> hostPort() {
        return v -> {
            java.util.regex.Matcher m = HOST_PORT.matcher(v);
            if (!m.matches()) {
                return "must be host:port";
            }
            int port = Integer.parseInt(m.group(1));
            return port >= 1 && port <= 65535 ? null : "port must be between 1 and 65535";
        };
    }

    /**
     * The endpoint an Alertmanager URL posts to, as one string per receiver: the base URL and the full
     * {@code …/api/v2/alerts} are the same, and so are scheme and host in any case. Only for valid URLs.
     */
    private static String alertmanagerEndpoint(String url) {
        java.net.URI u = java.net.URI.create(url.strip());
        String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
        if (path.endsWith("/api/v2/alerts")) {
            path = path.substring(0, path.length() - "/api/v2/alerts".length());
        }
        return u.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + u.getHost().toLowerCase(java.util.Locale.ROOT)
                + ":" + u.getPort() + path;
    }

    /** Never echoes the URL: it may carry credentials. */
    private static String httpUrlProblem(String v) {
        try {
            java.net.URI u = new java.net.URI(v.strip());
            String scheme = u.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || u.getHost() == null) {
                return "must be an http(s) URL with a host";
            }
            if (u.getPort() == 0 || u.getPort() > 65535) {
                // URI takes any number; the HTTP client refuses it at every send, so every alert would be lost.
                return "port must be between 1 and 65535";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "not a valid URL";
        }
    }

    private static Validator<Duration> positive() {
        return v -> v.compareTo(Duration.ofMillis(1)) < 0 ? "must be at least 1ms"
                : v.compareTo(MAX_DURATION) > 0 ? "must be at most " + Durations.format(MAX_DURATION) : null;
    }

    private static Validator<Duration> atMostMinutes(int minutes) {
        return v -> v.isNegative() ? "must not be negative"
                : v.compareTo(Duration.ofMinutes(minutes)) > 0 ? "must be at most " + minutes + "m" : null;
    }

    private static Validator<Duration> nonNegative() {
        return v -> v.isNegative() ? "must not be negative"
                : v.compareTo(MAX_DURATION) > 0 ? "must be at most " + Durations.format(MAX_DURATION) : null;
    }

    private static Validator<List<Duration>> durations() {
        return v -> {
            if (v.isEmpty()) {
                return "at least one window size";
            }
            if (v.stream().anyMatch(d -> d.compareTo(MAX_DURATION) > 0)) {
                return "window sizes must be at most " + Durations.format(MAX_DURATION);
            }
            if (v.stream().anyMatch(d -> d.compareTo(Duration.ofSeconds(1)) < 0)) {
                return "window sizes must be at least 1s";
            }
            return v.stream().distinct().count() != v.size() ? "window sizes must be distinct" : null;
        };
    }
}
