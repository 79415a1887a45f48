package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A firing alert restored from the store after a restart still resolves when no input arrives afterwards. The
 * processor runs on {@link MockProcessorContext}s: the test driver cleans its state away on close, so it cannot
 * show a restart; here the second processor instance gets the first one's store, as a restore would.
 */
class AlertRestartSilenceTest {
    private static final FaultlineConfig CONFIG = FaultlineConfig.parse("", Map.of()).orThrow();
    private static final Duration IDLE = CONFIG.idlePartitionTimeout();

    @Test
    void shouldResolveAFiringAlertRestoredFromTheStoreWhenTheInputStaysSilentAfterARestart() {
        KeyValueStore<String, AlertState> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(FaultlineTopology.ALERT_STORE), FaultlineSerdes.STRING,
                FaultlineSerdes.ALERT_STATE).withLoggingDisabled().build();

        MockProcessorContext<String, byte[]> before = context(store, T0.toEpochMilli());
        store.init(before.getStateStoreContext(), store);
        AlertProcessor first = processor();
        first.init(before);
        for (int i = 0; i < 20; i++) {
            long t = T0.plusSeconds(2L * i).toEpochMilli();
            first.process(new Record<>(Occurrence.TICK, Occurrence.tick(t, "0_0"), t));
            Occurrence o = Occurrence.of(Occurrence.CODE, "nefia-agent", "nefia", "VPN_NOT_READY", "unavailable",
                    "transient", "h1", "vpn down", t);
            first.process(new Record<>(AlertJson.fingerprint(o), o, t));
        }
        assertThat(statuses(before)).containsExactly("firing");

        // Restart: a new instance over the restored store, and no input at all from then on.
        long restart = T0.plus(Duration.ofHours(1)).toEpochMilli();
        MockProcessorContext<String, byte[]> after = context(store, restart);
        AlertProcessor second = processor();
        second.init(after);
        // Newest time the store saw: 10:00:38. Normal window 10:01, 2m hold-down: resolved at 10:03, 142 s on.
        assertThat(wallClock(after, restart, IDLE.plusSeconds(100))).as("inside the hold-down").isEmpty();
        assertThat(wallClock(after, restart, Duration.ofSeconds(145))).containsExactly("resolved");
    }

    private static AlertProcessor processor() {
        Enricher enricher = Enricher.create(TopologyFixture.CATALOGS, CONFIG.enricherConfig());
        return new AlertProcessor(FaultlineTopology.ALERT_STORE, AlertPolicy.from(CONFIG), () -> enricher, IDLE,
                null);
    }

    private static MockProcessorContext<String, byte[]> context(KeyValueStore<String, AlertState> store, long now) {
        MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(now);
        context.addStateStore(store);
        return context;
    }

    /**
     * Moves the wall clock from {@code start} to {@code start + elapsed} a second at a time, firing the processor's
     * wall-clock punctuator at each second as a running app would, and reads the statuses emitted.
     */
    private static List<String> wallClock(MockProcessorContext<String, byte[]> context, long start, Duration elapsed) {
        long from = context.currentSystemTimeMs();
        for (long now = from + 1000; now <= start + elapsed.toMillis(); now += 1000) {
            long at = now;
            context.setCurrentSystemTimeMs(at);
            context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(at));
        }
        return statuses(context);
    }

    private static List<String> statuses(MockProcessorContext<String, byte[]> context) {
        List<String> out = context.forwarded().stream()
                .map(f -> TopologyFixture.json(new String((byte[]) f.record().value(), StandardCharsets.UTF_8))
                        .get("status").asText())
                .toList();
        context.resetForwards();
        return out;
    }
}
