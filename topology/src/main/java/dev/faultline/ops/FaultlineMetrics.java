package dev.faultline.ops;

import dev.faultline.catalog.event.LogFormat;
import dev.faultline.catalog.event.UnreadableReason;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.MatchResult;
import dev.faultline.catalog.match.MatchStage;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.ErrorClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Faultline's own meters, on one Micrometer registry (by default a Prometheus one).
 *
 * <p>Every meter is named {@code faultline.…} (Prometheus: {@code faultline_…}), has a description,
 * and only bounded tags: enum wire names, catalog ids (a bounded set, additionally capped at
 * {@value #MAX_CATALOG_TAGS} values, beyond which {@code other} is used) and fixed vocabularies.
 * Nothing copied from a log line ever becomes a tag value.
 *
 * <p>The {@code record…} methods are thread-safe and cheap: counters are created once and then
 * found in pre-filled immutable maps or a {@link ConcurrentHashMap} keyed by the bounded tag
 * values, so the hot path does a lookup and an increment, never a registry search.
 */
public final class FaultlineMetrics implements AutoCloseable {
    /** The Prometheus text exposition format (0.0.4), which every Prometheus version scrapes. */
    public static final String PROMETHEUS_TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Distinct catalog tag values per stage; a runaway catalog directory cannot explode the series count. */
    public static final int MAX_CATALOG_TAGS = 64;

    /** The tag value for ambiguous matches (catalog) and for ambiguous matches whose candidates disagree (class). */
    public static final String AMBIGUOUS = "ambiguous";
    /** The tag value for anything outside a bounded vocabulary. */
    public static final String OTHER = "other";

    /** Alert states {@link #recordAlert} counts; anything else is counted as {@code other}. */
    public static final List<String> ALERT_STATES = List.of("firing", "resolved", "reminder");

    static final String EVENTS_READ = "faultline.events.read";
    static final String MATCHES = "faultline.matches";
    static final String MATCHES_AMBIGUOUS = "faultline.matches.ambiguous";
    static final String UNKNOWN_CODES = "faultline.unknown.codes";
    static final String ALERT_SERIES_UNTRACKED = "faultline.alert.series.untracked";
    static final String DEAD_LETTERS = "faultline.dead.letters";
    static final String RECORDS_EMPTY = "faultline.records.empty";
    static final String ALERTS = "faultline.alerts";
    static final String CATALOG_RELOADS = "faultline.catalog.reloads";
    static final String MATCH_LATENCY = "faultline.match.latency";

    /** Histogram buckets of {@code faultline.match.latency}: a fixed, small set (bounded series). */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(5_000), Duration.ofNanos(10_000), Duration.ofNanos(25_000), Duration.ofNanos(50_000),
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofSeconds(1)};

    private static final ErrorClass[] CLASSES = ErrorClass.values();
    /** Slot of the class array used when an ambiguous match's candidates disagree on the class. */
    private static final int MIXED_CLASS_SLOT = CLASSES.length;

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());

    private final Map<LogFormat, Counter> eventsRead;
    private final Map<MatchStage, ConcurrentHashMap<String, AtomicReferenceArray<Counter>>> matches;
    private final Map<MatchStage, Counter> ambiguous;
    private final Counter unknownCodes;
    private final Counter alertSeriesUntracked;
    private final Counter recordsEmpty;
    private final Map<String, Counter> deadLetters;
    private final Counter deadLettersOther;
    private final Map<String, Counter> alerts;
    private final Counter alertsOther;
    private final Counter reloadsOk;
    private final Counter reloadsFailed;
    private final Timer matchLatency;

    /**
     * Faultline's meters on a new Prometheus registry, with the JVM binders bound.
     *
     * @param commonTags tags added to every meter (keep them bounded, e.g. {@code application});
     *                   may be empty
     */
    public static FaultlineMetrics createPrometheus(Map<String, String> commonTags) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Tags tags = Tags.empty();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(commonTags).entrySet()) {
            tags = tags.and(e.getKey(), e.getValue());
        }
        registry.config().commonTags(tags);
        FaultlineMetrics metrics = new FaultlineMetrics(registry, registry);
        metrics.bindJvmMetrics();
        return metrics;
    }

    /** {@link #createPrometheus(Map)} without common tags. */
    public static FaultlineMetrics createPrometheus() {
        return createPrometheus(Map.of());
    }

    /** Faultline's meters on any registry (tests: a {@code SimpleMeterRegistry}); no JVM binders. */
    public FaultlineMetrics(MeterRegistry registry) {
        this(registry, registry instanceof PrometheusMeterRegistry p ? p : null);
    }

    private FaultlineMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.prometheus = prometheus;

        Map<LogFormat, Counter> read = new EnumMap<>(LogFormat.class);
        for (LogFormat f : LogFormat.values()) {
            read.put(f, Counter.builder(EVENTS_READ)
                    .description("Log events read, by detected format")
                    .tag("format", f.wire())
                    .register(registry));
        }
        this.eventsRead = Collections.unmodifiableMap(read);

        Map<MatchStage, ConcurrentHashMap<String, AtomicReferenceArray<Counter>>> m = new EnumMap<>(MatchStage.class);
        Map<MatchStage, Counter> amb = new EnumMap<>(MatchStage.class);
        for (MatchStage s : MatchStage.values()) {
            m.put(s, new ConcurrentHashMap<>());
            amb.put(s, Counter.builder(MATCHES_AMBIGUOUS)
                    .description("Error codes several catalogs know that the event's service did not decide, by stage")
                    .tag("stage", s.wire())
                    .register(registry));
        }
        this.matches = Collections.unmodifiableMap(m);
        this.ambiguous = Collections.unmodifiableMap(amb);

        this.unknownCodes = Counter.builder(UNKNOWN_CODES)
                .description("Values in typed code fields that no catalog holds")
                .register(registry);
        this.recordsEmpty = Counter.builder(RECORDS_EMPTY)
                .description("Input records that hold no log event (blank, or an OTLP batch without log records)")
                .register(registry);
        this.alertSeriesUntracked = Counter.builder(ALERT_SERIES_UNTRACKED)
                .description("Occurrences of a new alert series not tracked because its task holds alerts.max-series")
                .register(registry);

        Map<String, Counter> dl = new HashMap<>();
        for (UnreadableReason r : UnreadableReason.values()) {
            dl.put(r.wire(), deadLetterCounter(r.wire()));
        }
        this.deadLetters = Map.copyOf(dl);
        this.deadLettersOther = deadLetterCounter(OTHER);

        Map<String, Counter> al = new HashMap<>();
        for (String state : ALERT_STATES) {
            al.put(state, alertCounter(state));
        }
        this.alerts = Map.copyOf(al);
        this.alertsOther = alertCounter(OTHER);

        this.reloadsOk = reloadCounter("ok");
        this.reloadsFailed = reloadCounter("failed");

        this.matchLatency = Timer.builder(MATCH_LATENCY)
                .description("Time to parse, match and enrich one input record (all its events: an OTLP batch is one sample)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private Counter deadLetterCounter(String reason) {
        return Counter.builder(DEAD_LETTERS)
                .description("Records written to the dead-letter topic, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    private Counter alertCounter(String state) {
        return Counter.builder(ALERTS)
                .description("Alert notifications emitted, by state (firing, resolved, reminder)")
                .tag("state", state)
                .register(registry);
    }

    private Counter reloadCounter(String result) {
        return Counter.builder(CATALOG_RELOADS)
                .description("Catalog (re)loads, by result; a failed reload keeps the previous catalogs")
                .tag("result", result)
                .register(registry);
    }

    /** Binds JVM memory, GC, thread, class loader, processor and uptime metrics; call once per registry. */
    public void bindJvmMetrics() {
        bind(new JvmMemoryMetrics());
        bind(new JvmGcMetrics());
        bind(new JvmThreadMetrics());
        bind(new ClassLoaderMetrics());
        bind(new ProcessorMetrics());
        bind(new UptimeMetrics());
    }

    /**
     * Binds the Kafka Streams client metrics of {@code streams} (its consumer, producer, admin and
     * stream-thread metrics, as {@code kafka.stream.…} and friends). Call after constructing the
     * {@code KafkaStreams}, before or after {@code start()}. The binding is closed with this object
     * or by closing the returned handle (e.g. when the KafkaStreams instance is replaced).
     */
    public AutoCloseable bindKafkaStreams(KafkaStreams streams) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(Objects.requireNonNull(streams, "streams"));
        binder.bindTo(registry);
        closeables.add(binder);
        return () -> {
            closeables.remove(binder);
            binder.close();
        };
    }

    private void bind(MeterBinder binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable c) {
            closeables.add(c);
        }
    }

    /** The registry, for other Faultline meters (alert sinks, the forwarder) and for tests. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Whether {@link #scrape(OutputStream)} can produce the Prometheus text format. */
    public boolean scrapable() {
        return prometheus != null;
    }

    /** Writes every meter in the Prometheus text format ({@link #PROMETHEUS_TEXT_CONTENT_TYPE}). */
    public void scrape(OutputStream out) throws IOException {
        if (prometheus == null) {
            throw new IllegalStateException("not a Prometheus registry");
        }
        prometheus.scrape(out, PROMETHEUS_TEXT_CONTENT_TYPE);
    }

    /** One input record that held no log event: nothing to enrich, nothing to dead-letter, but not unseen. */
    public void recordEmptyRecord() {
        recordsEmpty.increment();
    }

    /** One event read, in this format. */
    public void recordEvent(LogFormat format) {
        if (format != null) {
            eventsRead.get(format).increment();
        }
    }

    /** Every match and unknown code of one event. */
    public void recordResult(MatchResult result) {
        for (ErrorMatch m : result.errors()) {
            recordMatch(m);
        }
        if (!result.unknownCodes().isEmpty()) {
            unknownCodes.increment(result.unknownCodes().size());
        }
    }

    /**
     * One error code found: {@code faultline.matches{stage, catalog, class}}; an ambiguous match
     * counts with {@code catalog=ambiguous} (class: the candidates' class when they agree, else
     * {@code ambiguous}) and also in {@code faultline.matches.ambiguous{stage}}.
     */
    public void recordMatch(ErrorMatch match) {
        String catalog;
        int classSlot;
        if (match.ambiguous()) {
            ambiguous.get(match.stage()).increment();
            catalog = AMBIGUOUS;
            classSlot = commonClassSlot(match.candidates());
        } else {
            catalog = match.entry().catalog();
            classSlot = match.entry().errorClass().ordinal();
        }
        matchCounter(match.stage(), catalog, classSlot).increment();
    }

    private static int commonClassSlot(List<CatalogEntry> candidates) {
        ErrorClass common = null;
        for (CatalogEntry c : candidates) {
            if (common == null) {
                common = c.errorClass();
            } else if (common != c.errorClass()) {
                return MIXED_CLASS_SLOT;
            }
        }
        return common == null ? MIXED_CLASS_SLOT : common.ordinal();
    }

    private Counter matchCounter(MatchStage stage, String catalog, int classSlot) {
        ConcurrentHashMap<String, AtomicReferenceArray<Counter>> byCatalog = matches.get(stage);
        AtomicReferenceArray<Counter> byClass = byCatalog.get(catalog);
        if (byClass == null) {
            String key = byCatalog.size() >= MAX_CATALOG_TAGS && !AMBIGUOUS.equals(catalog) ? OTHER : catalog;
            byClass = byCatalog.computeIfAbsent(key, k -> new AtomicReferenceArray<>(CLASSES.length + 1));
        }
        Counter c = byClass.get(classSlot);
        if (c == null) {
            String catalogTag = catalogTagOf(byCatalog, byClass, catalog);
            String classTag = classSlot == MIXED_CLASS_SLOT ? AMBIGUOUS : CLASSES[classSlot].wire();
            c = Counter.builder(MATCHES)
                    .description("Error codes matched, by matcher stage, catalog and normalized class")
                    .tags("stage", stage.wire(), "catalog", catalogTag, "class", classTag)
                    .register(registry); // the registry returns the same counter for the same id
            byClass.compareAndSet(classSlot, null, c);
        }
        return c;
    }

    private static String catalogTagOf(ConcurrentHashMap<String, AtomicReferenceArray<Counter>> byCatalog,
            AtomicReferenceArray<Counter> byClass, String catalog) {
        return byCatalog.get(catalog) == byClass ? catalog : OTHER;
    }

    /** An occurrence of a new alert series the task had no room to track. */
    public void recordUntrackedAlertSeries() {
        alertSeriesUntracked.increment();
    }

    /** Typed-field values no catalog holds. */
    public void recordUnknown() {
        unknownCodes.increment();
    }

    /** {@code count} unknown codes at once. */
    public void recordUnknown(int count) {
        if (count > 0) {
            unknownCodes.increment(count);
        }
    }

    /** One record dead-lettered, for this {@link UnreadableReason#wire() reason}; other strings count as {@code other}. */
    public void recordDeadLetter(String reason) {
        Counter c = reason == null ? null : deadLetters.get(reason);
        (c == null ? deadLettersOther : c).increment();
    }

    /** {@link #recordDeadLetter(String)} for a typed reason. */
    public void recordDeadLetter(UnreadableReason reason) {
        deadLetters.get(reason.wire()).increment();
    }

    /** One alert notification: {@code firing}, {@code resolved} or {@code reminder} (case-insensitive). */
    public void recordAlert(String state) {
        Counter c = state == null ? null : alerts.get(state);
        if (c == null && state != null) {
            c = alerts.get(state.toLowerCase(Locale.ROOT));
        }
        (c == null ? alertsOther : c).increment();
    }

    /** One catalog load or reload. */
    public void recordCatalogReload(boolean ok) {
        (ok ? reloadsOk : reloadsFailed).increment();
    }

    /** Runs {@code match} and records its duration in {@code faultline.match.latency}. */
    public <T> T timeMatch(Supplier<T> match) {
        long start = System.nanoTime();
        try {
            return match.get();
        } finally {
            matchLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Records one match duration measured by the caller. */
    public void recordMatchLatency(long nanos) {
        matchLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Closes the binders (GC listener, Kafka Streams metrics) and the registry. */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (closeables) {
            toClose = new ArrayList<>(closeables);
            closeables.clear();
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a binder never fails the shutdown
            }
        }
        registry.close();
    }
}
