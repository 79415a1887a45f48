package dev.faultline.bench.stream;

import static dev.faultline.bench.stream.StreamHarness.log;
import static dev.faultline.bench.stream.StreamHarness.mib;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.generator.ProducerLoop;
import dev.faultline.generator.WireFormat;
import dev.faultline.kafka.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The live phase: Faultline running on a fresh topic with background traffic, and per trial a burst
 * of {@code alerts.min-count} events of a transient code from a service never seen before, one event
 * per record in formats that name the service (so its series has no history and no background event
 * counts towards it: the {@code min-count}-th burst event is exactly the one that crosses the
 * threshold, which the alert's {@code count} confirms).
 * Latency: from just before {@code send()} of that event to the moment a read_committed consumer
 * polling the alerts topic (fetch.max.wait.ms 10) returns the {@code firing} record for that service.
 */
final class AlertLatency {
    private static final String TOPIC = "bench.live.logs";
    private static final String APP_ID = "bench-live";

    /** One trial. */
    record Trial(String service, long crossingToAckMs, double latencyMs, double firstToAlertMs, long alertCount,
            String alertKind) {
    }

    /** The phase's figures, and a text block for the report. */
    record Result(List<Trial> trials, int minCount, long windowMs, double liveRate, int commitIntervalMs,
            HeapSampler.Peaks peaks, long liveAfter, long rss, Map<String, Long> cpu, double seconds, long background,
            int missed) {

        String text() {
            StringBuilder r = new StringBuilder();
            r.append(String.format(Locale.ROOT, "alert latency (live, %.0f background records/s, min-count %d, window %ds,"
                    + " commit.interval.ms %d):%n", liveRate, minCount, windowMs / 1000, commitIntervalMs));
            r.append("| trial | service | crossing event acked (ms after send) | alert visible (ms after crossing"
                    + " send) | ms after first burst send | alert count | alert |\n|---|---|---|---|---|---|---|\n");
            for (int i = 0; i < trials.size(); i++) {
                Trial t = trials.get(i);
                r.append(String.format(Locale.ROOT, "| %d | %s | %d | %.0f | %.0f | %d | %s |%n", i + 1, t.service(),
                        t.crossingToAckMs(), t.latencyMs(), t.firstToAlertMs(), t.alertCount(), t.alertKind()));
            }
            List<Double> l = trials.stream().map(Trial::latencyMs).toList();
            r.append(String.format(Locale.ROOT, "latency median %.0f ms, max %.0f ms, min %.0f ms over %d trials"
                    + " (%d missed; target <= 2000 ms)%n", StreamHarness.median(l),
                    l.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    l.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), trials.size(), missed));
            r.append(String.format(Locale.ROOT, "live phase: %.0fs, %,d background records; heap peaks %s, live after"
                    + " GC %s, RSS %s; threads %s%n", seconds, background, StreamHarness.peaks(peaks), mib(liveAfter),
                    mib(rss), StreamHarness.cpuText(cpu)));
            return r.toString();
        }
    }

    /** The first firing alert of a service: when it was polled, its count, and whether per code or per class. */
    private record Seen(long nanos, long count, String kind) {
    }

    private AlertLatency() {
    }

    static Result run(EmbeddedKafkaBroker broker, Admin admin, HeapSampler heap, CatalogSet catalogs,
            StreamHarness.Settings s, Path work) throws Exception {
        Path state = Files.createDirectories(work.resolve(APP_ID));
        FaultlineConfig cfg = StreamHarness.config(broker.bootstrapServers(), APP_ID, TOPIC, state,
                s.commitIntervalMs(), s.streamThreads(), s.kafka());
        broker.createTopics(s.partitions(), TOPIC);
        broker.createTopics(s.partitions(), StreamHarness.outputTopics(cfg).toArray(String[]::new));
        int minCount = cfg.get(FaultlineKeys.ALERTS_MIN_COUNT);
        long windowMs = cfg.get(FaultlineKeys.ALERTS_WINDOW).toMillis();
        HeapSampler.liveAfterFullGc();
        heap.reset();
        long began = System.nanoTime();

        Map<String, Seen> seen = new ConcurrentHashMap<>();
        // Stopped by a flag, not an interrupt: an interrupt lands in the consumer's close and logs an error.
        AtomicBoolean observing = new AtomicBoolean(true);
        Thread observer = new Thread(() -> observe(broker.bootstrapServers(), cfg.alertsTopic(), seen, observing),
                "bench-alert-observer");
        observer.setDaemon(true);

        Enricher enricher = Enricher.create(catalogs, cfg.enricherConfig());
        FaultlineApp app = FaultlineApp.create(cfg, () -> enricher, new Properties());
        KafkaProducer<byte[], byte[]> background = new KafkaProducer<>(StreamHarness.producerConfig(
                broker.bootstrapServers(), s.compression(), 5));
        KafkaProducer<byte[], byte[]> burst = new KafkaProducer<>(StreamHarness.producerConfig(
                broker.bootstrapServers(), s.compression(), 0));
        ProducerLoop loop = new ProducerLoop(background, new LogGenerator(catalogs, s.seed() + 1,
                GeneratorProfile.defaults().withTopic(TOPIC).withRate(s.liveRate()).withSpike(null)),
                Clock.systemUTC(), null);
        Thread loopThread = new Thread(loop, "bench-background");
        loopThread.setDaemon(true);
        List<Trial> trials = new ArrayList<>();
        int missed = 0;
        try {
            app.start();
            if (!app.awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("live app not RUNNING after 120s: " + app.state());
            }
            observer.start();
            loopThread.start();
            log(String.format(Locale.ROOT, "live: Faultline running; %.0f records/s of background traffic; warming up"
                    + " %ds", s.liveRate(), s.warmupSeconds()));
            Thread.sleep(TimeUnit.SECONDS.toMillis(s.warmupSeconds()));
            for (int k = 1; k <= s.trials(); k++) {
                String service = "foundry-mcp-bench-" + k;
                LogGenerator gen = new LogGenerator(catalogs, s.seed() + 100 + k, GeneratorProfile.defaults()
                        .withTopic(TOPIC).withSpike(null));
                CatalogEntry entry = gen.entry(StreamHarness.SPIKE_CATALOG, StreamHarness.SPIKE_CODE);
                // One event per record, and one the parser attributes to the service: no OTLP batches (they
                // may carry more events) and no free text (a line may not name its service bindably).
                List<WireFormat> formats = gen.formatsFor(entry).stream()
                        .filter(f -> f != WireFormat.OTLP_JSON && f != WireFormat.TEXT).toList();
                // The whole burst inside one alert window (event time = wall time here), with a margin.
                long burstMs = (long) minCount * s.burstIntervalMs() + 1500;
                long intoWindow = System.currentTimeMillis() % windowMs;
                if (intoWindow + burstMs > windowMs) {
                    Thread.sleep(windowMs - intoWindow + 200);
                }
                long[] sendNanos = new long[minCount];
                long[] ackNanos = new long[minCount];
                for (int i = 0; i < minCount; i++) {
                    GeneratedRecord r = gen.error(Instant.now(), entry, service, formats.get(i % formats.size()));
                    int idx = i;
                    sendNanos[i] = System.nanoTime();
                    burst.send(new ProducerRecord<>(TOPIC, null, null, r.key(), r.value()), (m, e) -> {
                        if (e == null) {
                            ackNanos[idx] = System.nanoTime();
                        } else {
                            log("burst send failed: " + e);
                        }
                    });
                    if (s.burstIntervalMs() > 0 && i < minCount - 1) {
                        Thread.sleep(s.burstIntervalMs());
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.alertTimeoutSeconds());
                long nextLag = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!seen.containsKey(service) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    if (Boolean.getBoolean("bench.debug") && System.nanoTime() > nextLag) {
                        nextLag = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        log("  lag: " + lag(admin, cfg));
                    }
                }
                Seen at = seen.get(service);
                if (at == null) {
                    missed++;
                    log("live trial " + k + ": no firing alert for " + service + " within " + s.alertTimeoutSeconds() + "s; input end offsets "
                            + StreamHarness.endOffsets(admin, TOPIC, s.partitions()) + ", committed "
                            + admin.listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata()
                                    .get(30, TimeUnit.SECONDS));
                } else {
                    Trial t = new Trial(service, TimeUnit.NANOSECONDS.toMillis(ackNanos[minCount - 1]
                            - sendNanos[minCount - 1]), (at.nanos() - sendNanos[minCount - 1]) / 1e6,
                            (at.nanos() - sendNanos[0]) / 1e6, at.count(), at.kind());
                    trials.add(t);
                    log(String.format(Locale.ROOT, "live trial %d: %s firing alert (%s, count %d) visible %.0f ms after"
                            + " the crossing event's send (acked after %d ms)", k, service, t.alertKind(),
                            t.alertCount(), t.latencyMs(), t.crossingToAckMs()));
                }
                Thread.sleep(2000);
            }
            Map<String, Long> cpu = ThreadCpu.byName(APP_ID + "-");
            HeapSampler.Peaks peaks = heap.peaks();
            long liveAfter = HeapSampler.liveAfterFullGc();
            long rss = HeapSampler.rssBytes();
            return new Result(trials, minCount, windowMs, s.liveRate(), s.commitIntervalMs(), peaks, liveAfter, rss,
                    cpu, (System.nanoTime() - began) / 1e9, loop.records(), missed);
        } finally {
            loop.stop();
            loop.awaitStopped(Duration.ofSeconds(10));
            background.close(Duration.ofSeconds(10));
            burst.close(Duration.ofSeconds(10));
            app.close(Duration.ofSeconds(60));
            observing.set(false);
            observer.join(Duration.ofSeconds(30).toMillis());
            StreamHarness.deleteRecursively(state);
        }
    }

    /** Per input and repartition partition: end offset minus committed offset of the app's group. */
    static String lag(Admin admin, FaultlineConfig cfg) {
        try {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> req = new java.util.HashMap<>();
            committed.keySet().forEach(tp -> req.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            var ends = admin.listOffsets(req).all().get(30, TimeUnit.SECONDS);
            StringBuilder sb = new StringBuilder();
            new java.util.TreeMap<String, Long>(committed.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> e.getKey().toString().replace(APP_ID + "-faultline-", ""),
                    e -> ends.get(e.getKey()).offset() - e.getValue().offset()))).forEach((k, v) ->
                    sb.append(k).append('=').append(v).append(' '));
            return sb.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Polls the alerts topic read_committed and notes, per service, when its first firing alert was seen. */
    private static void observe(String bootstrap, String topic, Map<String, Seen> seen, AtomicBoolean observing) {
        try (KafkaConsumer<byte[], byte[]> c = StreamHarness.committedReader(bootstrap, 10)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            while (observing.get()) {
                var records = c.poll(Duration.ofMillis(20));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    JsonNode a = StreamHarness.JSON.readTree(r.value());
                    if (!"firing".equals(a.path("status").asText())) {
                        continue;
                    }
                    String service = a.path("labels").path("service").asText();
                    String what = a.path("labels").has("code") ? "code " + a.path("labels").path("code").asText()
                            : "class " + a.path("labels").path("class").asText();
                    if (seen.putIfAbsent(service, new Seen(now, a.path("count").asLong(), what)) == null
                            && Boolean.getBoolean("bench.debug")) {
                        log("  observer: firing " + service + " " + what + " count " + a.path("count").asLong());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // stopping
        } catch (Exception e) {
            log("alert observer failed: " + e);
        }
    }
}
