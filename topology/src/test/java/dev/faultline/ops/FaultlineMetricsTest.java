package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.event.LogFormat;
import dev.faultline.catalog.event.UnreadableReason;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.MatchResult;
import dev.faultline.catalog.match.MatchStage;
import dev.faultline.catalog.match.UnknownCode;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.ErrorClass;
import dev.faultline.catalog.model.Transience;
import dev.faultline.catalog.model.TransienceBasis;
import dev.faultline.catalog.model.TransienceSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.io.TempDir;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultlineMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FaultlineMetrics metrics = new FaultlineMetrics(registry);

    static CatalogEntry entry(String catalog, String code, ErrorClass cls) {
        return new CatalogEntry(catalog, code, "title of " + code, null, null, null, cls, null, null, List.of(), null,
                null, Transience.TRANSIENT, new TransienceBasis(TransienceSource.STATED, "test", null), null, null, List.of(), null, null, null,
                List.of());
    }

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void countsEventsPerFormatAndPreRegistersEveryFormatAtZero() {
        metrics.recordEvent(LogFormat.JSON);
        metrics.recordEvent(LogFormat.JSON);
        metrics.recordEvent(LogFormat.OTLP);
        assertThat(count("faultline.events.read", "format", "json")).isEqualTo(2);
        assertThat(count("faultline.events.read", "format", "otlp")).isEqualTo(1);
        assertThat(count("faultline.events.read", "format", "text")).isZero();
    }

    @Test
    void countsMatchesByStageCatalogAndClass() {
        ErrorMatch m = new ErrorMatch(entry("nefia", "SSH_AUTH_FAILED", ErrorClass.AUTHENTICATION), List.of(),
                "E2001", MatchStage.TYPED, "err_code");
        metrics.recordMatch(m);
        metrics.recordMatch(m);
        assertThat(count("faultline.matches", "stage", "typed", "catalog", "nefia", "class", "authentication"))
                .isEqualTo(2);
        assertThat(count("faultline.matches.ambiguous", "stage", "typed")).isZero();
    }

    @Test
    void ambiguousMatchesCountUnderCatalogAmbiguousWithTheCommonClassOrAmbiguous() {
        ErrorMatch agree = new ErrorMatch(null, List.of(entry("nefia", "X", ErrorClass.TIMEOUT),
                entry("vault-rpc", "X", ErrorClass.TIMEOUT)), "-32001", MatchStage.FALLBACK, "message");
        ErrorMatch disagree = new ErrorMatch(null, List.of(entry("nefia", "Y", ErrorClass.TIMEOUT),
                entry("vault-rpc", "Y", ErrorClass.INTERNAL)), "-32002", MatchStage.FALLBACK, "message");
        metrics.recordMatch(agree);
        metrics.recordMatch(disagree);
        assertThat(count("faultline.matches", "stage", "fallback", "catalog", "ambiguous", "class", "timeout"))
                .isEqualTo(1);
        assertThat(count("faultline.matches", "stage", "fallback", "catalog", "ambiguous", "class", "ambiguous"))
                .isEqualTo(1);
        assertThat(count("faultline.matches.ambiguous", "stage", "fallback")).isEqualTo(2);
    }

    @Test
    void catalogTagValuesAreCappedSoSeriesStayBounded() {
        for (int i = 0; i < FaultlineMetrics.MAX_CATALOG_TAGS + 50; i++) {
            metrics.recordMatch(new ErrorMatch(entry("cat-" + i, "C", ErrorClass.QUOTA), List.of(), "C",
                    MatchStage.TYPED, "code"));
        }
        Set<String> catalogs = registry.find("faultline.matches").counters().stream()
                .map(c -> c.getId().getTag("catalog")).collect(Collectors.toSet());
        assertThat(catalogs).hasSizeLessThanOrEqualTo(FaultlineMetrics.MAX_CATALOG_TAGS + 1).contains("other");
        double total = registry.find("faultline.matches").counters().stream().mapToDouble(c -> c.count()).sum();
        assertThat(total).isEqualTo(FaultlineMetrics.MAX_CATALOG_TAGS + 50);
    }

    @Test
    void unknownCodesDeadLettersAlertsAndReloadsUseBoundedTagValues() {
        metrics.recordResult(new MatchResult(List.of(), List.of(new UnknownCode("err.code", "ECONNRESET"),
                new UnknownCode("code", "X"))));
        metrics.recordUnknown();
        metrics.recordDeadLetter(UnreadableReason.TOO_DEEP);
        metrics.recordDeadLetter("malformed-json");
        metrics.recordDeadLetter("something\nthe log made up");
        metrics.recordAlert("firing");
        metrics.recordAlert("RESOLVED");
        metrics.recordAlert("reminder");
        metrics.recordAlert("bogus");
        metrics.recordCatalogReload(true);
        metrics.recordCatalogReload(false);
        metrics.recordCatalogReload(false);

        assertThat(count("faultline.unknown.codes")).isEqualTo(3);
        assertThat(count("faultline.dead.letters", "reason", "too-deep")).isEqualTo(1);
        assertThat(count("faultline.dead.letters", "reason", "malformed-json")).isEqualTo(1);
        assertThat(count("faultline.dead.letters", "reason", "other")).isEqualTo(1);
        assertThat(count("faultline.alerts", "state", "firing")).isEqualTo(1);
        assertThat(count("faultline.alerts", "state", "resolved")).isEqualTo(1);
        assertThat(count("faultline.alerts", "state", "reminder")).isEqualTo(1);
        assertThat(count("faultline.alerts", "state", "other")).isEqualTo(1);
        assertThat(count("faultline.catalog.reloads", "result", "ok")).isEqualTo(1);
        assertThat(count("faultline.catalog.reloads", "result", "failed")).isEqualTo(2);
    }

    @Test
    void timesMatchesIntoABoundedHistogram() {
        String result = metrics.timeMatch(() -> "matched");
        metrics.recordMatchLatency(1_000_000);
        assertThat(result).isEqualTo("matched");
        var timer = registry.find("faultline.match.latency").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.takeSnapshot().histogramCounts()).hasSizeBetween(5, 20);
    }

    @Test
    void everyFaultlineMeterIsLowerDottedAndDescribed() {
        metrics.recordMatch(new ErrorMatch(entry("nefia", "C", ErrorClass.QUOTA), List.of(), "C", MatchStage.TYPED,
                "code"));
        for (Meter m : registry.getMeters()) {
            if (m.getId().getName().endsWith(".histogram")) {
                continue; // the simple registry's own view of the latency buckets
            }
            assertThat(m.getId().getName()).matches("faultline(\\.[a-z]+)+");
            assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
        }
    }

    @Test
    void bindsTheKafkaStreamsClientMetricsAndUnbindsThemOnRequest(@TempDir Path stateDir) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "faultline-metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"); // never started: no connection
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        try {
            AutoCloseable binding = metrics.bindKafkaStreams(streams);
            assertThat(registry.getMeters()).anySatisfy(m -> assertThat(m.getId().getName()).startsWith("kafka."));
            binding.close();
        } finally {
            streams.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void prometheusScrapeUsesUnderscoredNamesWithTotalSuffix() throws Exception {
        try (FaultlineMetrics prom = FaultlineMetrics.createPrometheus(java.util.Map.of("application", "faultline"))) {
            prom.recordEvent(LogFormat.TEXT);
            prom.recordMatchLatency(20_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            prom.scrape(out);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("faultline_events_read_total{application=\"faultline\",format=\"text\"} 1.0")
                    .contains("faultline_match_latency_seconds_bucket{application=\"faultline\",le=\"2.5E-5\"} 1")
                    .contains("jvm_threads_live_threads");
        }
    }
}
