package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.generator.ExpectedError;
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.generator.SeedSystem;
import dev.faultline.generator.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under exactly_once_v2, a crash (kill -9) mid-stream and a restart neither lose nor duplicate
 * anything: every input error event is in the enriched topic exactly once, and the final
 * aggregates equal a recount of the input. With one partition, and with two (keyed by service, as the
 * generator keys them), where the restarted instance catches up on both at their own pace.
 */
class RestartSafetyEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final long WINDOW_MS = 10_000;
    @RegisterExtension
    static final BrokerExtension BROKER = new BrokerExtension();

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 2})
    void afterAKillNineAndARestartEveryErrorEventIsEnrichedExactlyOnceAndAggregatesMatchARecount(int partitions)
            throws Exception {
        String bootstrap = BROKER.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("restart"));
        // Markers go to every partition last: one enriched from each proves everything before it is out.
        EnrichScenario.createTopics(bootstrap, names, partitions);
        Path dir = ItSupport.tempDir("faultline-it-restart-");
        Path config = dir.resolve("faultline.yaml");
        Files.writeString(config, ItSupport.configYaml(bootstrap, names, dir.resolve("state"), "exactly_once_v2", """
                windows:
                  sizes: [10s]
                  grace: 0s
                """).replace("  commit.interval.ms: 200\n",
                // A dead member must leave the group quickly, or the restarted one waits out the session.
                "  commit.interval.ms: 200\n  session.timeout.ms: 6000\n  heartbeat.interval.ms: 1000\n"));

        // 4000 records over 400 simulated seconds (40 windows), then two markers far later.
        Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        LogGenerator generator = new LogGenerator(EnrichScenario.CATALOGS, 47,
                GeneratorProfile.defaults().withTopic(names.input()).withSpike(null));
        List<GeneratedRecord> records = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            Instant t = t0.plusMillis(i * 100L);
            records.add(generator.next(t));
            times.add(t);
        }
        long expectedEvents = records.stream().mapToLong(r -> r.errors().size()).sum();

        Process first = startApp(config, dir.resolve("first.log"));
        Process second = null;
        AtomicInteger produced = new AtomicInteger();
        try {
            // Produce in the background in slices, so the kill lands while input is still flowing.
            CompletableFuture<List<RecordMetadata>> producing = CompletableFuture.supplyAsync(() -> {
                List<RecordMetadata> meta = new ArrayList<>();
                try (KafkaProducer<byte[], byte[]> p = ItSupport.producer(bootstrap)) {
                    for (int from = 0; from < records.size(); from += 200) {
                        int to = Math.min(records.size(), from + 200);
                        meta.addAll(ItSupport.produce(p, names.input(), null, records.subList(from, to),
                                times.subList(from, to)));
                        produced.set(to);
                    }
                }
                return meta;
            });
            ItSupport.readUntil(bootstrap, names.enriched(), read -> {
                if (producing.isCompletedExceptionally()) {
                    producing.join(); // the input stopped: fail now, with its cause, not at the deadline
                }
                return read.size() >= expectedEvents / 5;
            }, TIMEOUT, "the first instance to enrich a fifth of the input");
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, an open transaction left behind
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

            second = startApp(config, dir.resolve("second.log"));
            List<RecordMetadata> meta = producing.get(60, TimeUnit.SECONDS);
            Instant end = t0.plusMillis(records.size() * 100L);
            CatalogMarker m1 = marker(generator, end.plus(Duration.ofMinutes(5)));
            CatalogMarker m2 = marker(generator, end.plus(Duration.ofMinutes(10)));
            for (int p = 0; p < partitions; p++) {
                ItSupport.produce(bootstrap, names.input(), p, List.of(m1.record, m2.record),
                        List.of(m1.time, m2.time));
            }

            // The second marker enriched from every input partition means everything before it is visible.
            List<ConsumerRecord<byte[], byte[]>> enriched = ItSupport.readUntil(bootstrap, names.enriched(),
                    read -> read.stream().filter(r -> timeOf(r) == m2.time.toEpochMilli())
                            .map(r -> ItSupport.json(r.value()).path("source").path("partition").asInt())
                            .distinct().count() == partitions, TIMEOUT, "the trailing markers' enriched events");
            Map<String, List<String>> actualByOffset = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : enriched) {
                JsonNode e = ItSupport.json(r.value());
                if (timeOf(r) >= m1.time.toEpochMilli()) {
                    continue;
                }
                for (JsonNode err : e.path("errors")) {
                    actualByOffset.computeIfAbsent(e.path("source").path("partition").asInt() + ":"
                            + e.path("source").path("offset").asLong(), k -> new ArrayList<>())
                            .add((e.path("service").isNull() ? "null" : e.path("service").asText()) + "|"
                                    + err.path("catalog").asText() + "|" + err.path("code").asText());
                }
            }
            Map<String, List<String>> expectedByOffset = new HashMap<>();
            Map<String, Long> recount = new HashMap<>();
            for (int i = 0; i < records.size(); i++) {
                for (ExpectedError x : records.get(i).errors()) {
                    String codeKey = x.catalog() + "|" + x.code();
                    expectedByOffset.computeIfAbsent(meta.get(i).partition() + ":" + meta.get(i).offset(),
                            k -> new ArrayList<>())
                            .add(x.service() + "|" + codeKey);
                    recount.merge(FinalAggregates.key(x, times.get(i), WINDOW_MS), 1L, Long::sum);
                }
            }
            assertThat(FinalAggregates.differences(actualByOffset, expectedByOffset))
                    .as("enriched errors per input offset, exactly once").isEmpty();
            assertThat(actualByOffset.values().stream().mapToLong(List::size).sum()).isEqualTo(expectedEvents);

            // Later markers on every partition until every series-window of the input has its final aggregate:
            // a restarted aggregate task closes no window for one idle-partition timeout (wall clock), and then
            // only once every partition is past it.
            Map<String, Long> counted = FinalAggregates.await(bootstrap, names.aggregates(), recount.keySet(),
                    m1.time.minusMillis(WINDOW_MS), n -> {
                        CatalogMarker next = marker(generator, m2.time.plusSeconds(n + 1));
                        for (int p = 0; p < partitions; p++) {
                            ItSupport.produce(bootstrap, names.input(), p, List.of(next.record), List.of(next.time));
                        }
                    }, TIMEOUT);
            assertThat(FinalAggregates.differences(counted, recount)).as("final aggregates vs a recount of the input")
                    .isEmpty();
        } catch (Throwable e) {
            // The children's logs die with the temp dir: keep their last lines with the failure.
            e.addSuppressed(new AssertionError("input records produced and acknowledged: " + produced.get()
                    + " of " + records.size()));
            e.addSuppressed(new AssertionError("first instance's log, last lines:\n"
                    + ItSupport.tail(dir.resolve("first.log"), 80)));
            e.addSuppressed(new AssertionError("second instance's log, last lines:\n"
                    + ItSupport.tail(dir.resolve("second.log"), 80)));
            throw e;
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy(); // SIGTERM: let it shut down cleanly
                if (!second.waitFor(30, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
            ItSupport.deleteRecursively(dir);
        }
    }

    private static long timeOf(ConsumerRecord<byte[], byte[]> r) {
        return ItSupport.json(r.value()).path("time_ms").asLong(-1);
    }

    private record CatalogMarker(GeneratedRecord record, Instant time) {
    }

    private static CatalogMarker marker(LogGenerator generator, Instant time) {
        return new CatalogMarker(generator.error(time, generator.entry("nefia", "SSH_AUTH_FAILED"),
                SeedSystem.NEFIA.services().get(0), WireFormat.LOGFMT), time);
    }

    /** The app ({@link ChildApp}, as {@code faultline run --config FILE}) in a child JVM on the test classpath. */
    private static Process startApp(Path config, Path log) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath,
                ChildApp.class.getName(), config.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FAULTLINE_")); // only the file configures it
        return pb.start();
    }
}
