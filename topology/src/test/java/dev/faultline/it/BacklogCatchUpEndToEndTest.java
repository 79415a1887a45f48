package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.generator.ExpectedError;
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.generator.SeedSystem;
import dev.faultline.generator.WireFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backlog read after downtime, on two input partitions that cover the same event time at different densities:
 * each partition's task advances through event time at its own pace, so one runs far ahead of the other. The
 * final aggregates must still count every event, as a recount of the input does: the windows close on the
 * slowest partition's event time, not on whichever task got furthest.
 */
class BacklogCatchUpEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final long WINDOW_MS = 10_000;
    @RegisterExtension
    static final BrokerExtension BROKER = new BrokerExtension();

    @Test
    void shouldCountEveryBacklogEventWhenOnePartitionRunsAheadInEventTime() throws Exception {
        String bootstrap = BROKER.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("backlog"));
        EnrichScenario.createTopics(bootstrap, names, 2);
        Path dir = ItSupport.tempDir("faultline-it-backlog-");
        // Grace 0: a window closes the moment event time passes its end, so any task running ahead would close
        // windows the other task still has events for.
        var config = ItSupport.config(ItSupport.configYaml(bootstrap, names, dir.resolve("state"), "exactly_once_v2",
                """
                windows:
                  sizes: [10s]
                  grace: 0s
                event-time:
                  idle-partition-timeout: 5s
                """));

        // The same 400 s of event time: partition 0 holds 3,000 records, partition 1 holds 1,000. Read at equal
        // record rates, partition 1's task is three times further along in event time.
        Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        LogGenerator generator = new LogGenerator(EnrichScenario.CATALOGS, 53,
                GeneratorProfile.defaults().withTopic(names.input()).withSpike(null));
        Map<String, Long> recount = new HashMap<>();
        int[] perPartition = {3_000, 1_000};
        for (int partition = 0; partition < 2; partition++) {
            List<GeneratedRecord> records = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            long step = 400_000L / perPartition[partition];
            for (int i = 0; i < perPartition[partition]; i++) {
                Instant t = t0.plusMillis(i * step);
                GeneratedRecord r = generator.next(t);
                records.add(r);
                times.add(t);
                for (ExpectedError x : r.errors()) {
                    recount.merge(FinalAggregates.key(x, t, WINDOW_MS), 1L, Long::sum);
                }
            }
            ItSupport.produce(bootstrap, names.input(), partition, records, times);
        }
        assertThat(recount).as("the backlog has errors to count").isNotEmpty();

        Instant end = t0.plus(Duration.ofSeconds(400));
        Instant markerTime = end.plus(Duration.ofMinutes(5));
        try (InProcessApp app = InProcessApp.start(config, EnrichScenario.CATALOGS)) {
            // Markers on both partitions, later and later, until every backlog window has closed: that needs
            // both partitions past it.
            Map<String, Long> counted = FinalAggregates.await(bootstrap, names.aggregates(), recount.keySet(),
                    markerTime.minusMillis(WINDOW_MS), n -> {
                        Instant t = markerTime.plusSeconds(15L * n);
                        for (int partition = 0; partition < 2; partition++) {
                            ItSupport.produce(bootstrap, names.input(), partition, List.of(marker(generator, t)),
                                    List.of(t));
                        }
                    }, TIMEOUT);
            // Every backlog error enriched, counted by its own event time: tells a matcher or parse loss apart
            // from an aggregation loss.
            Map<String, Long> enrichedCount = new HashMap<>();
            long backlogErrors = recount.values().stream().mapToLong(Long::longValue).sum();
            for (ConsumerRecord<byte[], byte[]> r : ItSupport.readUntilOrDeadline(bootstrap, names.enriched(),
                    read -> read.stream().mapToLong(r -> backlogErrors(r, markerTime)).sum() >= backlogErrors,
                    TIMEOUT)) {
                JsonNode e = ItSupport.json(r.value());
                Instant t = Instant.ofEpochMilli(e.path("time_ms").asLong());
                if (!t.isBefore(markerTime)) {
                    continue;
                }
                for (JsonNode err : e.path("errors")) {
                    long window = Math.floorDiv(t.toEpochMilli(), WINDOW_MS) * WINDOW_MS;
                    String service = e.path("service").isNull() ? "unknown" : e.path("service").asText();
                    enrichedCount.merge(service + "|" + err.path("catalog").asText() + "|" + err.path("code").asText()
                            + "|" + Instant.ofEpochMilli(window), 1L, Long::sum);
                }
            }
            assertThat(FinalAggregates.differences(enrichedCount, recount)).as("enriched errors vs the backlog")
                    .isEmpty();
            assertThat(FinalAggregates.differences(counted, recount)).as("final aggregates vs a recount of the backlog")
                    .isEmpty();
            assertThat(app.state()).isEqualTo("RUNNING");
        } finally {
            ItSupport.deleteRecursively(dir);
        }
    }

    private static long backlogErrors(ConsumerRecord<byte[], byte[]> r, Instant markerTime) {
        JsonNode e = ItSupport.json(r.value());
        return e.path("time_ms").asLong() < markerTime.toEpochMilli() ? e.path("errors").size() : 0;
    }

    private static GeneratedRecord marker(LogGenerator generator, Instant time) {
        return generator.error(time, generator.entry("nefia", "SSH_AUTH_FAILED"), SeedSystem.NEFIA.services().get(0),
                WireFormat.LOGFMT);
    }
}
