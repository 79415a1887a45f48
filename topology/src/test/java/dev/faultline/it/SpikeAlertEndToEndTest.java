package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A burst of one transient code fires an alert, and the alert resolves after the hold-down once
 * traffic is normal again. Time is simulated: every record carries its own event and record time,
 * so minutes of traffic are produced in a moment and the test never waits on the wall clock.
 */
class SpikeAlertEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String SERVICE = "foundry-mcp";
    private static final String CODE = "RATE_LIMIT_EXCEEDED";
    @RegisterExtension
    static final BrokerExtension BROKER = new BrokerExtension();

    @Test
    void aSpikeOfATransientCodeFiresAnAlertThatResolvesAfterTheHoldDownWhileTrafficIsNormal() throws Exception {
        // 60 s normal, 20 s spike, 90 s normal again. Nothing resolves for one idle timeout after the alert task
        // starts; 5 s keeps the test short.
        Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
        List<ConsumerRecord<byte[], byte[]>> alerts = alertsUntilResolved("spike", "5s", t0, 31,
                Duration.ofSeconds(170), TIMEOUT, "a firing and then a resolved alert for " + SERVICE + " " + CODE);

        JsonNode firing = ItSupport.json(firingFor(alerts).orElseThrow().value());
        JsonNode resolved = ItSupport.json(resolvedAfterFiring(alerts).orElseThrow().value());
        assertThat(firing.path("labels").path("service").asText()).isEqualTo(SERVICE);
        assertThat(firing.path("labels").path("code").asText()).isEqualTo(CODE);
        assertThat(firing.path("count").asLong()).isGreaterThanOrEqualTo(10);
        assertThat(resolved.path("fingerprint").asText()).isEqualTo(firing.path("fingerprint").asText());
        Instant firedAt = Instant.parse(firing.path("startsAt").asText());
        Instant endsAt = Instant.parse(resolved.path("endsAt").asText());
        // It fired inside the spike and ended after it, in simulated time.
        assertThat(firedAt).isBetween(t0.plusSeconds(50), t0.plusSeconds(90));
        assertThat(endsAt).isAfter(t0.plusSeconds(70));
    }

    @Test
    void aSpikeFollowedBySilenceStillResolvesAfterTheHoldDown() throws Exception {
        // 60 s normal, then the 20 s spike, and then nothing at all: no normal traffic to move event time on.
        // About 8 s to count as silent and 20 s of hold-down after the spike's last window, on the wall clock.
        Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
        List<ConsumerRecord<byte[], byte[]>> alerts = alertsUntilResolved("silence", "8s", t0, 37,
                Duration.ofSeconds(80), Duration.ofSeconds(120),
                "a firing and then a resolved alert for " + SERVICE + " " + CODE + " with no input after the spike");

        JsonNode resolved = ItSupport.json(resolvedAfterFiring(alerts).orElseThrow().value());
        assertThat(Instant.parse(resolved.path("endsAt").asText())).as("the spike's end: the first normal window")
                .isEqualTo(t0.plusSeconds(80));
    }

    /**
     * Runs the app on one input partition (one stream time for every task, so windows close exactly when the data
     * says) over the generated workload from {@code t0}, and reads the alerts until one fired and then resolved.
     * The app must still be running then.
     */
    private static List<ConsumerRecord<byte[], byte[]>> alertsUntilResolved(String prefix, String idleTimeout,
            Instant t0, long seed, Duration length, Duration timeout, String what) throws Exception {
        String bootstrap = BROKER.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix(prefix));
        EnrichScenario.createTopics(bootstrap, names, 1);
        Path state = ItSupport.tempDir("faultline-it-state-");
        Workload w = workload(names, t0, seed, length);
        try (InProcessApp app = InProcessApp.start(ItSupport.config(ItSupport.configYaml(bootstrap, names, state,
                "exactly_once_v2", alerting(idleTimeout))), EnrichScenario.CATALOGS)) {
            ItSupport.produce(bootstrap, names.input(), w.records(), w.times());
            List<ConsumerRecord<byte[], byte[]>> alerts = ItSupport.readUntil(bootstrap, names.alerts(),
                    read -> resolvedAfterFiring(read).isPresent(), timeout, what);
            assertThat(app.state()).isEqualTo("RUNNING");
            return alerts;
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }

    /** 10 s windows and alert windows, at least 10 to fire, 20 s hold-down; the given idle-partition timeout. */
    private static String alerting(String idleTimeout) {
        return """
                windows:
                  sizes: [10s]
                  grace: 0s
                alerts:
                  window: 10s
                  min-count: 10
                  resolve-hold-down: 20s
                  repeat-interval: 1h
                event-time:
                  idle-partition-timeout: %s
                """.formatted(idleTimeout);
    }

    private record Workload(List<GeneratedRecord> records, List<Instant> times) {
    }

    /**
     * {@code length} of simulated traffic from {@code t0}: 10 records per second, and from 60 s to 80 s the spike,
     * +20/s of {@link #CODE}. Each record carries its own event and record time.
     */
    private static Workload workload(ItSupport.Names names, Instant t0, long seed, Duration length) {
        GeneratorProfile.Spike spike = new GeneratorProfile.Spike(Duration.ofSeconds(60), Duration.ofSeconds(20), 20,
                "foundry-mcp", CODE, SERVICE);
        LogGenerator generator = new LogGenerator(EnrichScenario.CATALOGS, seed,
                GeneratorProfile.defaults().withTopic(names.input()).withSpike(spike));
        List<GeneratedRecord> records = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int ms = 0; ms < length.toMillis(); ms += 100) {
            Instant t = t0.plusMillis(ms);
            records.add(generator.next(t));
            times.add(t);
            if (spike.active(Duration.ofMillis(ms))) {
                records.add(generator.spike(t));
                times.add(t);
                records.add(generator.spike(t.plusMillis(50)));
                times.add(t.plusMillis(50));
            }
        }
        return new Workload(records, times);
    }

    private static boolean isCodeAlert(ConsumerRecord<byte[], byte[]> r, String status) {
        JsonNode a = ItSupport.json(r.value());
        return status.equals(a.path("status").asText()) && SERVICE.equals(a.path("labels").path("service").asText())
                && CODE.equals(a.path("labels").path("code").asText());
    }

    private static Optional<ConsumerRecord<byte[], byte[]>> firingFor(List<ConsumerRecord<byte[], byte[]>> read) {
        return read.stream().filter(r -> isCodeAlert(r, "firing")).findFirst();
    }

    private static Optional<ConsumerRecord<byte[], byte[]>> resolvedAfterFiring(
            List<ConsumerRecord<byte[], byte[]>> read) {
        int first = -1;
        for (int i = 0; i < read.size(); i++) {
            if (first < 0 && isCodeAlert(read.get(i), "firing")) {
                first = i;
            } else if (first >= 0 && isCodeAlert(read.get(i), "resolved")) {
                return Optional.of(read.get(i));
            }
        }
        return Optional.empty();
    }
}
