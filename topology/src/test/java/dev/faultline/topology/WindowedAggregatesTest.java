package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Defaults: 1m tumbling windows, 30s grace, emitted once when the window closes. */
class WindowedAggregatesTest {
    private static final String SVC = "nefia-agent";

    @Test
    void shouldEmitOneFinalAggregatePerSeriesOnlyAfterTheWindowCloses() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.log(T0.plusSeconds(1), SVC, "h1", "VPN_NOT_READY", "vpn down");
            f.log(T0.plusSeconds(20), SVC, "h2", "VPN_NOT_READY", "vpn still down");
            f.log(T0.plusSeconds(40), SVC, "h1", null, "healthy line");
            f.log(T0.plusSeconds(89), SVC, "h1", null, "window ended, grace not over");
            assertThat(f.aggregates.isEmpty()).as("nothing before end + grace").isTrue();

            f.log(T0.plusSeconds(91), SVC, "h1", null, "grace over");

            Map<String, JsonNode> byKind = byKind(f.aggregates.readRecordsToList());
            assertThat(byKind).containsOnlyKeys("code", "class", "service-total");
            JsonNode code = byKind.get("code");
            assertThat(code.get("schema").asText()).isEqualTo("faultline.aggregate/v1");
            assertThat(code.get("service").asText()).isEqualTo(SVC);
            assertThat(code.get("catalog").asText()).isEqualTo("nefia");
            assertThat(code.get("code").asText()).isEqualTo("VPN_NOT_READY");
            assertThat(code.get("count").asLong()).isEqualTo(2);
            assertThat(code.get("transient_count").asLong()).isEqualTo(2);
            assertThat(code.get("first_seen").asText()).isEqualTo(T0.plusSeconds(1).toString());
            assertThat(code.get("last_seen").asText()).isEqualTo(T0.plusSeconds(20).toString());
            assertThat(code.get("distinct_hosts")).extracting(JsonNode::asText).containsExactly("h1", "h2");
            assertThat(code.get("sample_message").asText()).isEqualTo("vpn down");
            assertThat(code.at("/window/start").asText()).isEqualTo(T0.toString());
            assertThat(code.at("/window/end").asText()).isEqualTo(T0.plusSeconds(60).toString());
            assertThat(code.at("/window/size").asText()).isEqualTo("1m");
            assertThat(byKind.get("class").get("class").asText()).isEqualTo(code.get("class").asText());
            // Every parsed event counts towards the service total, with or without findings.
            assertThat(byKind.get("service-total").get("count").asLong()).isEqualTo(3);

            f.log(T0.plusSeconds(200), SVC, "h1", null, "much later");
            assertThat(f.aggregates.readRecordsToList()).as("the next window's total, not a second 10:00 result")
                    .allMatch(r -> !r.value().contains("\"start\":\"" + T0 + "\""));
        }
    }

    @Test
    void shouldSplitEventsAtTheWindowBoundary() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.log(T0.plusMillis(59_999), SVC, "h1", "VPN_NOT_READY", "last ms of the first window");
            f.log(T0.plusSeconds(60), SVC, "h1", "VPN_NOT_READY", "first ms of the second window");
            f.log(T0.plusSeconds(200), SVC, "h1", null, "close both");

            List<JsonNode> codes = codeAggregates(f.aggregates.readRecordsToList());
            assertThat(codes).extracting(a -> a.at("/window/start").asText())
                    .containsExactly(T0.toString(), T0.plusSeconds(60).toString());
            assertThat(codes).allMatch(a -> a.get("count").asLong() == 1);
        }
    }

    @Test
    void shouldCountLateEventsWithinGraceAndDropThemBeyondGrace() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.log(T0.plusSeconds(10), SVC, "h1", "VPN_NOT_READY", "on time");
            f.log(T0.plusSeconds(80), SVC, "h1", null, "stream time 10:01:20");
            f.log(T0.plusSeconds(50), SVC, "h2", "VPN_NOT_READY", "late, within grace");
            f.log(T0.plusSeconds(95), SVC, "h1", null, "stream time 10:01:35: window closed");
            double droppedBefore = dropped(f);

            f.log(T0.plusSeconds(55), SVC, "h3", "VPN_NOT_READY", "late, beyond grace");

            assertThat(dropped(f)).as("dropped-records metric").isGreaterThan(droppedBefore);
            List<JsonNode> codes = codeAggregates(f.aggregates.readRecordsToList());
            assertThat(codes).singleElement().satisfies(a -> {
                assertThat(a.get("count").asLong()).isEqualTo(2);
                assertThat(a.get("distinct_hosts")).extracting(JsonNode::asText).containsExactly("h1", "h2");
            });
        }
    }

    @Test
    void shouldWindowByTheLogTimestampAndFallBackToRecordTimeWhenTheClockIsAbsurd() {
        try (TopologyFixture f = new TopologyFixture("")) {
            // Reached Kafka 3 minutes late: still counted in its own 10:00 window.
            f.logAt(T0.plusSeconds(180), TopologyFixture.line(T0.plusSeconds(5), SVC, "h1", "VPN_NOT_READY", "slow"));
            // A host clock a year ahead: the record time (10:03:10) is used instead.
            f.logAt(T0.plusSeconds(190), TopologyFixture.line(T0.plusSeconds(365L * 86400), SVC, "h2", "VPN_NOT_READY",
                    "bad clock"));
            f.log(T0.plusSeconds(400), SVC, "h1", null, "close everything");

            List<JsonNode> codes = codeAggregates(f.aggregates.readRecordsToList());
            assertThat(codes).extracting(a -> a.at("/window/start").asText())
                    .containsExactly(T0.toString(), T0.plusSeconds(180).toString());
        }
    }

    @Test
    void shouldEmitOneResultPerConfiguredWindowSize() {
        try (TopologyFixture f = new TopologyFixture("windows: {sizes: [1m, 5m], grace: 0s}")) {
            f.log(T0.plusSeconds(10), SVC, "h1", "VPN_NOT_READY", "a");
            f.log(T0.plusSeconds(70), SVC, "h1", "VPN_NOT_READY", "b");
            f.log(T0.plusSeconds(301), SVC, "h1", null, "close");

            List<TestRecord<String, String>> out = f.aggregates.readRecordsToList();
            List<JsonNode> codes = codeAggregates(out);
            assertThat(codes).extracting(a -> a.at("/window/size").asText() + "@" + a.get("count").asLong())
                    .containsExactlyInAnyOrder("1m@1", "1m@1", "5m@2");
            assertThat(out).extracting(TestRecord::key).doesNotHaveDuplicates();
        }
    }

    static double dropped(TopologyFixture f) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : f.driver.metrics().entrySet()) {
            if (e.getKey().name().equals("dropped-records-total")) {
                total += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    private static List<JsonNode> codeAggregates(List<TestRecord<String, String>> records) {
        return records.stream().map(r -> TopologyFixture.json(r.value()))
                .filter(v -> v.get("kind").asText().equals("code")).toList();
    }

    private static Map<String, JsonNode> byKind(List<TestRecord<String, String>> records) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (TestRecord<String, String> r : records) {
            JsonNode v = TopologyFixture.json(r.value());
            assertThat(out.put(v.get("kind").asText(), v)).as("one result per series and window").isNull();
        }
        return out;
    }
}
