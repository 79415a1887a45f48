package dev.faultline.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.ops.Alert;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle without a broker; the running path is covered by the integration tests on the embedded broker. */
class FaultlineAppTest {

    @Test
    void shouldReportNotYetRunningAndCloseCleanlyWhenNoBrokerAnswers(@TempDir Path state) throws Exception {
        FaultlineApp app = appWithNoBroker("processing.guarantee: at_least_once\n", state);

        app.start();
        boolean running = app.awaitRunning(Duration.ofMillis(300));
        boolean clean = app.close(Duration.ofSeconds(30));

        assertThat(running).isFalse();
        assertThat(clean).isTrue();
        assertThat(app.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(app.close(Duration.ofSeconds(1))).as("idempotent").isTrue();
        app.awaitTermination(); // returns: the app is closed
        assertThat(app.failed()).isFalse();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS) // one receiver after another would take 3 × 5 s and more
    void shouldCloseWithinItsTimeoutEvenWhenEveryAlertReceiverHangs(@TempDir Path state) throws Exception {
        // Takes connections into its backlog and never answers: Alertmanagers and a webhook that hang.
        try (ServerSocket hang = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + hang.getLocalPort();
            FaultlineConfig config = FaultlineConfig.parse("""
                    kafka: {bootstrap.servers: "127.0.0.1:1"}
                    processing.guarantee: at_least_once
                    alerts: {alertmanager: {urls: ["%s/a", "%s/b"]}, webhook: {url: "%s/hook"}}
                    """.formatted(url, url, url), Map.of()).orThrow();
            Enricher enricher = Enricher.create(new CatalogLoader().loadBundled().orThrow(), config.enricherConfig());
            Properties overrides = new Properties();
            overrides.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            FaultlineApp app = FaultlineApp.builder(config, () -> enricher).overrides(overrides).alertDelivery(true)
                    .build();
            Alert alert = Alert.of(Map.of("alertname", "X", "service", "s"), Map.of(), Instant.parse(
                    "2026-11-21T10:00:00Z"), null, Alert.FIRING);
            app.alertSinks().forEach(sink -> sink.offer(alert));

            boolean clean = app.close(Duration.ofSeconds(1));

            assertThat(app.alertSinks()).hasSize(3);
            assertThat(clean).as("the receivers did not take their alerts within the second").isFalse();
        }
    }

    /** An app (not started) whose webhook sink holds one alert for a receiver that never answers. */
    /** An app whose broker never answers, with {@code yaml} added to its config. */
    private static FaultlineApp appWithNoBroker(String yaml, Path state) {
        FaultlineConfig config = FaultlineConfig.parse("kafka: {bootstrap.servers: \"127.0.0.1:1\"}\n" + yaml, Map.of())
                .orThrow();
        Enricher enricher = Enricher.create(new CatalogLoader().loadBundled().orThrow(), config.enricherConfig());
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        return FaultlineApp.create(config, () -> enricher, overrides);
    }

    private static FaultlineApp appHoldingAnAlertFor(ServerSocket hang, Path state) throws Exception {
        FaultlineConfig config = FaultlineConfig.parse("""
                kafka: {bootstrap.servers: "127.0.0.1:1"}
                processing.guarantee: at_least_once
                alerts: {webhook: {url: "http://127.0.0.1:%d/hook"}}
                """.formatted(hang.getLocalPort()), Map.of()).orThrow();
        Enricher enricher = Enricher.create(new CatalogLoader().loadBundled().orThrow(), config.enricherConfig());
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        FaultlineApp app = FaultlineApp.builder(config, () -> enricher).overrides(overrides).alertDelivery(true)
                .build();
        app.alertSinks().forEach(sink -> sink.offer(Alert.of(Map.of("alertname", "X", "service", "s"), Map.of(),
                Instant.parse("2026-11-21T10:00:00Z"), null, Alert.FIRING)));
        return app;
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldReleaseAwaitTerminationOnlyOnceACloseFromAnotherThreadHasFinished(@TempDir Path state)
            throws Exception {
        // As `run` does: a signal thread closes while main waits and then exits the JVM. Main must not go on
        // while a sink still holds an alert, and must learn that the close was not clean.
        try (ServerSocket hang = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            FaultlineApp app = appHoldingAnAlertFor(hang, state);
            Thread signal = new Thread(() -> app.close(Duration.ofSeconds(2)), "signal");

            signal.start();
            app.awaitTermination();
            Optional<Boolean> outcomeWhenReleased = app.closeOutcome();
            signal.join();

            // Released at NOT_RUNNING, inside the streams' close, main would find no outcome yet: the sink was
            // still trying its receiver.
            assertThat(outcomeWhenReleased).as("the receiver never took its alert").contains(false);
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldMakeASecondCloseWaitForTheFirstAndReturnItsOutcome(@TempDir Path state) throws Exception {
        // As after a fatal error while a signal's close runs: main's close must not return at once and exit the JVM.
        try (ServerSocket hang = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            FaultlineApp app = appHoldingAnAlertFor(hang, state);
            Thread signal = new Thread(() -> app.close(Duration.ofSeconds(2)), "signal");

            signal.start();
            // The first close has stopped the streams and now waits on the hanging receiver.
            dev.faultline.ops.Await.until("the first close under way",
                    () -> app.state() == KafkaStreams.State.NOT_RUNNING);
            boolean second = app.close(Duration.ofSeconds(10));

            assertThat(second).as("the first close's outcome: the receiver never took its alert").isFalse();
            assertThat(app.closeOutcome()).contains(false);
            signal.join();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCloseWithATimeoutBeyondWhatNanosecondsHold(@TempDir Path state) throws Exception {
        // run --close-timeout 999999999999d parses and is not negative; its nanoseconds, and its milliseconds
        // (Kafka's close), overflow a long.
        Duration forever = dev.faultline.config.Durations.parse("999999999999d");
        FaultlineApp app = appWithNoBroker("", state);

        app.start();
        boolean running = app.awaitRunning(Duration.ofMillis(300));
        boolean clean = app.close(forever);

        assertThat(running).isFalse();
        assertThat(clean).isTrue();
        assertThat(app.close(forever)).as("a second close returns the first's outcome").isTrue();
        assertThat(app.close(Duration.ofSeconds(-1))).as("a negative timeout waits for nothing").isTrue();
        app.awaitTermination();
    }

    @Test
    void shouldReplaceAFailedStreamThreadButStopWhenThreadsKeepFailing() {
        ThreadFailures failures = new ThreadFailures();
        long t = 0;
        long step = ThreadFailures.WINDOW.toNanos() / 10;
        for (int i = 0; i < ThreadFailures.MAX_FAILURES; i++) {
            assertThat(failures.onFailure(t += step)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(failures.onFailure(t += step)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

        ThreadFailures spread = new ThreadFailures();
        long apart = ThreadFailures.WINDOW.toNanos() / ThreadFailures.MAX_FAILURES;
        for (int i = 0; i < 50; i++) {
            assertThat(spread.onFailure(i * apart)).as("failure %d, one per window share", i)
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
    }

    @Test
    void shouldAdvertiseTheOpsBindAddressOrThisHostsNameWhenBindingEveryInterface() {
        assertThat(FaultlineApp.advertisedDefault("127.0.0.1", 9400)).isEqualTo("127.0.0.1:9400");
        assertThat(FaultlineApp.advertisedDefault("0.0.0.0", 9400)).endsWith(":9400").doesNotStartWith("0.0.0.0");
    }

    @Test
    void shouldGiveTheForwarderConsumerSettingsAndNoSettingsMeantForOtherClients() {
        Map<String, String> kafka = Map.of("bootstrap.servers", "b:9092", "security.protocol", "SSL",
                "consumer.max.poll.records", "7", "producer.linger.ms", "5", "admin.retries", "3",
                "main.consumer.fetch.min.bytes", "2");

        Map<String, String> out = FaultlineApp.forwarderClientProperties(kafka);

        assertThat(out).containsExactlyInAnyOrderEntriesOf(Map.of("bootstrap.servers", "b:9092",
                "security.protocol", "SSL", "max.poll.records", "7"));
    }
}
