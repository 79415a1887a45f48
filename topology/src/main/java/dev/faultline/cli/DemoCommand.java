package dev.faultline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.LoadResult;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.config.Durations;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.generator.ProducerLoop;
import dev.faultline.generator.SeedSystem;
import dev.faultline.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code faultline demo}: everything in one process, nothing to install. Starts a real one-node
 * Kafka on 127.0.0.1, creates the topics, runs Faultline against it and the workload generator
 * into it, and shows live what comes out: the input rate, the top codes of the current window and
 * every alert as it fires and resolves. Ctrl-C stops generator, streams, consumer and broker, in
 * that order, and deletes every temporary file.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Faultline end to end on an embedded Kafka (127.0.0.1 only) with generated logs and a spike that fires an alert and then resolves it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (Ctrl-C or --duration)", "1:failed to start or run", "2:invalid usage or catalogs"})
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final Duration STATUS_EVERY = Duration.ofSeconds(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int TOP_CODES = 5;

    @Option(names = "--duration", paramLabel = "DURATION", converter = GenerateCommand.DurationConverter.class,
            description = "Stop by itself after this long (e.g. 5m); default: run until Ctrl-C.")
    Duration duration;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "50",
            description = "Generated records per second (default: ${DEFAULT-VALUE}); 0 with --no-spike: no generator.")
    double rate;

    @Option(names = "--bad-ratio", paramLabel = "R", defaultValue = "0.001",
            description = "Share of unreadable records, to show the dead-letter topic (default: ${DEFAULT-VALUE}).")
    double badRatio;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    GenerateCommand.SpikeOptions spike;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a Faultline config key for the demo, e.g. --set alerts.min-count=50; repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--ready-file", paramLabel = "FILE",
            description = "Write the embedded broker's bootstrap servers to FILE once everything runs (for scripts).")
    Path readyFile;

    @Mixin
    CatalogOptions catalogOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private volatile boolean stopRequested;
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        quietEmbeddedClusterNoise();
        LoadResult loaded = CatalogOptions.load(catalogOptions.catalogDirs, err);
        if (!loaded.isValid()) {
            return 2;
        }
        CatalogSet catalogs = loaded.orThrow();
        GeneratorProfile profile;
        Map<String, String> env;
        try {
            profile = new GeneratorProfile(GeneratorProfile.DEFAULT_TOPIC, rate, 0.10, badRatio, spike.toSpike());
            new LogGenerator(catalogs, seed, profile); // validates the spike code before anything starts
            env = overridesAsEnv(overrides);
        } catch (IllegalArgumentException e) {
            err.println("faultline demo: " + e.getMessage());
            return 2;
        }
        Thread hook = new Thread(this::requestStopAndWait, "faultline-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(catalogs, profile, env, out, err);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting on a signal; the hook is waiting for us and now returns.
            }
        }
    }

    /** Runs on SIGINT/SIGTERM: ask the main loop to stop, then hold the JVM until it has cleaned up. */
    private void requestStopAndWait() {
        stopRequested = true;
        try {
            // Enough for the whole clean-up: generator, producer, app, consumer (STOP_TIMEOUT each) and the broker.
            finished.await(STOP_TIMEOUT.toMillis() * 6, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int run(CatalogSet catalogs, GeneratorProfile profile, Map<String, String> env, PrintWriter out,
            PrintWriter err) throws Exception {
        Path stateDir = Files.createTempDirectory("faultline-demo-state-");
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker();
        FaultlineApp app = null;
        ProducerLoop loop = null;
        Thread generatorThread = null;
        KafkaProducer<byte[], byte[]> producer = null;
        KafkaConsumer<byte[], byte[]> consumer = null;
        try {
            long t0 = System.nanoTime();
            out.println("Starting an embedded Kafka broker on 127.0.0.1 ...");
            out.flush();
            broker.start();
            out.printf("Kafka is up at %s (%d ms).%n", broker.bootstrapServers(), elapsedMs(t0));
            FaultlineConfig config = FaultlineConfig.parse(demoConfigYaml(broker.bootstrapServers(), stateDir), env)
                    .orThrow();
            List<String> topics = new ArrayList<>(config.inputTopics());
            topics.addAll(List.of(config.enrichedTopic(), config.aggregatesTopic(), config.alertsTopic(),
                    config.dlqTopic()));
            broker.createTopics(3, topics.toArray(String[]::new));
            out.printf("Topics: %s%n", String.join(", ", topics));
            out.flush();

            app = FaultlineApp.create(config, Enricher.create(catalogs, config.enricherConfig()));
            app.start();
            if (!app.awaitRunning(START_TIMEOUT)) {
                err.println("faultline demo: the streams app did not reach RUNNING within " + START_TIMEOUT.toSeconds()
                        + " s");
                return 1;
            }
            out.printf("Faultline is RUNNING (%d ms since start). Alerts: window %s, min-count %s, hold-down %s.%n",
                    elapsedMs(t0), Durations.format(config.get(dev.faultline.config.FaultlineKeys.ALERTS_WINDOW)),
                    config.get(dev.faultline.config.FaultlineKeys.ALERTS_MIN_COUNT),
                    Durations.format(config.get(dev.faultline.config.FaultlineKeys.ALERTS_RESOLVE_HOLD_DOWN)));

            if (profile.ratePerSecond() > 0 || profile.spike() != null) {
                profile = profile.withTopic(config.inputTopics().get(0));
                producer = new KafkaProducer<>(GenerateCommand.producerConfig(broker.bootstrapServers(), null));
                loop = new ProducerLoop(producer, new LogGenerator(catalogs, seed, profile), Clock.systemUTC(), null);
                generatorThread = new Thread(loop, "faultline-demo-generator");
                generatorThread.setDaemon(true);
                generatorThread.start();
                out.printf("Generating %.0f records/s into %s; %s.%n", profile.ratePerSecond(), profile.topic(),
                        profile.spike() == null ? "no spike" : spike.describe());
            }
            if (readyFile != null) {
                Files.writeString(readyFile, broker.bootstrapServers() + "\n", StandardCharsets.UTF_8);
            }
            out.println("Ctrl-C to stop." + (duration == null ? "" : " Stopping by itself after "
                    + Durations.format(duration) + "."));
            out.flush();

            consumer = new KafkaConsumer<>(consumerConfig(broker.bootstrapServers()));
            String failure = watch(consumer, config, loop, app, out);
            out.println("Stopping: generator, streams, consumer, broker ...");
            out.flush();
            if (failure != null) {
                err.println("faultline demo: " + failure);
                err.flush();
                return 1;
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("faultline demo: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            // Order matters: no new input, then the app commits and leaves, then readers, then the broker.
            if (loop != null) {
                loop.stop();
                loop.awaitStopped(STOP_TIMEOUT);
            }
            if (producer != null) {
                producer.close(STOP_TIMEOUT);
            }
            if (app != null) {
                app.close();
            }
            if (consumer != null) {
                consumer.close(STOP_TIMEOUT);
            }
            broker.close();
            deleteQuietly(stateDir);
            out.println("Stopped.");
            out.flush();
        }
    }

    /**
     * The live view: reads enriched events and alerts (read_committed) and prints a status line every 2 s, until
     * stopped or something fails. Returns what failed, or {@code null}.
     */
    private String watch(KafkaConsumer<byte[], byte[]> consumer, FaultlineConfig config, ProducerLoop loop,
            FaultlineApp app, PrintWriter out) {
        String enriched = config.enrichedTopic();
        String alerts = config.alertsTopic();
        String dlq = config.dlqTopic();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(enriched, alerts, dlq)) {
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);

        Duration window = config.get(dev.faultline.config.FaultlineKeys.ALERTS_WINDOW);
        Instant start = Instant.now();
        Instant deadline = duration == null ? null : start.plus(duration);
        Instant nextStatus = start.plus(STATUS_EVERY);
        long lastRecords = 0;
        long enrichedSince = 0;
        long dlqTotal = 0;
        Map<Long, Map<String, Integer>> windows = new HashMap<>();
        long currentWindow = Long.MIN_VALUE;
        Instant lastStatus = start;
        while (!stopRequested && (deadline == null || Instant.now().isBefore(deadline))) {
            if (app.failed()) {
                return "the streams application failed (see the log)";
            }
            if (loop != null && loop.stopped()) {
                return "the log generator stopped: " + loop.lastFailure();
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                if (r.topic().equals(enriched)) {
                    enrichedSince++;
                    JsonNode e = parse(r.value());
                    if (e == null) {
                        continue;
                    }
                    long time = e.path("time_ms").asLong(r.timestamp());
                    long w = Math.floorDiv(time, window.toMillis()) * window.toMillis();
                    currentWindow = Math.max(currentWindow, w);
                    for (JsonNode err : e.path("errors")) {
                        String code = err.path("catalog").asText("?") + ":" + err.path("code").asText("?");
                        windows.computeIfAbsent(w, k -> new HashMap<>()).merge(code, 1, Integer::sum);
                    }
                } else if (r.topic().equals(alerts)) {
                    printAlert(parse(r.value()), r, out);
                } else {
                    dlqTotal++;
                }
            }
            Instant now = Instant.now();
            if (!now.isBefore(nextStatus)) {
                double secs = Math.max(0.001, Duration.between(lastStatus, now).toMillis() / 1000.0);
                long records = loop == null ? 0 : loop.records();
                long cw = currentWindow;
                windows.keySet().removeIf(w -> w < cw - window.toMillis()); // keep the current and previous window only
                out.printf("%s  in %5.0f/s  enriched %5.0f/s  dlq %d  %s  window %s: %s%s%n",
                        HMS.format(now), (records - lastRecords) / secs, enrichedSince / secs, dlqTotal,
                        app.state(), cw == Long.MIN_VALUE ? "-" : HMS.format(Instant.ofEpochMilli(cw)),
                        top(windows.get(cw)), loop != null && loop.spikeActive() ? "  [spike on]" : "");
                out.flush();
                lastRecords = records;
                enrichedSince = 0;
                lastStatus = now;
                nextStatus = now.plus(STATUS_EVERY);
            }
        }
        return null;
    }

    private static void printAlert(JsonNode alert, ConsumerRecord<byte[], byte[]> r, PrintWriter out) {
        if (alert == null) {
            out.printf("%s  ALERT (unreadable) at %s-%d@%d%n", HMS.format(Instant.now()), r.topic(), r.partition(),
                    r.offset());
            return;
        }
        String status = alert.path("status").asText("?").toUpperCase(Locale.ROOT);
        Map<String, String> labels = new LinkedHashMap<>();
        alert.path("labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        String summary = alert.path("annotations").path("summary").asText("");
        out.printf("%s  %s ALERT %-8s %s%s%n", HMS.format(Instant.now()), status.equals("FIRING") ? ">>>" : "<<<",
                status, labels.isEmpty() ? alert.toString() : labels.toString(),
                summary.isEmpty() ? "" : "  " + Sanitize.forTerminal(summary));
        out.flush();
    }

    private static String top(Map<String, Integer> counts) {
        if (counts == null || counts.isEmpty()) {
            return "(no errors yet)";
        }
        List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
        list.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(TOP_CODES, list.size()); i++) {
            if (i > 0) {
                b.append("  ");
            }
            b.append(list.get(i).getKey()).append(' ').append(list.get(i).getValue());
        }
        return b.toString();
    }

    private static JsonNode parse(byte[] value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The demo's config: the embedded broker, a temp state dir, the generator's service bindings and
     * alert settings small enough that the default spike fires an alert about 1.5 minutes in and
     * resolves it about 2 minutes later.
     */
    static String demoConfigYaml(String bootstrapServers, Path stateDir) {
        StringBuilder y = new StringBuilder();
        y.append("application.id: faultline-demo\n");
        y.append("kafka:\n  bootstrap.servers: \"").append(bootstrapServers).append("\"\n");
        y.append("  commit.interval.ms: 1000\n");
        y.append("processing.guarantee: exactly_once_v2\n");
        y.append("state.dir: \"").append(stateDir.toString().replace("\\", "/")).append("\"\n");
        y.append("services:\n");
        for (SeedSystem s : SeedSystem.values()) {
            y.append("  - {glob: \"").append(s.serviceGlob()).append("\", catalogs: [").append(s.catalogId())
                    .append("]}\n");
        }
        y.append("windows:\n  sizes: [30s]\n  grace: 5s\n");
        y.append("alerts:\n  window: 30s\n  min-count: 20\n  resolve-hold-down: 60s\n  repeat-interval: 5m\n");
        return y.toString();
    }

    /** {@code alerts.min-count=5} as the environment override {@code FAULTLINE_ALERTS_MIN___COUNT=5}. */
    static Map<String, String> overridesAsEnv(List<String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects KEY=VALUE, was '" + o + "'");
            }
            String key = o.substring(0, eq).trim();
            StringBuilder name = new StringBuilder(FaultlineConfig.ENV_PREFIX);
            for (char c : key.toCharArray()) {
                switch (c) {
                    case '.' -> name.append('_');
                    case '_' -> name.append("__");
                    case '-' -> name.append("___");
                    default -> name.append(Character.toUpperCase(c));
                }
            }
            env.put(name.toString(), o.substring(eq + 1));
        }
        return env;
    }

    private static Map<String, Object> consumerConfig(String bootstrapServers) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Only what the app committed: an aborted transaction's output is never shown.
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "faultline-demo-console");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return c;
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is harmless; the OS cleans /tmp.
        }
    }

    /**
     * A fresh one-node cluster under exactly_once_v2 logs retriable first-write errors on every new
     * internal partition (CONCURRENT_TRANSACTIONS, OutOfOrderSequence with transactions v2), and the
     * demo's state directory is a temp dir on purpose. All are expected and retried, and would
     * drown the live console; only the demo quiets them, so `run` keeps Kafka's warnings.
     */
    private static void quietEmbeddedClusterNoise() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            for (String name : new String[] {"kafka.server.ReplicaManager",
                    "org.apache.kafka.clients.producer.internals.Sender",
                    "org.apache.kafka.clients.producer.internals.TransactionManager",
                    "org.apache.kafka.streams.processor.internals.StateDirectory",
                    "org.apache.kafka.streams.StreamsConfig"}) {
                context.getLogger(name).setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }
}
