package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The per-task combiner in front of the aggregate repartition: partials must add up to what single occurrences did. */
class AggregateCombinerTest {
    private static final String SVC = "nefia-agent";
    private static final String OTHER = "foundry-mcp";

    /** Two windows, three series kinds, two services, hosts beyond the cap, late-within-grace events. */
    private static void scenario(TopologyFixture f) {
        for (int i = 0; i < 120; i++) {
            // 0.25 s apart: many occurrences per 1 s flush interval.
            Instant t = T0.plusMillis(250L * i);
            f.log(t, i % 3 == 0 ? OTHER : SVC, "h" + (i % 7), i % 2 == 0 ? "VPN_NOT_READY" : null, "m" + i);
        }
        f.log(T0.plusSeconds(62), SVC, "h1", "VPN_NOT_READY", "next window");
        f.log(T0.plusSeconds(20), SVC, "late-host", "VPN_NOT_READY", "late, within grace");
        f.log(T0.plusSeconds(200), SVC, "h1", null, "close everything");
    }

    private static Map<String, JsonNode> finals(TopologyFixture f) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (TestRecord<String, String> r : f.aggregates.readRecordsToList()) {
            assertThat(out.put(r.key(), TopologyFixture.json(r.value()))).as("one result per series and window")
                    .isNull();
        }
        return out;
    }

    @Test
    void shouldMergePartialsIntoTheSameFinalAggregatesAsSingleOccurrences() {
        Map<String, JsonNode> combined;
        Map<String, JsonNode> unbuffered;
        // Bound 0: every partial is flushed right after its record, i.e. one partial per occurrence.
        try (TopologyFixture f = new TopologyFixture("aggregates: {max-distinct-hosts: 3}", null, 0)) {
            scenario(f);
            unbuffered = finals(f);
        }
        try (TopologyFixture f = new TopologyFixture("aggregates: {max-distinct-hosts: 3}")) {
            scenario(f);
            combined = finals(f);
        }
        assertThat(combined).isEqualTo(unbuffered);

        JsonNode code = combined.get("code|" + SVC + "|nefia|VPN_NOT_READY|1m|" + T0);
        // i even and i % 3 != 0 in [0, 120): 40 events, plus the late one.
        assertThat(code.get("count").asLong()).isEqualTo(41);
        assertThat(code.get("transient_count").asLong()).isEqualTo(41);
        assertThat(code.get("first_seen").asText()).isEqualTo(T0.plusMillis(500).toString());
        assertThat(code.get("last_seen").asText()).isEqualTo(T0.plusMillis(250L * 118).toString());
        assertThat(code.get("distinct_hosts")).extracting(JsonNode::asText).containsExactly("h2", "h4", "h1");
        assertThat(code.get("distinct_hosts_truncated").asBoolean()).isTrue();
        assertThat(code.get("sample_message").asText()).isEqualTo("m2");
        JsonNode total = combined.get("service-total|" + SVC + "|1m|" + T0);
        assertThat(total.get("count").asLong()).isEqualTo(80 + 1);
        assertThat(combined.get("service-total|" + OTHER + "|1m|" + T0).get("count").asLong()).isEqualTo(40);
        assertThat(combined.get("code|" + SVC + "|nefia|VPN_NOT_READY|1m|" + T0.plusSeconds(60))
                .get("count").asLong()).isEqualTo(1);
    }

    @Test
    void shouldSendFarFewerRecordsThanOccurrencesThroughTheRepartition() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = repartition(f);
            for (int i = 0; i < 40; i++) {
                f.log(T0.plusMillis(1500L * i), SVC, "h1", "VPN_NOT_READY", "m" + i); // a minute, one window
            }
            assertThat(partials(repartition)).as("the first record flushes at once: code, class and total")
                    .hasSize(3);
            f.log(T0.plusSeconds(61), SVC, "h1", null, "the window's end plus the slack");
            // The other 39 records collapse into 3 partials; the last record's total (next window) goes with them.
            assertThat(partials(repartition)).hasSize(3 + 1);
        }
    }

    @Test
    void shouldHoldPartialsUntilTheirWindowEndsYetAnnounceEventTimeAsItMovesOn() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = repartition(f);
            f.log(T0, SVC, "h1", null, "flushed at once");
            repartition.readRecordsToList();
            // Up to the window's last second; the stream-time punctuator (once per window size) fires at 10:01.
            for (int s = 1; s <= 59; s++) {
                f.log(T0.plusSeconds(s), SVC, "h1", null, "m" + s);
            }
            List<TestRecord<String, byte[]>> sent = repartition.readRecordsToList();
            assertThat(sent).as("only watermarks while the window is open")
                    .allSatisfy(r -> assertThat(r.key()).isEqualTo(AggregateCombiner.WATERMARK_KEY));
            assertThat(sent).as("one per second of event time").hasSize(59);
            assertThat(FaultlineSerdes.PARTIAL.deserializer().deserialize("t", sent.get(58).value()).windowStart)
                    .isEqualTo(T0.plusSeconds(59).toEpochMilli());

            f.log(T0.plusSeconds(61), SVC, "h1", null, "past the end plus the slack");
            List<TestRecord<String, byte[]>> flushed = partials(repartition);
            assertThat(flushed).extracting(TestRecord::timestamp).containsExactly(
                    T0.plusSeconds(59).toEpochMilli(), T0.plusSeconds(61).toEpochMilli());
        }
    }

    @Test
    void shouldFlushInTimestampOrderSoALaterWindowNeverOvertakesAnEarlierOne() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = repartition(f);
            // Record times stay in one second and no alertable occurrence is sent, so the stream-time
            // punctuator does not fire in between (the test driver runs every sub-topology in one task,
            // whose stream time the alert repartition's event times would advance).
            Instant rt = T0.plusMillis(59_500);
            f.logAt(rt, TopologyFixture.line(rt, SVC, "h1", null, "flushed at once"));
            repartition.readRecordsToList();
            // Both within one flush interval, the later window's first.
            f.logAt(rt, TopologyFixture.line(T0.plusMillis(60_200), SVC, "h1", null, "next window"));
            f.logAt(rt, TopologyFixture.line(T0.plusMillis(59_800), SVC, "h1", null, "earlier window"));
            f.logAt(rt, TopologyFixture.line(T0.plusMillis(60_300), OTHER, "h1", null, "later"));
            assertThat(repartition.readRecordsToList()).as("held back until the flush").isEmpty();

            f.log(T0.plusSeconds(62), SVC, "h1", null, "flush");
            List<Long> times = partials(repartition).stream().map(TestRecord::timestamp).toList();
            assertThat(times).hasSize(3).isSortedAccordingTo(Comparator.naturalOrder());
            assertThat(times.get(0)).isEqualTo(T0.plusMillis(59_800).toEpochMilli());
        }
    }

    @Test
    void shouldStillDropOccurrencesLateBeyondGraceAndCountTheDrop() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.log(T0.plusSeconds(10), SVC, "h1", "VPN_NOT_READY", "on time");
            Instant rt = T0.plusMillis(89_200);
            f.logAt(rt, TopologyFixture.line(rt, SVC, "h1", null, "flushed at once"));
            double droppedBefore = dropped(f);

            // 10:01:30.1 closes the 10:00 window (end 10:01 + 30 s grace) but is held back in the combiner;
            // the late occurrence arrives before the next flush.
            f.logAt(T0.plusMillis(90_100),
                    TopologyFixture.line(T0.plusMillis(90_100), SVC, "h1", null, "closes 10:00, held back"));
            f.logAt(rt, TopologyFixture.line(T0.plusSeconds(30), SVC, "h3", "VPN_NOT_READY", "late, beyond grace"));

            assertThat(dropped(f)).as("dropped-records metric").isGreaterThan(droppedBefore);
            f.log(T0.plusSeconds(200), SVC, "h1", null, "close everything");
            List<JsonNode> codes = f.aggregates.readRecordsToList().stream()
                    .map(r -> TopologyFixture.json(r.value()))
                    .filter(v -> v.get("kind").asText().equals("code")).toList();
            assertThat(codes).singleElement().satisfies(a -> {
                assertThat(a.get("count").asLong()).isEqualTo(1);
                assertThat(a.get("distinct_hosts")).extracting(JsonNode::asText).containsExactly("h1");
            });
        }
    }

    /**
     * A shipper resending a buffered backlog after a silence: its events are late. Each watermark goes to every
     * partition and makes every aggregate task write its progress store, so one per late occurrence would multiply
     * the traffic; one per step of the task's time is enough.
     */
    @Test
    void shouldNotSendAWatermarkPerLateOccurrenceWhenTimeHasNotMoved() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = AggregateCombinerTest.repartition(f);
            f.log(T0.plusSeconds(10), SVC, "h1", "VPN_NOT_READY", "on time");
            f.log(T0.plusSeconds(200), SVC, "h1", null, "closes 10:00");
            repartition.readRecordsToList();

            // 100 late error events (3 occurrences each: total, code, class), read within one flush interval.
            for (int i = 0; i < 100; i++) {
                f.logAt(T0.plusSeconds(200), TopologyFixture.line(T0.plusSeconds(20).plusMillis(i), SVC, "h2",
                        "VPN_NOT_READY", "late " + i));
            }
            List<TestRecord<String, byte[]>> out = repartition.readRecordsToList();
            long watermarks = out.stream().filter(r -> r.key().equals(AggregateCombiner.WATERMARK_KEY)).count();
            long partials = out.size() - watermarks;
            assertThat(partials).as("late occurrences forwarded alone").isEqualTo(300);
            assertThat(watermarks).as("watermarks sent for 300 late occurrences while the task's time stood still")
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shouldFlushEverythingWhenTheStoreExceedsItsBound() {
        try (TopologyFixture f = new TopologyFixture("", null, 5)) {
            TestOutputTopic<String, byte[]> repartition = repartition(f);
            f.log(T0, SVC, "h1", null, "first record flushes at once");
            repartition.readRecordsToList();
            // Distinct services within one flush interval: one service-total partial each.
            for (int i = 0; i < 5; i++) {
                f.log(T0.plusMillis(100 + i), "svc-" + i, "h1", null, "m");
            }
            assertThat(repartition.isEmpty()).as("5 partials: at the bound, held").isTrue();
            f.log(T0.plusMillis(200), "svc-5", "h1", null, "sixth partial");
            assertThat(repartition.readRecordsToList()).as("over the bound: all flushed").hasSize(6);
            f.log(T0.plusMillis(300), "svc-6", "h1", null, "held again");
            assertThat(repartition.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldFlushOnWallClockTimeWhenTheInputGoesQuiet() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = repartition(f);
            f.log(T0, SVC, "h1", null, "flushed at once");
            repartition.readRecordsToList();
            f.log(T0.plusMillis(100), SVC, "h1", null, "held");
            assertThat(repartition.isEmpty()).isTrue();
            f.driver.advanceWallClockTime(java.time.Duration.ofSeconds(2));
            assertThat(partials(repartition)).hasSize(1);
        }
    }

    @Test
    void shouldAnnounceItsWatermarkBeforeItsFirstPartialAndAgainOnEveryWallClockFlush() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = repartition(f);
            f.log(T0, SVC, "h1", null, "flushed at once");
            List<TestRecord<String, byte[]>> first = repartition.readRecordsToList();
            assertThat(first).isNotEmpty();
            assertThat(first.get(0).key()).as("the watermark comes first").isEqualTo(AggregateCombiner.WATERMARK_KEY);
            PartialAggregate w = FaultlineSerdes.PARTIAL.deserializer().deserialize("t", first.get(0).value());
            assertThat(w.isWatermark()).isTrue();
            assertThat(w.windowStart).isEqualTo(T0.toEpochMilli());
            assertThat(first).allSatisfy(r -> assertThat(header(r, AggregateCombiner.SOURCE_HEADER)).isEqualTo("0_0"));

            f.log(T0.plusMillis(100), SVC, "h1", null, "held");
            f.driver.advanceWallClockTime(java.time.Duration.ofSeconds(3));
            List<TestRecord<String, byte[]>> watermarks = repartition.readRecordsToList().stream()
                    .filter(r -> r.key().equals(AggregateCombiner.WATERMARK_KEY)).toList();
            assertThat(watermarks).as("one per wall-clock flush").isNotEmpty();
            TestRecord<String, byte[]> last = watermarks.get(watermarks.size() - 1);
            assertThat(FaultlineSerdes.PARTIAL.deserializer().deserialize("t", last.value()).windowStart)
                    .isEqualTo(T0.plusMillis(100).toEpochMilli());
            assertThat(Long.parseLong(header(last, AggregateCombiner.IDLE_HEADER)))
                    .as("wall-clock ms since event time last advanced").isGreaterThanOrEqualTo(2000);
        }
    }

    @Test
    void shouldSendAboutOneWatermarkASecondWhenEventTimeKeepsPaceWithTheWallClock() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = repartition(f);
            f.log(T0, SVC, "h1", null, "first");
            repartition.readRecordsToList();
            // Live: one second of event time per second of wall-clock time, events every 250 ms.
            for (int i = 1; i <= 40; i++) {
                f.driver.advanceWallClockTime(java.time.Duration.ofMillis(250));
                f.log(T0.plusMillis(250L * i), SVC, "h1", null, "m" + i);
            }
            long watermarks = repartition.readRecordsToList().stream()
                    .filter(r -> r.key().equals(AggregateCombiner.WATERMARK_KEY)).count();
            // Ten seconds: one per second, whichever clock sends it, not one per second from each.
            assertThat(watermarks).isBetween(9L, 11L);
        }
    }

    @Test
    void shouldNotReportAStallOfItsOwnThreadAsIdleTime() {
        try (TopologyFixture f = new TopologyFixture("")) {
            TestOutputTopic<String, byte[]> repartition = repartition(f);
            f.log(T0, SVC, "h1", null, "the last event");
            f.advanceWallClock(java.time.Duration.ofSeconds(5));
            assertThat(lastIdleMs(repartition)).as("watched: 5 s without news").isGreaterThanOrEqualTo(4000);

            // A minute without a single punctuation: the thread stood still, it did not watch a quiet partition.
            f.driver.advanceWallClockTime(java.time.Duration.ofSeconds(60));
            assertThat(lastIdleMs(repartition)).as("idle time restarts after the stall").isLessThan(1000);
            f.advanceWallClock(java.time.Duration.ofSeconds(3));
            assertThat(lastIdleMs(repartition)).isBetween(2000L, 3000L);
        }
    }

    /** The idle time the newest watermark sent reports. */
    private static long lastIdleMs(TestOutputTopic<String, byte[]> repartition) {
        List<TestRecord<String, byte[]>> watermarks = repartition.readRecordsToList().stream()
                .filter(r -> r.key().equals(AggregateCombiner.WATERMARK_KEY)).toList();
        assertThat(watermarks).isNotEmpty();
        return Long.parseLong(header(watermarks.get(watermarks.size() - 1), AggregateCombiner.IDLE_HEADER));
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The partials sent, without the combiner's watermarks. */
    private static List<TestRecord<String, byte[]>> partials(TestOutputTopic<String, byte[]> repartition) {
        return repartition.readRecordsToList().stream()
                .filter(r -> !r.key().equals(AggregateCombiner.WATERMARK_KEY)).toList();
    }

    static TestOutputTopic<String, byte[]> repartition(TopologyFixture f) {
        String appId = f.config.streamsProperties().getProperty("application.id");
        return f.driver.createOutputTopic(appId + "-" + FaultlineTopology.AGG_REPARTITION + "-repartition",
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    private static double dropped(TopologyFixture f) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : f.driver.metrics().entrySet()) {
            if (e.getKey().name().equals("dropped-records-total")) {
                total += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }
}
