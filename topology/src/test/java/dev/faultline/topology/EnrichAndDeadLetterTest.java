package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.catalog.enrich.Enricher;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class EnrichAndDeadLetterTest {

    @Test
    void shouldWriteEnrichedEventKeyedByServiceWhenTheLogCarriesAKnownCode() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.log(T0.plusSeconds(1), "nefia-agent", "h1", "VPN_NOT_READY", "vpn down");

            TestRecord<String, String> out = f.enriched.readRecord();
            JsonNode v = TopologyFixture.json(out.value());
            assertThat(out.key()).isEqualTo("nefia-agent");
            assertThat(v.get("schema").asText()).isEqualTo("faultline.enriched/v1");
            assertThat(v.at("/errors/0/code").asText()).isEqualTo("VPN_NOT_READY");
            assertThat(v.at("/errors/0/catalog").asText()).isEqualTo("nefia");
            assertThat(v.at("/errors/0/transience").asText()).isEqualTo("transient");
            assertThat(v.at("/source/topic").asText()).isEqualTo("logs");
            // The record carries the log's own time, not the time it reached Kafka.
            assertThat(out.timestamp()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
            assertThat(f.enriched.isEmpty()).isTrue();
            assertThat(f.dlq.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldKeyByTopicBindingOrUnknownWhenTheLogNamesNoService() {
        try (TopologyFixture f = new TopologyFixture("topics: {services: [{topic: 'lo*', service: from-topic}]}");
             TopologyFixture unbound = new TopologyFixture("")) {
            f.log(T0, null, "h1", "VPN_NOT_READY", "vpn down");
            unbound.log(T0, null, "h1", "VPN_NOT_READY", "vpn down");

            assertThat(f.enriched.readRecord().key()).isEqualTo("from-topic");
            assertThat(unbound.enriched.readRecord().key()).isEqualTo("unknown");
        }
    }

    @Test
    void shouldSkipEventsWithoutFindingsUnlessConfigured() {
        try (TopologyFixture quiet = new TopologyFixture("");
             TopologyFixture all = new TopologyFixture("emit.events-without-errors: true")) {
            quiet.log(T0, "nefia-agent", "h1", null, "all good");
            all.log(T0, "nefia-agent", "h1", null, "all good");

            assertThat(quiet.enriched.isEmpty()).isTrue();
            assertThat(TopologyFixture.json(all.enriched.readValue()).get("errors")).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterInvalidUtf8WithOriginalBytesAndHeaders() {
        byte[] key = {1, 2, 3};
        byte[] value = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        Headers in = new RecordHeaders().add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        try (TopologyFixture f = new TopologyFixture("")) {
            f.logs.pipeInput(new TestRecord<>(key, value, in, T0));

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(dead.key()).isEqualTo(key);
            assertThat(dead.value()).isEqualTo(value);
            assertThat(header(dead, "trace-id")).isEqualTo("abc");
            assertThat(header(dead, DlqHeaders.REASON)).isEqualTo("invalid-utf8");
            assertThat(header(dead, DlqHeaders.DETAIL)).isNotBlank();
            assertThat(header(dead, DlqHeaders.SOURCE_TOPIC)).isEqualTo("logs");
            assertThat(header(dead, DlqHeaders.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(dead, DlqHeaders.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(dead.headers().lastHeader(DlqHeaders.EXCEPTION)).isNull();
            assertThat(f.enriched.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldDeadLetterTruncatedJson() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.logAt(T0, "{\"timestamp\":\"2026-11-21T10:00:01Z\",\"service\":\"nefia-agent\",\"error_code\":\"VPN_NO");

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(header(dead, DlqHeaders.REASON)).isEqualTo("malformed-json");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).endsWith("VPN_NO");
        }
    }

    @Test
    void shouldDeadLetterJsonNestedDeeperThanTheLimit() {
        try (TopologyFixture f = new TopologyFixture("limits: {max-depth: 8}")) {
            f.logAt(T0, "{\"a\":".repeat(20) + "1" + "}".repeat(20));

            assertThat(header(f.dlq.readRecord(), DlqHeaders.REASON)).isEqualTo("too-deep");
        }
    }

    @Test
    void shouldDeadLetterWithProcessingErrorAndKeepGoingWhenEnrichmentThrows() {
        Enricher real = Enricher.create(TopologyFixture.CATALOGS, dev.faultline.config.FaultlineConfig.defaults()
                .enricherConfig());
        int[] calls = {0};
        try (TopologyFixture f = new TopologyFixture("", () -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("boom");
            }
            return real;
        })) {
            f.log(T0, "nefia-agent", "h1", "VPN_NOT_READY", "first");
            f.log(T0.plusSeconds(1), "nefia-agent", "h1", "VPN_NOT_READY", "second");

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(header(dead, DlqHeaders.REASON)).isEqualTo("processing-error");
            assertThat(header(dead, DlqHeaders.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
            assertThat(header(dead, DlqHeaders.DETAIL)).isEqualTo("boom");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains("first");
            assertThat(TopologyFixture.json(f.enriched.readValue()).get("message").asText()).isEqualTo("second");
        }
    }

    @Test
    void shouldDeadLetterATombstoneInsteadOfDroppingItUnseen() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.logs.pipeInput(new TestRecord<>(new byte[] {7}, null, new RecordHeaders(), T0));

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(dead.key()).isEqualTo(new byte[] {7});
            assertThat(dead.value()).isNull();
            assertThat(header(dead, DlqHeaders.REASON)).isEqualTo("null-value");
            assertThat(header(dead, DlqHeaders.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(f.enriched.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldCutADeadLetterToWhatTheProducerCanSendAndSaySo() {
        // max.request.size 40,000: a dead letter may carry 40,000 - 16 KiB bytes of the record.
        int budget = 40_000 - DeadLetters.HEADROOM_BYTES;
        byte[] key = new byte[budget];
        byte[] value = new byte[100_000];
        java.util.Arrays.fill(value, (byte) 'x');
        Headers in = new RecordHeaders().add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        try (TopologyFixture f = new TopologyFixture("""
                kafka: {bootstrap.servers: "localhost:9092", max.request.size: 40000}
                limits: {max-record-bytes: 1024}
                """)) {
            f.logs.pipeInput(new TestRecord<>(key, value, in, T0));

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(header(dead, DlqHeaders.REASON)).isEqualTo("too-large");
            assertThat(header(dead, DlqHeaders.TRUNCATED)).isEqualTo(budget + ",100000,11");
            assertThat(header(dead, "trace-id")).as("original headers dropped").isNull();
            assertThat(header(dead, DlqHeaders.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(dead.key()).hasSize(budget / 4);
            assertThat(dead.value()).hasSize(budget - budget / 4).containsOnly('x');
        }
        try (TopologyFixture f = new TopologyFixture("limits: {max-record-bytes: 1024}")) {
            f.logs.pipeInput(new TestRecord<>(key, value, in, T0));

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(header(dead, DlqHeaders.TRUNCATED)).as("fits the default 1 MiB").isNull();
            assertThat(dead.value()).isEqualTo(value);
            assertThat(header(dead, "trace-id")).isEqualTo("abc");
        }
    }

    @Test
    void shouldCountHeaderFramingWhenJudgingWhetherADeadLetterFits() {
        // 8,100 empty headers are 0 bytes of keys and values, but ~16 KB on the wire: together with a value just
        // under the budget the record would not fit.
        int budget = 40_000 - DeadLetters.HEADROOM_BYTES;
        Headers in = new RecordHeaders();
        for (int i = 0; i < 8_100; i++) {
            in.add("", new byte[0]);
        }
        try (TopologyFixture f = new TopologyFixture("""
                kafka: {bootstrap.servers: "localhost:9092", max.request.size: 40000}
                limits: {max-record-bytes: 1024}
                """)) {
            f.logs.pipeInput(new TestRecord<>(null, new byte[budget - 1_000], in, T0));

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(header(dead, DlqHeaders.TRUNCATED)).isEqualTo("0," + (budget - 1_000) + ",0");
            assertThat(dead.headers().toArray()).hasSizeLessThan(10);
        }
    }

    @Test
    void shouldKeyAnEventWhoseServiceIsHugeByItsBoundedLabel() {
        String service = "s".repeat(200_000);
        try (TopologyFixture f = new TopologyFixture("")) {
            f.log(T0, service, "h1", "VPN_NOT_READY", "vpn down");

            TestRecord<String, String> out = f.enriched.readRecord();
            assertThat(out.key()).hasSizeLessThanOrEqualTo(dev.faultline.catalog.event.LogEvent.MAX_LABEL_CHARS)
                    .startsWith("sss");
            assertThat(TopologyFixture.json(out.value()).get("service").asText()).isEqualTo(out.key());
        }
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldGiveAReplayedDeadLetterThatFailsAgainOnlyItsNewFailuresHeaders() {
        // A dead letter replayed into the input after a fix, failing again for another reason.
        RecordHeaders in = new RecordHeaders();
        in.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        in.add(DlqHeaders.REASON, "processing-error".getBytes(StandardCharsets.UTF_8));
        in.add(DlqHeaders.EXCEPTION, "java.lang.IllegalStateException".getBytes(StandardCharsets.UTF_8));
        in.add(DlqHeaders.TRUNCATED, "0,2000000,0".getBytes(StandardCharsets.UTF_8));
        in.add(DlqHeaders.SOURCE_OFFSET, "7".getBytes(StandardCharsets.UTF_8));
        try (TopologyFixture f = new TopologyFixture("")) {
            f.logs.pipeInput(new TestRecord<>(null,
                    "{\"a\":".getBytes(StandardCharsets.UTF_8), in, T0));
            Headers h = f.dlq.readRecord().headers();
            assertThat(h.headers(DlqHeaders.REASON)).singleElement()
                    .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                            .isEqualTo("malformed-json"));
            assertThat(h.lastHeader(DlqHeaders.EXCEPTION)).as("nothing was thrown this time").isNull();
            assertThat(h.lastHeader(DlqHeaders.TRUNCATED)).as("the whole value is carried").isNull();
            assertThat(h.headers(DlqHeaders.SOURCE_OFFSET)).hasSize(1);
            assertThat(h.lastHeader("trace").value()).isEqualTo("t-1".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldDeadLetterARecordWhoseEnrichedEventTheProducerWouldRefuseAndGoOn() {
        // Control chars are written as six-byte escapes: a 200,000-char line is an event of over 1.2 MB, past the
        // producer's max.request.size (1 MiB). A record the producer refuses fails the task on every retry.
        try (TopologyFixture f = new TopologyFixture("limits: {max-message-chars: 300000}")) {
            f.logs.pipeInput(null, ("ERROR nefia-agent E2001 ssh failed " + "\u001b".repeat(200_000))
                    .getBytes(StandardCharsets.UTF_8), T0);
            f.log(T0.plusSeconds(1), "nefia-agent", "h1", "E2001", "the next one");

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(new String(dead.headers().lastHeader(DlqHeaders.REASON).value(), StandardCharsets.UTF_8))
                    .isEqualTo("too-large");
            assertThat(new String(dead.headers().lastHeader(DlqHeaders.DETAIL).value(), StandardCharsets.UTF_8))
                    .contains("max.request.size");
            assertThat(dead.value()).hasSize(200_035);
            assertThat(f.enriched.readRecordsToList()).singleElement()
                    .satisfies(r -> assertThat(r.value()).contains("the next one"));
        }
    }

    @Test
    void shouldDeadLetterAnOtlpBatchWhoseEnrichedEventsWouldOutgrowTheBoundPerRecord() {
        // Under 1 MiB and 10,000 log records, each naming 16 codes: over 100 MB of enriched events from one record,
        // all built before the first is forwarded.
        StringBuilder codes = new StringBuilder();
        TopologyFixture.CATALOGS.catalog("nefia").orElseThrow().entries().values().stream()
                .filter(e -> e.eCode() != null).map(e -> e.eCode()).distinct().limit(16)
                .forEach(c -> codes.append(c).append(' '));
        String rec = "{\"body\":{\"stringValue\":\"" + codes.toString().strip() + "\"}}";
        StringBuilder batch = new StringBuilder("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":"
                + "\"service.name\",\"value\":{\"stringValue\":\"nefia-agent\"}}]},\"scopeLogs\":[{\"logRecords\":[");
        for (int n = 0; batch.length() + rec.length() < 1_000_000 && n < 10_000; n++) {
            batch.append(n > 0 ? "," : "").append(rec);
        }
        byte[] in = batch.append("]}]}]}").toString().getBytes(StandardCharsets.UTF_8);
        try (TopologyFixture f = new TopologyFixture("")) {
            String appId = f.config.streamsProperties().getProperty("application.id");
            var signals = f.driver.createOutputTopic(
                    appId + "-" + FaultlineTopology.ALERT_REPARTITION + "-repartition",
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            f.logs.pipeInput(null, in, T0);
            f.log(T0.plusMillis(200), "nefia-agent", "h1", "E2001", "the next one");

            TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
            assertThat(new String(dead.headers().lastHeader(DlqHeaders.REASON).value(), StandardCharsets.UTF_8))
                    .isEqualTo("too-large");
            assertThat(dead.value()).isEqualTo(in);
            assertThat(f.enriched.readRecordsToList()).singleElement()
                    .satisfies(r -> assertThat(r.value()).contains("the next one"));
            // the batch's first event built this task's first tick, which was never sent: the next record sends it
            assertThat(signals.readRecordsToList()).extracting(r -> r.key()).contains(Occurrence.TICK);
        }
        // one of those log records alone is enriched as usual
        try (TopologyFixture f = new TopologyFixture("")) {
            f.logs.pipeInput(null, ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[" + rec + "]}]}]}")
                    .getBytes(StandardCharsets.UTF_8), T0);
            assertThat(f.dlq.isEmpty()).isTrue();
            assertThat(f.enriched.readRecordsToList()).hasSize(1);
        }
    }
}
