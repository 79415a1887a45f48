package dev.faultline.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.generator.SeedSystem;
import dev.faultline.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Issue 3's stream benchmark, in one JVM on one in-process broker:
 *
 * <ol>
 *   <li>pre-produces {@code --events} generated records (fixed seed, 10% error events, a spike of
 *       {@code foundry-mcp RATE_LIMIT_EXCEEDED} at 40/s for a minute at 90% of the simulated span,
 *       record and log times spread over {@code events / --event-rate} seconds of the past) into an
 *       input topic of {@code --partitions} partitions (idempotent batching producer, lz4);
 *   <li>runs, {@code --rounds} times and alternating, (a) a pass-through topology and (b) Faultline's
 *       full topology ({@link FaultlineApp}, what {@code faultline run} runs), each from offset 0
 *       under a fresh application id, with the same Faultline config ({@code exactly_once_v2},
 *       {@code commit.interval.ms}, {@code --stream-threads} stream threads, default caching), and times each from
 *       {@code KafkaStreams.start()} until its group's committed offsets reach the end of the input;
 *   <li>runs the full topology live on a new topic while a producer sends background traffic at
 *       {@code --live-rate} records/s, then, per trial, a burst of {@code alerts.min-count} events of
 *       a transient code from a fresh service, and measures from the send of the burst event that
 *       crosses the threshold to the {@code firing} alert seen by a read_committed consumer;
 *   <li>samples the heap throughout and reads the live heap after a full GC at the end of each phase.
 * </ol>
 *
 * <p>Options ({@code --name=value}): {@code events} (2000000), {@code partitions} (2), {@code stream-threads} (1),
 * {@code rounds} (2), {@code commit-interval-ms} (100, Kafka Streams' exactly-once default, which Faultline's
 * shipped config does not change), {@code compression} (lz4), {@code seed} (42), {@code event-rate}
 * (2000 simulated records/s), {@code live-rate} (1000), {@code trials} (7), {@code warmup-s} (15),
 * {@code burst-interval-ms} (10), {@code max-run-s} (900), {@code alert-timeout-s} (30), {@code phases}
 * (throughput,live); {@code kafka.NAME=VALUE}, any number of them: a Kafka client setting for both
 * topologies, as in the yaml's {@code kafka:} block. {@code -Dbench.debug=true} logs every first firing alert per
 * service and, while a trial waits, the group's lag per partition.
 */
public final class StreamHarness {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SPIKE_CATALOG = "foundry-mcp";
    static final String SPIKE_CODE = "RATE_LIMIT_EXCEEDED";
    private static final long T_START = System.nanoTime();

    /** Command-line settings. */
    record Settings(long events, int partitions, int streamThreads, int rounds, int commitIntervalMs,
            String compression, long seed, double eventRate, double liveRate, int trials, int warmupSeconds,
            int burstIntervalMs, int maxRunSeconds, int alertTimeoutSeconds, boolean throughput, boolean live,
            Map<String, String> kafka) {

        static Settings parse(String[] args) {
            Map<String, String> o = new HashMap<>();
            for (String a : args) {
                if (!a.startsWith("--") || !a.contains("=")) {
                    throw new IllegalArgumentException("options are --name=value, was " + a);
                }
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
            String phases = o.getOrDefault("phases", "throughput,live");
            // --kafka.NAME=VALUE: a client setting for both topologies (same config), as the yaml's kafka: block
            Map<String, String> kafka = new TreeMap<>();
            for (Iterator<Map.Entry<String, String>> it = o.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, String> e = it.next();
                if (e.getKey().startsWith("kafka.")) {
                    kafka.put(e.getKey().substring("kafka.".length()), e.getValue());
                    it.remove();
                }
            }
            Settings s = new Settings(Long.parseLong(o.getOrDefault("events", "2000000")),
                    Integer.parseInt(o.getOrDefault("partitions", "2")),
                    Integer.parseInt(o.getOrDefault("stream-threads", "1")),
                    Integer.parseInt(o.getOrDefault("rounds", "2")),
                    Integer.parseInt(o.getOrDefault("commit-interval-ms", "100")),
                    o.getOrDefault("compression", "lz4"),
                    Long.parseLong(o.getOrDefault("seed", "42")),
                    Double.parseDouble(o.getOrDefault("event-rate", "2000")),
                    Double.parseDouble(o.getOrDefault("live-rate", "1000")),
                    Integer.parseInt(o.getOrDefault("trials", "7")),
                    Integer.parseInt(o.getOrDefault("warmup-s", "15")),
                    Integer.parseInt(o.getOrDefault("burst-interval-ms", "10")),
                    Integer.parseInt(o.getOrDefault("max-run-s", "900")),
                    Integer.parseInt(o.getOrDefault("alert-timeout-s", "30")),
                    phases.contains("throughput"), phases.contains("live"), Map.copyOf(kafka));
            o.keySet().removeAll(List.of("events", "partitions", "stream-threads", "rounds", "commit-interval-ms",
                    "compression", "seed", "event-rate", "live-rate", "trials", "warmup-s", "burst-interval-ms",
                    "max-run-s", "alert-timeout-s", "phases"));
            if (!o.isEmpty()) {
                throw new IllegalArgumentException("unknown options: " + o.keySet());
            }
            return s;
        }
    }

    /** What was pre-produced. */
    record Dataset(String topic, long records, long events, long errorEvents, long spikeRecords, long bytes,
            Map<Integer, Long> endOffsets, Instant firstTime, Instant lastTime, double seconds) {
    }

    /** One throughput run. */
    record RunResult(String kind, int round, double seconds, double steadySeconds, long records,
            Map<String, Long> threadCpuNs, long processCpuNs, long liveBefore, HeapSampler.Peaks peaks,
            long liveAfter, long rss, String outputs) {

        double recordsPerSecond() {
            return records / seconds;
        }

        long streamThreadCpuNs() {
            return threadCpuNs.entrySet().stream().filter(e -> e.getKey().contains("StreamThread")
                    && !e.getKey().contains("producer")).mapToLong(Map.Entry::getValue).sum();
        }

        long appThreadsCpuNs() {
            return threadCpuNs.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private StreamHarness() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        log("loadavg at start: " + loadavg());
        log("settings: " + s);
        log(String.format(Locale.ROOT, "JVM: %s %s, max heap %s, %d CPUs, args %s", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), mib(HeapSampler.maxHeap()),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getRuntimeMXBean().getInputArguments()));
        CatalogSet catalogs = new CatalogLoader().loadBundled().orThrow();
        Path work = Files.createTempDirectory("faultline-bench-");
        List<RunResult> runs = new ArrayList<>();
        AlertLatency.Result live = null;
        Dataset data = null;
        long brokerIdleLive;
        long brokerLoadedLive = -1;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start();
                HeapSampler heap = new HeapSampler();
                Admin admin = Admin.create(broker.adminConfig())) {
            brokerIdleLive = HeapSampler.liveAfterFullGc();
            log("broker " + broker.bootstrapServers() + " up; live heap after GC " + mib(brokerIdleLive));
            if (s.throughput()) {
                heap.reset();
                data = preProduce(broker, admin, catalogs, s, "bench.logs");
                brokerLoadedLive = HeapSampler.liveAfterFullGc();
                log("pre-produce peaks " + peaks(heap.peaks()) + "; live heap after GC " + mib(brokerLoadedLive));
                Enricher enricher = Enricher.create(catalogs, FaultlineConfig.defaults().enricherConfig());
                for (int round = 1; round <= s.rounds(); round++) {
                    for (String kind : List.of("passthrough", "full")) {
                        runs.add(throughputRun(kind, round, broker, admin, heap, catalogs, enricher, s, data, work));
                    }
                }
            }
            if (s.live()) {
                live = AlertLatency.run(broker, admin, heap, catalogs, s, work);
            }
        } finally {
            deleteRecursively(work);
        }
        report(s, data, runs, live, brokerIdleLive, brokerLoadedLive);
        log("loadavg at end: " + loadavg());
        System.exit(0); // a stray non-daemon client thread must not keep the JVM up
    }

    // ------------------------------------------------------------------------------ pre-produce

    static Map<String, Object> producerConfig(String bootstrap, String compression, int lingerMs) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return c;
    }

    private static Dataset preProduce(EmbeddedKafkaBroker broker, Admin admin, CatalogSet catalogs, Settings s,
            String topic) throws Exception {
        broker.createTopics(s.partitions(), topic);
        double spanSeconds = s.events() / s.eventRate();
        Instant t0 = Instant.now().minusSeconds((long) spanSeconds + 300).truncatedTo(ChronoUnit.MINUTES);
        Duration spikeAfter = Duration.ofMillis((long) (spanSeconds * 900));
        Duration spikeFor = Duration.ofMillis((long) Math.min(60_000, spanSeconds * 50));
        GeneratorProfile.Spike spike = new GeneratorProfile.Spike(spikeAfter, spikeFor, 40, SPIKE_CATALOG, SPIKE_CODE,
                "foundry-mcp");
        LogGenerator gen = new LogGenerator(catalogs, s.seed(), GeneratorProfile.defaults().withTopic(topic)
                .withRate(s.eventRate()).withErrorRatio(0.10).withBadRatio(0.0).withSpike(spike));
        log(String.format(Locale.ROOT, "pre-producing %,d records into %s (%d partitions, %s): event times %s .. +%.0fs,"
                + " spike %s %s at 40/s from +%ds for %ds", s.events(), topic, s.partitions(), s.compression(), t0,
                spanSeconds, SPIKE_CATALOG, SPIKE_CODE, spikeAfter.toSeconds(), spikeFor.toSeconds()));
        long records = 0;
        long events = 0;
        long errors = 0;
        long spikes = 0;
        long bytes = 0;
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long began = System.nanoTime();
        Instant last = t0;
        double nanosPerRecord = 1e9 / s.eventRate();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerConfig(broker.bootstrapServers(),
                s.compression(), 20))) {
            long normal = 0;
            while (records < s.events()) {
                Instant t = t0.plusNanos((long) (normal * nanosPerRecord));
                List<GeneratedRecord> batch = new ArrayList<>(2);
                batch.add(gen.next(t));
                normal++;
                long spikeDue = (long) (spike.ratePerSecond() * spike.elapsed(Duration.between(t0, t)).toNanos() / 1e9);
                while (spikes < spikeDue) {
                    batch.add(gen.spike(t));
                    spikes++;
                }
                for (GeneratedRecord r : batch) {
                    if (records >= s.events()) {
                        break;
                    }
                    p.send(new ProducerRecord<>(topic, null, t.toEpochMilli(), r.key(), r.value()), (m, e) -> {
                        if (e != null && failures.incrementAndGet() == 1) {
                            failure.set(e);
                        }
                    });
                    records++;
                    events += r.events();
                    errors += r.errors().size();
                    bytes += r.value().length + (r.key() == null ? 0 : r.key().length);
                }
                last = t;
                if (records % 500_000 == 0) {
                    log(String.format(Locale.ROOT, "  %,d records sent", records));
                }
            }
            p.flush();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " sends failed", failure.get());
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        Map<Integer, Long> ends = endOffsets(admin, topic, s.partitions());
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        if (total != records) {
            throw new IllegalStateException("input holds " + total + " records, sent " + records);
        }
        Dataset d = new Dataset(topic, records, events, errors, spikes, bytes, ends, t0, last, seconds);
        log(String.format(Locale.ROOT, "pre-produced %,d records (%,d log events, %,d error events = %.1f%%, %,d spike"
                + " records, %s of values) in %.1fs (%,.0f records/s); partition end offsets %s", records, events,
                errors, 100.0 * errors / events, spikes, mib(bytes), seconds, records / seconds, ends));
        return d;
    }

    static Map<Integer, Long> endOffsets(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> req = new LinkedHashMap<>();
        for (int i = 0; i < partitions; i++) {
            req.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        Map<Integer, Long> out = new LinkedHashMap<>();
        admin.listOffsets(req).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        return new java.util.TreeMap<>(out);
    }

    // ------------------------------------------------------------------------------ throughput

    /**
     * Faultline's config for one run: the shipped defaults plus ids, topics, state dir, bindings, commit interval
     * and stream threads.
     */
    static FaultlineConfig config(String bootstrap, String appId, String input, Path stateDir, int commitIntervalMs,
            int streamThreads, Map<String, String> kafka) {
        StringBuilder y = new StringBuilder();
        y.append("application.id: ").append(appId).append('\n');
        y.append("kafka:\n  bootstrap.servers: \"").append(bootstrap).append("\"\n");
        y.append("  commit.interval.ms: ").append(commitIntervalMs).append('\n');
        kafka.forEach((k, v) -> y.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        y.append("processing.guarantee: exactly_once_v2\n");
        y.append("num.stream.threads: ").append(streamThreads).append('\n');
        y.append("state.dir: \"").append(stateDir.toString().replace("\\", "/")).append("\"\n");
        y.append("topics:\n  input: [").append(input).append("]\n");
        for (String t : List.of("enriched", "aggregates", "alerts", "dlq")) {
            y.append("  ").append(t).append(": ").append(appId).append('.').append(t).append('\n');
        }
        y.append("services:\n");
        for (SeedSystem sys : SeedSystem.values()) {
            y.append("  - {glob: \"").append(sys.serviceGlob()).append("\", catalogs: [").append(sys.catalogId())
                    .append("]}\n");
        }
        return FaultlineConfig.parse(y.toString(), Map.of()).orThrow();
    }

    static List<String> outputTopics(FaultlineConfig c) {
        return List.of(c.enrichedTopic(), c.aggregatesTopic(), c.alertsTopic(), c.dlqTopic());
    }

    private static RunResult throughputRun(String kind, int round, EmbeddedKafkaBroker broker, Admin admin,
            HeapSampler heap, CatalogSet catalogs, Enricher enricher, Settings s, Dataset data, Path work)
            throws Exception {
        String appId = "bench-r" + round + "-" + kind;
        Path state = Files.createDirectories(work.resolve(appId));
        FaultlineConfig cfg = config(broker.bootstrapServers(), appId, data.topic(), state, s.commitIntervalMs(),
                s.streamThreads(), s.kafka());
        String ptOut = appId + ".out";
        boolean full = kind.equals("full");
        if (full) {
            broker.createTopics(s.partitions(), outputTopics(cfg).toArray(String[]::new));
        } else {
            broker.createTopics(s.partitions(), ptOut);
        }
        long liveBefore = HeapSampler.liveAfterFullGc();
        heap.reset();
        AutoCloseable closer;
        KafkaStreams streams;
        long cpu0 = ThreadCpu.process();
        long t0 = System.nanoTime();
        if (full) {
            FaultlineApp app = FaultlineApp.create(cfg, () -> enricher, new Properties());
            streams = app.streams();
            closer = () -> app.close(Duration.ofSeconds(60));
            app.start();
        } else {
            Properties props = cfg.streamsProperties();
            KafkaStreams ks = new KafkaStreams(PassThrough.build(props, data.topic(), ptOut), props);
            ks.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
            streams = ks;
            closer = () -> ks.close(Duration.ofSeconds(60));
            ks.start();
        }
        long total = data.records();
        long tFirst = -1;
        long firstCommitted = 0;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(s.maxRunSeconds());
        long lastLog = t0;
        try {
            while (true) {
                long committed = committed(admin, appId, data);
                long now = System.nanoTime();
                if (tFirst < 0 && committed > 0) {
                    tFirst = now;
                    firstCommitted = committed;
                }
                if (committed >= total) {
                    break;
                }
                if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException(appId + " stopped: " + streams.state());
                }
                if (now > deadline) {
                    throw new IllegalStateException(appId + " did not finish in " + s.maxRunSeconds() + "s ("
                            + committed + "/" + total + ")");
                }
                if (now - lastLog > TimeUnit.SECONDS.toNanos(15)) {
                    lastLog = now;
                    log(String.format(Locale.ROOT, "  %s: %,d/%,d committed after %.0fs", appId, committed, total,
                            (now - t0) / 1e9));
                }
                Thread.sleep(100);
            }
            long t1 = System.nanoTime();
            Map<String, Long> cpu = ThreadCpu.byName(appId + "-");
            long processCpu = ThreadCpu.process() - cpu0;
            HeapSampler.Peaks peaks = heap.peaks();
            long liveAfter = HeapSampler.liveAfterFullGc();
            long rss = HeapSampler.rssBytes();
            closer.close();
            String outputs = full ? fullOutputs(broker, admin, cfg, s.partitions()) : ptOut + " end offsets "
                    + endOffsets(admin, ptOut, s.partitions()) + " (incl. transaction markers)";
            RunResult r = new RunResult(kind, round, (t1 - t0) / 1e9, (t1 - tFirst) / 1e9, total, cpu, processCpu,
                    liveBefore, peaks, liveAfter, rss, outputs);
            log(String.format(Locale.ROOT, "%s: %,d records in %.1fs = %,.0f records/s (after first commit at +%.1fs:"
                    + " %,.0f records/s); stream thread CPU %.1fs, app threads CPU %.1fs, process CPU %.1fs; heap"
                    + " live before %s, peaks %s, live after %s, RSS %s; %s", appId, total, r.seconds(),
                    r.recordsPerSecond(), (tFirst - t0) / 1e9, (total - firstCommitted) / r.steadySeconds(),
                    r.streamThreadCpuNs() / 1e9, r.appThreadsCpuNs() / 1e9, processCpu / 1e9, mib(liveBefore),
                    peaks(peaks), mib(liveAfter), mib(rss), outputs));
            log("  threads: " + cpuText(cpu));
            return r;
        } finally {
            closer.close();
            deleteRecursively(state);
        }
    }

    private static long committed(Admin admin, String group, Dataset data) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        long sum = 0;
        for (Integer p : data.endOffsets().keySet()) {
            OffsetAndMetadata o = m.get(new TopicPartition(data.topic(), p));
            sum += o == null ? 0 : o.offset();
        }
        return sum;
    }

    /** A sanity check that the full run did the work: output sizes and the spike's firing alerts. */
    private static String fullOutputs(EmbeddedKafkaBroker broker, Admin admin, FaultlineConfig cfg, int partitions)
            throws Exception {
        StringBuilder sb = new StringBuilder("end offsets (incl. transaction markers)");
        for (String t : outputTopics(cfg)) {
            sb.append(' ').append(t.substring(t.lastIndexOf('.') + 1)).append('=')
                    .append(endOffsets(admin, t, partitions).values().stream().mapToLong(Long::longValue).sum());
        }
        // Internal topics (repartition, changelog): what the full topology writes besides its outputs.
        List<String> internal = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(cfg.applicationId() + "-")).sorted().toList();
        for (String t : internal) {
            sb.append(' ').append(t.substring(cfg.applicationId().length() + 1)).append('=')
                    .append(endOffsets(admin, t, partitions(admin, t)).values().stream().mapToLong(Long::longValue)
                            .sum());
        }
        int firing = 0;
        int spikeFiring = 0;
        for (ConsumerRecord<byte[], byte[]> r : readAll(broker.bootstrapServers(), cfg.alertsTopic())) {
            JsonNode a = JSON.readTree(r.value());
            if ("firing".equals(a.path("status").asText())) {
                firing++;
                if (SPIKE_CODE.equals(a.path("labels").path("code").asText())) {
                    spikeFiring++;
                }
            }
        }
        return sb.append("; firing alerts ").append(firing).append(" (").append(spikeFiring).append(" for ")
                .append(SPIKE_CODE).append(')').toString();
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                .size();
    }

    static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap, int fetchMaxWaitMs) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(c);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = committedReader(bootstrap, 100)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------ report

    private static void report(Settings s, Dataset data, List<RunResult> runs, AlertLatency.Result live,
            long brokerIdleLive, long brokerLoadedLive) {
        StringBuilder r = new StringBuilder("\n==================== RESULTS ====================\n");
        if (data != null) {
            r.append(String.format(Locale.ROOT, "input: %,d records, %,d log events, %,d error events (%.1f%%), %,d"
                    + " spike records, %s of values, %d partitions %s, pre-produced at %,.0f records/s%n",
                    data.records(), data.events(), data.errorEvents(), 100.0 * data.errorEvents() / data.events(),
                    data.spikeRecords(), mib(data.bytes()), s.partitions(), data.endOffsets(),
                    data.records() / data.seconds()));
        }
        if (!runs.isEmpty()) {
            r.append("\n| run | topology | wall s | records/s | log events/s | stream-thread CPU s | µs CPU/record"
                    + " | process CPU s | heap live before | heap peak used | heap peak after-GC | heap live after"
                    + " | RSS |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            double eventsPerRecord = data == null ? 1 : (double) data.events() / data.records();
            for (RunResult x : runs) {
                r.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %,.0f | %,.0f | %.1f | %.1f | %.1f | %s | %s"
                        + " | %s | %s | %s |%n", x.round(), x.kind(), x.seconds(), x.recordsPerSecond(),
                        x.recordsPerSecond() * eventsPerRecord, x.streamThreadCpuNs() / 1e9,
                        x.streamThreadCpuNs() / 1e3 / x.records(), x.processCpuNs() / 1e9, mib(x.liveBefore()),
                        mib(x.peaks().used()), mib(x.peaks().afterGc()), mib(x.liveAfter()), mib(x.rss())));
            }
            double pt = median(runs.stream().filter(x -> x.kind().equals("passthrough"))
                    .map(RunResult::recordsPerSecond).toList());
            double full = median(runs.stream().filter(x -> x.kind().equals("full"))
                    .map(RunResult::recordsPerSecond).toList());
            double ptCpu = median(runs.stream().filter(x -> x.kind().equals("passthrough"))
                    .map(x -> x.streamThreadCpuNs() / 1e3 / x.records()).toList());
            double fullCpu = median(runs.stream().filter(x -> x.kind().equals("full"))
                    .map(x -> x.streamThreadCpuNs() / 1e3 / x.records()).toList());
            double ptProc = median(runs.stream().filter(x -> x.kind().equals("passthrough"))
                    .map(x -> x.processCpuNs() / 1e3 / x.records()).toList());
            double fullProc = median(runs.stream().filter(x -> x.kind().equals("full"))
                    .map(x -> x.processCpuNs() / 1e3 / x.records()).toList());
            r.append(String.format(Locale.ROOT, "%nmedian records/s: pass-through %,.0f, full %,.0f; ratio full/pass-through"
                    + " = %.2f (target >= 0.80)%n", pt, full, full / pt));
            r.append(String.format(Locale.ROOT, "median stream-thread CPU per record: pass-through %.1f µs, full %.1f µs"
                    + " (CPU-cost ratio pass-through/full = %.2f)%n", ptCpu, fullCpu, ptCpu / fullCpu));
            r.append(String.format(Locale.ROOT, "median process CPU per record (broker included): pass-through %.1f µs,"
                    + " full %.1f µs (ratio %.2f)%n", ptProc, fullProc, ptProc / fullProc));
            r.append(String.format(Locale.ROOT, "broker-only live heap after GC: idle %s, with the input loaded %s%n",
                    mib(brokerIdleLive), mib(brokerLoadedLive)));
            for (RunResult x : runs) {
                r.append("run ").append(x.round()).append(' ').append(x.kind()).append(": ").append(x.outputs())
                        .append('\n');
            }
        }
        if (live != null) {
            r.append('\n').append(live.text());
        }
        System.out.println(r);
    }

    // ------------------------------------------------------------------------------ helpers

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    static String peaks(HeapSampler.Peaks p) {
        return "used " + mib(p.used()) + " / after-GC " + mib(p.afterGc());
    }

    static String cpuText(Map<String, Long> cpu) {
        StringBuilder sb = new StringBuilder();
        cpu.forEach((name, ns) -> sb.append(String.format(Locale.ROOT, "[%s %.1fs] ", name, ns / 1e9)));
        return sb.toString();
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    static void log(String line) {
        System.out.printf(Locale.ROOT, "[%7.1fs] %s%n", (System.nanoTime() - T_START) / 1e9, line);
        System.out.flush();
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
