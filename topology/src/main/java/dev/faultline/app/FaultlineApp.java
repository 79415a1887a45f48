package dev.faultline.app;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;
import dev.faultline.ops.AlertForwarder;
import dev.faultline.ops.AlertSink;
import dev.faultline.ops.AlertmanagerSink;
import dev.faultline.ops.FaultlineMetrics;
import dev.faultline.ops.HttpSinkSettings;
import dev.faultline.ops.OpsServer;
import dev.faultline.ops.ReadinessCheck;
import dev.faultline.ops.SafeText;
import dev.faultline.ops.WebhookSink;
import dev.faultline.query.QueryApi;
import dev.faultline.topology.FaultlineTopology;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Faultline instance: {@code KafkaStreams} over {@link FaultlineTopology}, with the
 * handlers wired. Start it, wait until it runs, close it; closing is idempotent and bounded.
 *
 * <p>Built with {@link #builder}, it can also run the operations side: Faultline's meters through
 * the topology, the ops HTTP server ({@code /metrics}, {@code /health/live}, {@code /health/ready},
 * the query API under {@code /api/…}, with {@code application.server} set to its address so
 * interactive queries route between instances), and alert delivery (Alertmanager and webhook sinks
 * fed by an {@link AlertForwarder}). Closing stops them in order: forwarder, sinks, streams, the
 * streams meters, ops server, metrics.
 */
public final class FaultlineApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultlineApp.class);

    private final KafkaStreams streams;
    private final FaultlineMetrics metrics;
    private final AutoCloseable streamsMetrics;
    private final OpsServer ops;
    private final QueryApi query;
    private final String advertised;
    private final List<AlertSink> sinks;
    private final AlertForwarder forwarder;
    private final Object stateLock = new Object();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean failed;
    private volatile Boolean closeOutcome;

    private FaultlineApp(Topology topology, Properties props, Parts parts) {
        this.streams = new KafkaStreams(topology, props);
        this.metrics = parts.metrics;
        this.ops = parts.ops;
        this.advertised = parts.advertised;
        this.sinks = List.copyOf(parts.sinks);
        this.forwarder = parts.forwarder;
        this.streamsMetrics = metrics == null ? null : metrics.bindKafkaStreams(streams);
        // A thread that died on an unexpected error is replaced; bad records never get here (they are dead-lettered).
        // One that keeps dying stops the client (ThreadFailures).
        ThreadFailures threadFailures = new ThreadFailures();
        streams.setUncaughtExceptionHandler(e -> {
            StreamThreadExceptionResponse response = threadFailures.onFailure(System.nanoTime());
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                LOG.error("stream thread failed; replacing it", SafeText.forLog(e)); // its message may quote a record
            } else {
                LOG.error("stream thread failed for the {}th time within {}; stopping", ThreadFailures.MAX_FAILURES + 1,
                        ThreadFailures.WINDOW, SafeText.forLog(e));
            }
            return response;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("faultline streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR) {
                failed = true;
                terminated.countDown();
            }
            // NOT_RUNNING comes from close(), which releases awaitTermination() itself once everything is closed.
            synchronized (stateLock) {
                stateLock.notifyAll();
            }
        });
        if (ops != null) {
            this.query = QueryApi.create(parts.config, () -> streams, parts.enricher, advertised);
            query.mountOn(ops);
        } else {
            this.query = null;
        }
    }

    /** What the builder made before the streams exist (the ops server must be bound to know its port). */
    private static final class Parts {
        FaultlineConfig config;
        Supplier<Enricher> enricher;
        FaultlineMetrics metrics;
        OpsServer ops;
        String advertised;
        final List<AlertSink> sinks = new ArrayList<>();
        AlertForwarder forwarder;
        /** Set once the app exists, for the readiness check built before it. */
        volatile FaultlineApp app;

        void closeQuietly() {
            if (forwarder != null) {
                forwarder.close();
            }
            sinks.forEach(AlertSink::close);
            if (ops != null) {
                ops.close();
            }
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    /** An app over {@code config} with a fixed enricher. Nothing connects until {@link #start()}. */
    public static FaultlineApp create(FaultlineConfig config, Enricher enricher) {
        return create(config, () -> enricher, new Properties());
    }

    /**
     * An app over {@code config}; {@code overrides} are applied last on top of
     * {@link FaultlineConfig#streamsProperties()} (tests: a state dir, short commit intervals).
     */
    public static FaultlineApp create(FaultlineConfig config, Supplier<Enricher> enricher, Properties overrides) {
        Objects.requireNonNull(config, "config");
        try {
            return builder(config, enricher).overrides(overrides).build();
        } catch (IOException e) {
            throw new IllegalStateException("unreachable: no ops server was asked for", e);
        }
    }

    /** A builder of an app over {@code config}; by default without metrics, ops server or alert delivery. */
    public static Builder builder(FaultlineConfig config, Supplier<Enricher> enricher) {
        return new Builder(config, enricher);
    }

    /** Starts processing (asynchronously), and the alert forwarder when there is one. */
    public void start() {
        streams.start();
        if (forwarder != null) {
            forwarder.start();
        }
    }

    /** The ops server's bound port, or -1 without one. */
    public int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    /** The address other instances reach this one's query API at ({@code application.server}), or {@code null}. */
    public String advertisedAddress() {
        return advertised;
    }

    /** The meters, or {@code null} without them. */
    public FaultlineMetrics metrics() {
        return metrics;
    }

    /** The alert sinks delivery was configured with (empty: alert delivery off). */
    public List<AlertSink> alertSinks() {
        return sinks;
    }

    /**
     * Waits until the app is {@code RUNNING}. Returns {@code false} on timeout; throws
     * {@link IllegalStateException} if it failed or was closed instead.
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long budget = bounded(timeout).toNanos();
        synchronized (stateLock) {
            while (true) {
                KafkaStreams.State s = streams.state();
                if (s == KafkaStreams.State.RUNNING) {
                    return true;
                }
                if (!s.isRunningOrRebalancing() && s != KafkaStreams.State.CREATED) {
                    throw new IllegalStateException("faultline is " + s + ", not running");
                }
                long left = budget - (System.nanoTime() - start);
                if (left <= 0) {
                    return false;
                }
                // Woken by the state listener; the bound only guards against a missed notification.
                TimeUnit.NANOSECONDS.timedWait(stateLock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /**
     * Blocks until the app has failed for good or {@link #close(Duration)} has finished (alert sinks delivered or
     * given up, servers stopped): a caller that exits the JVM after it loses nothing still being closed.
     */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * Whether the first {@link #close(Duration)} closed everything cleanly in time; empty until it has finished
     * (set before {@link #awaitTermination()} is released).
     */
    public Optional<Boolean> closeOutcome() {
        return Optional.ofNullable(closeOutcome);
    }

    /** Whether Kafka Streams reached {@code ERROR} (every thread gone). */
    public boolean failed() {
        return failed;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The underlying client, for metrics and interactive queries. */
    public KafkaStreams streams() {
        return streams;
    }

    /** The longest wait any timeout stands for: a century, which every clock's arithmetic holds. */
    private static final Duration FOREVER = Duration.ofDays(36_525);

    /**
     * {@code timeout} within [0, a century]: a longer one (run --close-timeout 999999999999d) would overflow the
     * nanoseconds here and the milliseconds in Kafka's close, which then throws before the close is done.
     */
    private static Duration bounded(Duration timeout) {
        return timeout.isNegative() ? Duration.ZERO : timeout.compareTo(FOREVER) > 0 ? FOREVER : timeout;
    }

    /**
     * Closes within {@code requested} (committing under exactly-once); returns whether it closed
     * cleanly in time. A call while another is closing waits for it (within its own timeout) and returns its
     * outcome: a caller that exits the JVM next must not cut that close short.
     */
    public boolean close(Duration requested) {
        Duration timeout = bounded(requested);
        if (!closed.compareAndSet(false, true)) {
            try {
                if (!closeDone.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return closeOutcome.booleanValue();
        }
        long start = System.nanoTime();
        long budget = timeout.toNanos();
        if (forwarder != null) {
            forwarder.close();
        }
        // Each sink may take its own close timeout to deliver what it holds; side by side, and alongside the
        // streams, so that the whole close stays within the timeout however many receivers hang.
        List<Thread> closing = new ArrayList<>();
        for (AlertSink sink : sinks) {
            Thread t = new Thread(sink::close, "faultline-close-" + sink.name());
            t.setDaemon(true);
            t.start();
            closing.add(t);
        }
        boolean clean = streams.close(timeout);
        for (Thread t : closing) {
            try {
                t.join(Math.max(1, (budget - (System.nanoTime() - start)) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            clean &= !t.isAlive();
        }
        if (!clean) {
            LOG.warn("faultline did not close within {}", timeout);
        }
        try {
            closeQuietly(streamsMetrics);
            if (ops != null) {
                ops.close();
            }
            if (query != null) {
                query.close(); // after the server: a request still being answered may be asking a peer
            }
            if (metrics != null) {
                metrics.close();
            }
        } finally {
            closeOutcome = clean;
            closeDone.countDown();
            terminated.countDown();
        }
        return clean;
    }

    /** Closes with a 30s bound. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("closing {}: {}", c, e.toString());
        }
    }

    /** Registers a JVM shutdown hook that closes the app within {@code timeout} (SIGTERM, Ctrl-C, exit). */
    public Thread installShutdownHook(Duration timeout) {
        Thread hook = new Thread(() -> close(timeout), "faultline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Options of a {@link FaultlineApp}. */
    public static final class Builder {
        private final FaultlineConfig config;
        private final Supplier<Enricher> enricher;
        private final Properties overrides = new Properties();
        private FaultlineMetrics metrics;
        private boolean opsServer;
        private boolean alertDelivery;
        private BooleanSupplier catalogsLoaded;

        private Builder(FaultlineConfig config, Supplier<Enricher> enricher) {
            this.config = Objects.requireNonNull(config, "config");
            this.enricher = Objects.requireNonNull(enricher, "enricher");
        }

        /** Applied last on top of {@link FaultlineConfig#streamsProperties()} (tests: a state dir, short commits). */
        public Builder overrides(Properties props) {
            overrides.putAll(props);
            return this;
        }

        /**
         * Records Faultline's meters through the topology and binds the Kafka Streams metrics; the
         * app closes them last. Without it, the ops server and alert delivery create a Prometheus
         * registry tagged with the application id.
         */
        public Builder metrics(FaultlineMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** Runs the ops server on {@code ops.host}:{@code ops.port}, serving from {@link #build()} on. */
        public Builder opsServer(boolean on) {
            this.opsServer = on;
            return this;
        }

        /** Delivers alerts to {@code alerts.alertmanager.urls} and {@code alerts.webhook.url}, when set. */
        public Builder alertDelivery(boolean on) {
            this.alertDelivery = on;
            return this;
        }

        /** Whether catalogs are loaded, for {@code /health/ready}; default: the enricher supplies one. */
        public Builder catalogsLoaded(BooleanSupplier loaded) {
            this.catalogsLoaded = loaded;
            return this;
        }

        /**
         * Builds the app: binds and starts the ops server (its readiness stays 503 until the streams
         * run), creates the sinks and the forwarder (started by {@link FaultlineApp#start()}).
         *
         * @throws IOException if the ops server cannot bind
         */
        public FaultlineApp build() throws IOException {
            List<String> amUrls = alertDelivery ? config.get(FaultlineKeys.ALERTS_ALERTMANAGER_URLS) : List.of();
            String webhook = alertDelivery ? config.get(FaultlineKeys.ALERTS_WEBHOOK_URL) : null;
            boolean delivering = !amUrls.isEmpty() || webhook != null;
            Duration ttl = config.get(FaultlineKeys.ALERTS_SINK_FIRING_TTL); // above the repeat interval: validated
            Parts parts = new Parts();
            parts.config = config;
            parts.enricher = enricher;
            parts.metrics = metrics != null || !(opsServer || delivering) ? metrics
                    : FaultlineMetrics.createPrometheus(Map.of("application", config.applicationId()));
            try {
                Properties props = FaultlineTopology.streamsProperties(config, parts.metrics);
                props.putAll(overrides);
                if (opsServer) {
                    BooleanSupplier loaded = catalogsLoaded != null ? catalogsLoaded : () -> enricher.get() != null;
                    parts.ops = OpsServer.builder()
                            .host(config.get(FaultlineKeys.OPS_HOST))
                            .port(config.get(FaultlineKeys.OPS_PORT))
                            .threads(4, 32) // a fan-out query waits on peers while a forwarded one is served
                            .metrics(parts.metrics)
                            .readiness(ReadinessCheck.kafkaStreams(
                                    () -> parts.app == null ? null : parts.app.streams, loaded))
                            .build();
                    String configured = props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG,
                            config.get(FaultlineKeys.APPLICATION_SERVER));
                    parts.advertised = configured != null ? configured
                            : advertisedDefault(config.get(FaultlineKeys.OPS_HOST), parts.ops.port());
                    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, parts.advertised);
                }
                if (delivering) {
                    int capacity = config.get(FaultlineKeys.ALERTS_SINK_QUEUE_CAPACITY);
                    for (int i = 0; i < amUrls.size(); i++) {
                        HttpSinkSettings s = HttpSinkSettings.defaults(URI.create(amUrls.get(i).strip()))
                                .withQueueCapacity(capacity).withFiringTtl(ttl);
                        String name = amUrls.size() == 1 ? "alertmanager" : "alertmanager-" + i;
                        parts.sinks.add(new AlertmanagerSink(name, s, parts.metrics.registry(), Clock.systemUTC()));
                    }
                    if (webhook != null) {
                        parts.sinks.add(new WebhookSink(HttpSinkSettings.defaults(URI.create(webhook.strip()))
                                .withQueueCapacity(capacity).withFiringTtl(ttl), parts.metrics.registry()));
                    }
                    parts.forwarder = AlertForwarder.create(forwarderClientProperties(config.kafkaProperties()),
                            config.applicationId() + "-alert-forwarder", config.alertsTopic(), parts.sinks,
                            parts.metrics.registry(), config.get(FaultlineKeys.ALERTS_FORWARDER_MAX_AGE),
                            config.get(FaultlineKeys.ALERTS_FORWARDER_MAX_EVENT_LAG));
                }
                FaultlineApp app = new FaultlineApp(FaultlineTopology.build(config, enricher, parts.metrics), props,
                        parts);
                parts.app = app;
                if (parts.ops != null) {
                    parts.ops.start();
                }
                return app;
            } catch (IOException | RuntimeException e) {
                parts.closeQuietly();
                throw e;
            }
        }
    }

    /**
     * Where peers reach the ops server by default: its bind address, or this host's name when it
     * binds every interface.
     */
    static String advertisedDefault(String bindHost, int port) {
        String host = bindHost;
        if (bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]")) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        return host + ":" + port;
    }

    /**
     * The app's Kafka client settings for the forwarder's plain consumer: {@code consumer.*} keys
     * unprefixed, keys meant only for other clients left out.
     */
    static Map<String, String> forwarderClientProperties(Map<String, String> kafka) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, String> e : kafka.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("producer.") || k.startsWith("admin.") || k.startsWith("main.consumer.")
                    || k.startsWith("restore.consumer.") || k.startsWith("global.consumer.")) {
                continue;
            }
            if (!k.startsWith("consumer.")) {
                out.putIfAbsent(k, e.getValue());
            }
        }
        kafka.forEach((k, v) -> {
            if (k.startsWith("consumer.")) {
                out.put(k.substring("consumer.".length()), v);
            }
        });
        return out;
    }
}
